using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Importing;
using MutualAid.Members;
using MutualAid.Organisation;
using MutualAid.Tests.Data;
using MutualAid.Units;

namespace MutualAid.Tests.Importing;

/// <summary>A file changes only its own people, and an empty cell never overwrites what is stored.</summary>
public sealed class RosterScopeTests
{
    private const string UnitA = Seed.UnitA;
    private static readonly string UnitB = TestIds.Unit(2, "330205");
    private static readonly string Stranger = Seed.Worker(6);
    private static readonly string Retiree = TestIds.Person(21, new DateOnly(1958, 3, 1), Gender.Female);
    private static readonly string[] BankHeader = ["序号", "姓名", "身份证号", "手机号", "开户银行", "银行账号"];
    private static readonly string[] TypeHeader = ["序号", "姓名", "身份证号", "手机号", "会员类别"];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Unit A (five workers) in 海曙区, and unit B in 江北区 whose one worker (worker 6) has a bank account.</summary>
    private static async Task<TestDatabase> SeedAsync(string provider)
    {
        var database = await Seed.CityAsync(provider);
        await using (var db = database.NewContext())
        {
            await new OrganisationCommands(db).AddDistrictAsync("330205", "江北区", Ct);
            await new UnitCommands(db).SaveAsync(new UnitInput(UnitB, "乙公司", "330205", "民企", 1, 0), Ct);
        }
        await ImportAsync(database, BankHeader, [[1, "职工6", Stranger, "13800000006", "中国银行", "6217850000000006"]], UnitB);
        return database;
    }

    private static async Task<ImportReport> ImportAsync(TestDatabase database, string[] header, List<object?[]> rows, string? unit, string? plans = null, bool skipInvalid = false)
    {
        await using var db = database.NewContext();
        var options = new RosterOptions(unit, null, plans?.Split(','), plans is null ? null : Seed.Start, SkipInvalid: skipInvalid);
        return await new ImportRoster(db, TimeProvider.System).HandleAsync(RosterFiles.Write("csv", header, rows), options, TestActors.Tester, Ct);
    }

    private static async Task<Member> MemberAsync(TestDatabase database, string idNumber)
    {
        await using var db = database.NewContext();
        return await db.Members.AsNoTracking().SingleAsync(m => m.IdNumber == idNumber, Ct);
    }

    private static async Task<long> UnitIdAsync(TestDatabase database, string code)
    {
        await using var db = database.NewContext();
        return await db.Units.Where(u => u.Code == code).Select(u => u.Id).SingleAsync(Ct);
    }

    private static List<object?[]> WorkersWithCards() =>
        [.. Seed.Workers().Select((r, i) => (object?[])[.. r, "中国银行", $"621785000000000{i + 1}"])];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_UnitRosterNamingAnotherUnitsWorker_RefusesHisRowAndLeavesHimAlone(string provider)
    {
        await using var database = await SeedAsync(provider);
        var rows = WorkersWithCards();
        rows.Add([6, "职工6", Stranger, "13900000006", "中国农业银行", "6228480000000066"]);

        var report = await ImportAsync(database, BankHeader, rows, UnitA, "INPATIENT", skipInvalid: true);

        Assert.True(report.Written);
        var problem = Assert.Single(report.Problems);
        Assert.Equal((7, "身份证号"), (problem.Line, problem.Column));
        Assert.Contains("属于其他单位：转入须经办审核", problem.Reason, StringComparison.Ordinal);
        Assert.Equal((5, 5), (report.MembersAdded, report.Enrolled));
        var stranger = await MemberAsync(database, Stranger);
        Assert.Equal(await UnitIdAsync(database, UnitB), stranger.UnitId);
        Assert.Equal(("中国银行", "6217850000000006", "13800000006"), (stranger.BankName, stranger.BankAccount, stranger.Phone));
        await using var db = database.NewContext();
        Assert.False(await db.Enrollments.AnyAsync(e => e.MemberId == stranger.Id, Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_UnitRosterNamingARetireeWithoutAUnit_RefusesHerRowAndWritesNothing(string provider)
    {
        await using var database = await SeedAsync(provider);
        await ImportAsync(database, TypeHeader, [[1, "退休甲", Retiree, "13800000021", "退休"]], unit: null);
        var rows = Seed.Workers();
        rows.Add([6, "退休甲", Retiree, "13900000021"]);

        var report = await ImportAsync(database, Seed.RosterHeader, rows, UnitA, "INPATIENT");

        Assert.False(report.Written);
        var problem = Assert.Single(report.Problems);
        Assert.Equal((7, "身份证号"), (problem.Line, problem.Column));
        Assert.Contains("不属于本单位（个人参保会员）：须经办审核", problem.Reason, StringComparison.Ordinal);
        var retiree = await MemberAsync(database, Retiree);
        Assert.Equal((null, MemberType.Retired, "13800000021"), (retiree.UnitId, retiree.Type, retiree.Phone));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_UnitRosterRowWithAnotherUnitsCode_IsRefusedOnThatColumn(string provider)
    {
        await using var database = await SeedAsync(provider);
        string[] header = [.. Seed.RosterHeader, "单位统一社会信用代码"];
        var rows = Seed.Workers().Select(r => (object?[])[.. r, null]).ToList();
        rows[2][4] = UnitB;

        var report = await ImportAsync(database, header, rows, UnitA);

        Assert.False(report.Written);
        var problem = Assert.Single(report.Problems);
        Assert.Equal((4, "单位统一社会信用代码"), (problem.Line, problem.Column));
        await using var db = database.NewContext();
        Assert.Equal(1, await db.Members.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_ClerksListMovingAMemberToAnotherUnit_IsRefused(string provider)
    {
        await using var database = await SeedAsync(provider);
        string[] header = [.. Seed.RosterHeader, "单位统一社会信用代码"];

        var report = await ImportAsync(database, header, [[1, "职工6", Stranger, null, UnitA]], unit: null);

        Assert.False(report.Written);
        Assert.Contains(report.Problems, p => p.Line == 2 && p.Column == "身份证号" && p.Reason.Contains("属于其他单位", StringComparison.Ordinal));
        Assert.Equal(await UnitIdAsync(database, UnitB), (await MemberAsync(database, Stranger)).UnitId);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_ClerksListNamingTheUnitOfAMemberWithoutOne_SetsIt(string provider)
    {
        await using var database = await SeedAsync(provider);
        await ImportAsync(database, TypeHeader, [[1, "退休甲", Retiree, null, "退休"]], unit: null);
        string[] header = [.. Seed.RosterHeader, "单位统一社会信用代码"];

        var report = await ImportAsync(database, header, [[1, "退休甲", Retiree, null, UnitA]], unit: null);

        Assert.True(report.Written, string.Join("; ", report.Problems));
        var retiree = await MemberAsync(database, Retiree);
        Assert.Equal((await UnitIdAsync(database, UnitA), MemberType.Retired), (retiree.UnitId, retiree.Type));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_RowWithoutMemberType_KeepsAStoredRetireeRetired(string provider)
    {
        await using var database = await SeedAsync(provider);
        await ImportAsync(database, TypeHeader, [[1, "退休甲", Retiree, null, "退休"]], unit: null);

        var report = await ImportAsync(database, TypeHeader, [[1, "退休甲", Retiree, "13800000021", null]], unit: null);

        Assert.True(report.Written, string.Join("; ", report.Problems));
        Assert.Equal(1, report.MembersUpdated);
        var retiree = await MemberAsync(database, Retiree);
        Assert.Equal((MemberType.Retired, "13800000021"), (retiree.Type, retiree.Phone));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_UnitRosterWithoutTheTypeColumn_KeepsItsOwnRetiredMemberRetired(string provider)
    {
        await using var database = await SeedAsync(provider);
        var typed = Seed.Workers().Select(r => (object?[])[.. r, "在职"]).ToList();
        typed[0][4] = "退休";
        await ImportAsync(database, TypeHeader, typed, UnitA);

        var report = await ImportAsync(database, Seed.RosterHeader, Seed.Workers(), UnitA);

        Assert.Equal((0, 5), (report.MembersUpdated, report.MembersUnchanged));
        Assert.Equal(MemberType.Retired, (await MemberAsync(database, Seed.Worker(1))).Type);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_EmptyPhoneAndBankCells_KeepTheStoredValues(string provider)
    {
        await using var database = await SeedAsync(provider);
        await ImportAsync(database, BankHeader, WorkersWithCards(), UnitA);
        var empty = Seed.Workers().Select(r => (object?[])[r[0], r[1], r[2], null, null, null]).ToList();

        var report = await ImportAsync(database, BankHeader, empty, UnitA);

        Assert.Equal((0, 5, 0), (report.MembersUpdated, report.MembersUnchanged, report.BankAccountsChanged));
        var first = await MemberAsync(database, Seed.Worker(1));
        Assert.Equal(("13800000001", "中国银行", "6217850000000001"), (first.Phone, first.BankName, first.BankAccount));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_OwnWorkersNewBankAccount_IsRecordedAsAWaitingChangeCountedAndWarned(string provider)
    {
        await using var database = await SeedAsync(provider);
        var first = await ImportAsync(database, BankHeader, WorkersWithCards(), UnitA);
        var rows = WorkersWithCards();
        rows[1][4] = "中国农业银行";
        rows[1][5] = "6228480000000099";

        var report = await ImportAsync(database, BankHeader, rows, UnitA);

        Assert.Equal(0, first.BankAccountsChanged);
        Assert.Equal((1, 1), (report.MembersUpdated, report.BankAccountsChanged));
        Assert.Contains(report.Warnings, w => w.Contains("更换银行账号 1 人（第 3 行）", StringComparison.Ordinal));
        var second = await MemberAsync(database, Seed.Worker(2));
        Assert.Equal(("中国农业银行", "6228480000000099"), (second.BankName, second.BankAccount));
        // Applied as a change that waits, told to the member's mobile: the unit cannot redirect a payout unseen.
        await using var db = database.NewContext();
        var change = await db.BankAccountChanges.SingleAsync(Ct);
        Assert.Equal((second.Id, BankChangeSource.Unit, BankChangeState.Pending, "6217850000000002"), (change.MemberId, change.Source, change.State, change.OldAccount));
        Assert.Equal("13800000002", (await db.Notices.SingleAsync(n => n.Topic == MutualAid.Notifications.NoticeTopic.BankAccountChanged, Ct)).Phone);
    }
}
