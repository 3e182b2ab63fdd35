using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Access;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Ledger;
using MutualAid.Notifications;
using MutualAid.Organisation;
using MutualAid.Payments;
using MutualAid.Relief;
using MutualAid.Tests.Data;
using MutualAid.Tests.Importing;

namespace MutualAid.Tests.Relief;

/// <summary>Hardship files and second-round relief: two people, one budget, paid once through the claims' batches, the books agreeing.</summary>
public sealed class ReliefTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2024, 7, 1, 2, 0, 0, TimeSpan.Zero));
    private static readonly DateOnly Review = new(2025, 6, 30);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static UserScope Staff(string name, string role, long? district = null) =>
        new(0, name, name, new HashSet<string> { role }, district, null, null);

    private static readonly UserScope Clerk1 = Staff("clerk1", Roles.Clerk);
    private static readonly UserScope Clerk2 = Staff("clerk2", Roles.Clerk);
    private static readonly UserScope Reviewer = Staff("reviewer1", Roles.Reviewer);
    private static readonly UserScope Finance = Staff("finance1", Roles.Finance);

    /// <summary>Unit A's workers 1–5, enrolled and paid for, with bank cards; the 2024 relief budget <paramref name="budget"/> yuan.</summary>
    private static async Task<TestDatabase> CityAsync(string provider, decimal budget = 5000)
    {
        var database = await Claims.ClaimSeed.PaidCityAsync(provider);
        await using var db = database.NewContext();
        foreach (var member in await db.Members.ToListAsync(Ct))
            (member.BankName, member.BankAccount) = ("中国工商银行", $"62220200000000{member.Id:D4}");
        await db.SaveChangesAsync(Ct);
        await new ReliefDesk(db, Clock).SetBudgetAsync(Finance, 2024, Money.FromYuan(budget), TestActors.As("finance1"), Ct);
        return database;
    }

    private static async Task<T> WithAsync<T>(TestDatabase database, Func<MutualAid.Data.MutualAidDbContext, Task<T>> act)
    {
        await using var db = database.NewContext();
        return await act(db);
    }

    /// <summary>An approved hardship file for worker <paramref name="worker"/>: opened by clerk1, approved by clerk2.</summary>
    private static async Task<HardshipFile> HardshipAsync(TestDatabase database, int worker)
    {
        var file = await WithAsync(database, db => new HardshipFiles(db, Clock).OpenAsync(Clerk1, Seed.Worker(worker), "本人患恶性肿瘤，家庭收入低", "医院诊断证明、街道困难证明", Review, TestActors.As("clerk1"), Ct));
        return await WithAsync(database, db => new HardshipFiles(db, Clock).ApproveAsync(Clerk2, file.Number, TestActors.As("clerk2"), Ct));
    }

    private static Task<ReliefApplication> ApplyAsync(TestDatabase database, int worker, decimal amount) =>
        WithAsync(database, db => new ReliefDesk(db, Clock).ApplyAsync(Clerk1, Seed.Worker(worker), 2024, Money.FromYuan(amount), "救助委员会 2024 年第 2 次会议", null, TestActors.As("clerk1"), Ct));

    private static Task<ReliefApplication> ApproveAsync(TestDatabase database, string number, UserScope? by = null) =>
        WithAsync(database, db => new ReliefDesk(db, Clock).ApproveAsync(by ?? Reviewer, number, TestActors.As((by ?? Reviewer).UserName), Ct));

    private static Task<LedgerCheckReport> CheckAsync(TestDatabase database) => WithAsync(database, db => new LedgerCheck(db).HandleAsync(Ct));

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task HardshipFile_IsApprovedOnlyByASecondPerson_AndOnce(string provider)
    {
        await using var database = await CityAsync(provider);
        var file = await WithAsync(database, db => new HardshipFiles(db, Clock).OpenAsync(Clerk1, Seed.Worker(1), "本人重病", "诊断证明", Review, TestActors.As("clerk1"), Ct));

        var self = await Assert.ThrowsAsync<InvalidInputException>(() => WithAsync(database, db => new HardshipFiles(db, Clock).ApproveAsync(Clerk1, file.Number, TestActors.As("clerk1"), Ct)));
        Assert.Contains("须由另一人认定", Assert.Single(self.Problems).Message);
        var (done, refused) = await database.AtOnceAsync(2, (db, _) => new HardshipFiles(db, Clock).ApproveAsync(Clerk2, file.Number, TestActors.As("clerk2"), Ct));

        Assert.Equal(1, done);
        Assert.Single(refused);
        await using var check = database.NewContext();
        var stored = await check.HardshipFiles.SingleAsync(Ct);
        Assert.Equal((HardshipState.Approved, "clerk2"), (stored.State, stored.ApprovedBy));
        Assert.True(await check.Members.Where(m => m.Id == stored.MemberId).Select(m => m.Hardship).SingleAsync(Ct));
        Assert.Equal(1, await check.AuditEntries.CountAsync(a => a.Action == "认定困难档案", Ct));
        var twice = await Assert.ThrowsAsync<InvalidInputException>(() => WithAsync(database, db => new HardshipFiles(db, Clock).OpenAsync(Clerk2, Seed.Worker(1), "再建", "无", Review, TestActors.As("clerk2"), Ct)));
        Assert.Contains("不能重复建档", Assert.Single(twice.Problems).Message);
        var (opened, doubled) = await database.AtOnceAsync(2, (db, _) => new HardshipFiles(db, Clock).OpenAsync(Clerk1, Seed.Worker(2), "失业", "证明", Review, TestActors.As("clerk1"), Ct));
        Assert.Equal(1, opened);
        Assert.Contains("不能重复建档", Assert.Single(doubled).Problems[0].Message);
        Assert.Equal(2, await check.HardshipFiles.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AFilePastItsReviewDate_IsReviewedByASecondPerson_BeforeMoreRelief_OrClosed(string provider)
    {
        await using var database = await CityAsync(provider);
        var file = await HardshipAsync(database, 1);
        var later = new FakeTimeProvider(new DateTimeOffset(2025, 7, 2, 2, 0, 0, TimeSpan.Zero));
        await WithAsync(database, db => new ReliefDesk(db, later).SetBudgetAsync(Finance, 2025, Money.FromYuan(5000), TestActors.As("finance1"), Ct));
        Task<ReliefApplication> Apply() => WithAsync(database, db => new ReliefDesk(db, later).ApplyAsync(Clerk1, Seed.Worker(1), 2025, Money.FromYuan(1000), "救助委员会 2025 年第 1 次会议", null, TestActors.As("clerk1"), Ct));
        Task<HardshipFile> ReviewAsync(UserScope by, DateOnly? next, string? close) =>
            WithAsync(database, db => new HardshipFiles(db, later).ReviewAsync(by, file.Number, next, close, TestActors.As(by.UserName), Ct));

        var past = await Assert.ThrowsAsync<InvalidInputException>(Apply);
        Assert.Contains("已过复核日期 2025-06-30", Assert.Single(past.Problems).Message);
        var self = await Assert.ThrowsAsync<InvalidInputException>(() => ReviewAsync(Clerk1, new DateOnly(2026, 6, 30), null));
        Assert.Contains("须由另一人复核", Assert.Single(self.Problems).Message);
        var badDate = await Assert.ThrowsAsync<InvalidInputException>(() => ReviewAsync(Clerk2, new DateOnly(2025, 7, 1), null));
        Assert.Equal("下次复核日期", Assert.Single(badDate.Problems).Path);
        var (done, refused) = await database.AtOnceAsync(2, (db, _) => new HardshipFiles(db, later).ReviewAsync(Clerk2, file.Number, new DateOnly(2026, 6, 30), null, TestActors.As("clerk2"), Ct));
        Assert.Equal(1, done);
        Assert.Single(refused);
        Assert.Equal(ReliefState.Submitted, (await Apply()).State);

        // A later review finds the member out of hardship: the file is closed, the mark removed, no more relief decided on it.
        var closed = await ReviewAsync(Reviewer, null, "家庭收入已恢复");

        Assert.Equal((HardshipState.Closed, "家庭收入已恢复", "reviewer1"), (closed.State, closed.ClosedReason, closed.ReviewedBy));
        await using var check = database.NewContext();
        Assert.False(await check.Members.Where(m => m.Id == file.MemberId).Select(m => m.Hardship).SingleAsync(Ct));
        Assert.Equal(2, await check.AuditEntries.CountAsync(a => a.Action == "复核困难档案", Ct));
        var onClosed = await Assert.ThrowsAsync<InvalidInputException>(Apply);
        Assert.Contains(onClosed.Problems, p => p.Message.Contains("已于复核时撤销（家庭收入已恢复）", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task HardshipFile_OfAMemberOutsideTheClerksDistrict_IsRefused(string provider)
    {
        await using var database = await CityAsync(provider);
        var other = await WithAsync(database, async db =>
        {
            await new OrganisationCommands(db).AddDistrictAsync("330205", "江北区", Ct);
            return await db.Districts.Where(d => d.Code == "330205").Select(d => d.Id).SingleAsync(Ct);
        });

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => WithAsync(database, db =>
            new HardshipFiles(db, Clock).OpenAsync(Staff("jiangbei", Roles.Clerk, other), Seed.Worker(1), "本人重病", "诊断证明", Review, TestActors.As("jiangbei"), Ct)));

        Assert.Contains("不在 jiangbei 的范围内", Assert.Single(refused.Problems).Message);
        Assert.Equal(0, await WithAsync(database, db => db.HardshipFiles.CountAsync(Ct)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Relief_NeedsAnApprovedFile_AndOneApplicationAMemberAYear(string provider)
    {
        await using var database = await CityAsync(provider);
        await WithAsync(database, db => new HardshipFiles(db, Clock).OpenAsync(Clerk1, Seed.Worker(2), "失业", "证明", Review, TestActors.As("clerk1"), Ct));
        var unapproved = await Assert.ThrowsAsync<InvalidInputException>(() => ApplyAsync(database, 2, 1000));
        Assert.Contains("尚未认定", Assert.Single(unapproved.Problems).Message);
        await HardshipAsync(database, 1);

        var (done, refused) = await database.AtOnceAsync(2, (db, _) => new ReliefDesk(db, Clock).ApplyAsync(Clerk1, Seed.Worker(1), 2024, Money.FromYuan(1000), "第 2 次会议", null, TestActors.As("clerk1"), Ct));

        Assert.Equal(1, done);
        Assert.Contains("每人每年一次", Assert.Single(refused).Problems[0].Message);
        Assert.Equal(1, await WithAsync(database, db => db.ReliefApplications.CountAsync(Ct)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Relief_IsApprovedBySecondPerson_OnceWhenSentTwice_AndPosted(string provider)
    {
        await using var database = await CityAsync(provider);
        await HardshipAsync(database, 1);
        var application = await ApplyAsync(database, 1, 2000);

        var self = await Assert.ThrowsAsync<InvalidInputException>(() => ApproveAsync(database, application.Number, Clerk1));
        Assert.Contains("须由另一人复核", Assert.Single(self.Problems).Message);
        var (done, refused) = await database.AtOnceAsync(2, (db, _) => new ReliefDesk(db, Clock).ApproveAsync(Reviewer, application.Number, TestActors.As("reviewer1"), Ct));

        Assert.Equal(1, done);
        Assert.Single(refused);
        await using var db = database.NewContext();
        Assert.Equal(ReliefState.Approved, (await db.ReliefApplications.SingleAsync(Ct)).State);
        Assert.Equal(Money.FromYuan(2000), (await db.ReliefBudgets.SingleAsync(Ct)).Committed);
        Assert.Equal(1, await db.JournalEntries.CountAsync(e => e.Kind == EntryKind.ReliefApproved, Ct));
        Assert.Equal(Money.FromYuan(2000), await new LedgerCheck(db).BalanceAsync(Accounts.ReliefExpense, Ct));
        Assert.Equal(1, await db.Notices.CountAsync(n => n.Topic == NoticeTopic.ReliefApproved, Ct));
        Assert.True((await CheckAsync(database)).Ok);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Relief_BeyondTheYearsBudget_IsRefused_EvenWhenEnteredWithinIt(string provider)
    {
        await using var database = await CityAsync(provider, budget: 5000);
        await HardshipAsync(database, 1);
        await HardshipAsync(database, 2);
        var first = await ApplyAsync(database, 1, 3000);
        var second = await ApplyAsync(database, 2, 3000);
        await ApproveAsync(database, first.Number);

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => ApproveAsync(database, second.Number));

        Assert.Contains("超过 2024 年救助预算余额 2,000.00 元", Assert.Single(refused.Problems).Message);
        await using var db = database.NewContext();
        Assert.Equal(ReliefState.Submitted, (await db.ReliefApplications.SingleAsync(a => a.Id == second.Id, Ct)).State);
        Assert.Equal(Money.FromYuan(3000), (await db.ReliefBudgets.SingleAsync(Ct)).Committed);
        var entered = await Assert.ThrowsAsync<InvalidInputException>(() => ApplyAsync(database, 3, 100));
        Assert.Contains("没有困难档案", Assert.Single(entered.Problems).Message);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task TwoChecksAtOnce_AgainstTheLastOfTheBudget_ApproveOne(string provider)
    {
        await using var database = await CityAsync(provider, budget: 4000);
        await HardshipAsync(database, 1);
        await HardshipAsync(database, 2);
        var numbers = new[] { (await ApplyAsync(database, 1, 3000)).Number, (await ApplyAsync(database, 2, 3000)).Number };

        var (done, refused) = await database.AtOnceAsync(2, (db, i) => new ReliefDesk(db, Clock).ApproveAsync(Reviewer, numbers[i], TestActors.As("reviewer1"), Ct));

        Assert.Equal(1, done);
        Assert.Single(refused);
        await using var db = database.NewContext();
        Assert.Equal(1, await db.ReliefApplications.CountAsync(a => a.State == ReliefState.Approved, Ct));
        Assert.Equal(Money.FromYuan(3000), (await db.ReliefBudgets.SingleAsync(Ct)).Committed);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Relief_IsPaidThroughTheClaimsBatch_ThenAFailureRequeues_AndTheBooksBalance(string provider)
    {
        await using var database = await CityAsync(provider);
        await HardshipAsync(database, 1);
        var application = await ApplyAsync(database, 1, 2600);
        await ApproveAsync(database, application.Number);

        var batch = (await WithAsync(database, db => new PaymentDesk(db, Clock).CreateBatchAsync(TestActors.As("finance1"), 100, Ct))).Batch!;
        var line = Assert.Single(batch.Payments);
        Assert.Equal((application.Id, (long?)null, Money.FromYuan(2600)), (line.ReliefId!.Value, line.ClaimId, line.Amount));
        Assert.Null((await WithAsync(database, db => new PaymentDesk(db, Clock).CreateBatchAsync(TestActors.As("finance1"), 100, Ct))).Batch);
        await WithAsync(database, db => new PaymentDesk(db, Clock).ApproveAsync(batch.Code, TestActors.As("finance2"), Ct));
        var file = await WithAsync(database, db => new PaymentDesk(db, Clock).SendAsync(batch.Code, TestActors.As("finance1"), Ct));
        Assert.Contains($"二次救助 {application.Number}", System.Text.Encoding.UTF8.GetString(file.Content));
        Assert.True((await CheckAsync(database)).Ok);

        await WithAsync(database, db => new PaymentDesk(db, Clock).ImportReturnAsync(ReturnFile((batch.Code, 1, "failed", "户名不符")), TestActors.Tester, Ct));
        Assert.True((await CheckAsync(database)).Ok);
        var again = (await WithAsync(database, db => new PaymentDesk(db, Clock).CreateBatchAsync(TestActors.As("finance1"), 100, Ct))).Batch!;
        await WithAsync(database, db => new PaymentDesk(db, Clock).ApproveAsync(again.Code, TestActors.As("finance2"), Ct));
        await WithAsync(database, db => new PaymentDesk(db, Clock).SendAsync(again.Code, TestActors.As("finance1"), Ct));
        var paid = ReturnFile((again.Code, 1, "success", null));
        await WithAsync(database, db => new PaymentDesk(db, Clock).ImportReturnAsync(paid, TestActors.Tester, Ct));
        await WithAsync(database, db => new PaymentDesk(db, Clock).ImportReturnAsync(paid, TestActors.Tester, Ct));

        await using var check = database.NewContext();
        var stored = await check.ReliefApplications.SingleAsync(Ct);
        Assert.Equal((ReliefState.Paid, $"{again.Code}-1"), (stored.State, stored.PaidBy));
        Assert.Equal(1, await check.Notices.CountAsync(n => n.Topic == NoticeTopic.ReliefPaid, Ct));
        var report = await new LedgerCheck(check).HandleAsync(Ct);
        Assert.True(report.Ok, string.Join("; ", report.Figures.Where(f => !f.Agrees)));
        Assert.Contains(report.Figures, f => f.What.StartsWith("二次救助支出", StringComparison.Ordinal) && f.Ledger == 2600m);
    }

    private static string ReturnFile(params (string Batch, int Line, string Status, string? Reason)[] rows) =>
        RosterFiles.Write("csv", ["batch_id", "line_no", "status", "reason"], [.. rows.Select(r => new object?[] { r.Batch, r.Line, r.Status, r.Reason })]);
}
