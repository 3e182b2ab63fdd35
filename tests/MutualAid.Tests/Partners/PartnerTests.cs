using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Access;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Ledger;
using MutualAid.Partners;
using MutualAid.Payments;
using MutualAid.Tests.Data;
using MutualAid.Tests.Importing;

namespace MutualAid.Tests.Partners;

/// <summary>Partner-hospital discounts: a statement checked row by row and taken whole, once a month, each settlement once, paid to the institution through the claims' batches, the books agreeing.</summary>
public sealed class PartnerTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2024, 8, 5, 2, 0, 0, TimeSpan.Zero));
    private static readonly DateOnly June = new(2024, 6, 1);
    private static readonly DateOnly July = new(2024, 7, 1);
    private static readonly string Code = TestIds.Unit(61);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static UserScope Staff(string name, string role, long? district = null) =>
        new(0, name, name, new HashSet<string> { role }, district, null, null);

    private static readonly UserScope Admin = Staff("admin1", Roles.Admin);
    private static readonly UserScope Clerk1 = Staff("clerk1", Roles.Clerk);
    private static readonly UserScope Reviewer = Staff("reviewer1", Roles.Reviewer);

    /// <summary>Unit A's workers 1–5, covered from 2024-05-01; a partner hospital: 20% of the self-pay, 200 a visit, 1,000 a member a year.</summary>
    private static async Task<TestDatabase> CityAsync(string provider, bool account = true)
    {
        var database = await Claims.ClaimSeed.PaidCityAsync(provider);
        await WithAsync(database, db => new PartnerDesk(db, Clock).SaveAsync(Admin, new PartnerTerms(Code, "宝鸡市第三人民医院", PartnerKind.Hospital, 20,
            Money.FromYuan(200), Money.FromYuan(1000), null, account ? "中国银行宝鸡分行" : null, account ? "3710580000000061" : null), TestActors.As("admin1"), Ct));
        return database;
    }

    private static async Task<T> WithAsync<T>(TestDatabase database, Func<MutualAidDbContext, Task<T>> act)
    {
        await using var db = database.NewContext();
        return await act(db);
    }

    private static readonly string[] Header = ["id_number", "name", "visit_date", "settlement_id", "self_pay", "discount"];

    private static object?[] Row(int worker, string visit, string settlement, decimal selfPay, decimal discount, string? name = null) =>
        [Seed.Worker(worker), name ?? $"职工{worker}", visit, settlement, selfPay, discount];

    private static string StatementFile(params object?[][] rows) => RosterFiles.Write("csv", Header, rows);

    private static Task<PartnerStatement> ImportAsync(TestDatabase database, DateOnly month, string file, UserScope? by = null) =>
        WithAsync(database, db => new PartnerDesk(db, Clock).ImportAsync(by ?? Clerk1, Code, month, file, TestActors.As((by ?? Clerk1).UserName), Ct));

    private static Task<LedgerCheckReport> CheckAsync(TestDatabase database) => WithAsync(database, db => new LedgerCheck(db).HandleAsync(Ct));

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AStatement_WithBadRows_IsRefusedWhole_EachNamedByLineAndColumn(string provider)
    {
        await using var database = await CityAsync(provider);
        var stranger = TestIds.Person(40, new DateOnly(1990, 1, 1), Gender.Male);
        var file = StatementFile(
            Row(1, "2024-06-03", "S1", 320, 64),
            [stranger, "路人", "2024-06-04", "S2", 100, 10],
            Row(2, "2024-06-05", "S3", 100, 10, name: "张三"),
            Row(3, "2024-06-06", "S4", 320, 64.01m),
            Row(4, "2024-06-07", "S1", 100, 20),
            Row(5, "2024-07-01", "S6", 100, 20),
            Row(5, "2024-06-08", "S7", 2000, 201));

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => ImportAsync(database, June, file));

        var named = refused.Problems.Skip(1).ToDictionary(p => p.Path, p => p.Message);
        Assert.Contains("6 处不符，整张结算单未导入", refused.Problems[0].Message);
        Assert.Contains("没有身份证号为", named["第 3 行 id_number"]);
        Assert.Contains("与会员姓名不符", named["第 4 行 name"]);
        Assert.Contains("超过协议优惠 64.00 元", named["第 5 行 discount"]);
        Assert.Contains("在本文件中重复", named["第 6 行 settlement_id"]);
        Assert.Contains("不在结算月份 2024-06 内", named["第 7 行 visit_date"]);
        Assert.Contains("超过协议优惠 200.00 元", named["第 8 行 discount"]);
        Assert.Equal(6, named.Count);
        var early = await Assert.ThrowsAsync<InvalidInputException>(() => ImportAsync(database, new DateOnly(2024, 4, 1), StatementFile(Row(1, "2024-04-10", "S9", 100, 20))));
        Assert.Contains("未参加任何保障计划", early.Problems.Single(p => p.Path == "第 2 行 visit_date").Message);
        await using var db = database.NewContext();
        Assert.Equal((0, 0), (await db.PartnerStatements.CountAsync(Ct), await db.PartnerDiscounts.CountAsync(Ct)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AMonth_IsImportedOnce_EvenSentTwiceAtOnce_AndASettlementIsClaimedOnce_WithinTheYearlyCap(string provider)
    {
        await using var database = await CityAsync(provider);
        var june = StatementFile(Row(1, "2024-06-03", "S1", 1000, 200), Row(1, "2024-06-13", "S2", 1000, 200), Row(2, "2024-06-20", "S3", 500, 100));

        var (done, refused) = await database.AtOnceAsync(2, (db, _) => new PartnerDesk(db, Clock).ImportAsync(Clerk1, Code, June, june, TestActors.As("clerk1"), Ct));

        Assert.Equal(1, done);
        Assert.Single(refused);
        var again = await Assert.ThrowsAsync<InvalidInputException>(() => ImportAsync(database, June, june));
        Assert.Contains("每月一张，不能重复导入", Assert.Single(again.Problems).Message);
        var july = await Assert.ThrowsAsync<InvalidInputException>(() => ImportAsync(database, July,
            StatementFile(Row(1, "2024-07-02", "S2", 1000, 200), Row(1, "2024-07-03", "S10", 1000, 200), Row(1, "2024-07-04", "S11", 1000, 200),
                Row(1, "2024-07-05", "S12", 1000, 200), Row(1, "2024-07-06", "S13", 1000, 200))));
        Assert.Contains("已在此前的结算单中申报过", july.Problems.Single(p => p.Path == "第 2 行 settlement_id").Message);
        Assert.Contains("累计 1,200.00 元，超过每人每年封顶 1,000.00 元", july.Problems.Single(p => p.Path == "第 6 行 discount").Message);
        Assert.Equal(2, july.Problems.Count - 1);
        var (twice, _) = await database.AtOnceAsync(2, (db, i) => new PartnerDesk(db, Clock).ImportAsync(Clerk1, Code, July,
            StatementFile(Row(3, "2024-07-02", $"T{i}", 100, 20), Row(4, "2024-07-03", "T9", 100, 20)), TestActors.As("clerk1"), Ct));
        Assert.Equal(1, twice);
        await using var db = database.NewContext();
        Assert.Equal(2, await db.PartnerStatements.CountAsync(Ct));
        Assert.Equal(5, await db.PartnerDiscounts.CountAsync(Ct));
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Action == "导入优惠结算单", Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AStatement_IsCheckedBySecondPerson_PaidToTheInstitutionThroughABatch_AndTheBooksAgree(string provider)
    {
        await using var database = await CityAsync(provider);
        var statement = await ImportAsync(database, June, StatementFile(Row(1, "2024-06-03", "S1", 320, 64), Row(2, "2024-06-05", "S2", 1000, 200)));
        Assert.Equal((2, Money.FromYuan(264), StatementState.Imported), (statement.Rows, statement.Discount, statement.State));

        var self = await Assert.ThrowsAsync<InvalidInputException>(() => WithAsync(database, db => new PartnerDesk(db, Clock).ApproveAsync(Clerk1, statement.Number, TestActors.As("clerk1"), Ct)));
        Assert.Contains("须由另一人复核", Assert.Single(self.Problems).Message);
        var (done, refused) = await database.AtOnceAsync(2, (db, _) => new PartnerDesk(db, Clock).ApproveAsync(Reviewer, statement.Number, TestActors.As("reviewer1"), Ct));
        Assert.Equal(1, done);
        Assert.Single(refused);
        Assert.True((await CheckAsync(database)).Ok);

        var batch = (await WithAsync(database, db => new PaymentDesk(db, Clock).CreateBatchAsync(TestActors.As("finance1"), 100, Ct))).Batch!;
        var line = Assert.Single(batch.Payments);
        Assert.Equal((statement.Id, (long?)null, (long?)null, Code, "3710580000000061", Money.FromYuan(264)),
            (line.StatementId!.Value, line.ClaimId, line.MemberId, line.IdNumber, line.BankAccount, line.Amount));
        await WithAsync(database, db => new PaymentDesk(db, Clock).ApproveAsync(batch.Code, TestActors.As("finance2"), Ct));
        var file = await WithAsync(database, db => new PaymentDesk(db, Clock).SendAsync(batch.Code, TestActors.As("finance1"), Ct));
        Assert.Contains($"宝鸡市第三人民医院,{Code},3710580000000061", System.Text.Encoding.UTF8.GetString(file.Content));
        Assert.Contains($"医疗优惠补助 {statement.Number}", System.Text.Encoding.UTF8.GetString(file.Content));
        var sent = await CheckAsync(database);
        Assert.True(sent.Ok, string.Join("; ", sent.Figures.Where(f => !f.Agrees)));

        await WithAsync(database, db => new PaymentDesk(db, Clock).ImportReturnAsync(ReturnFile((batch.Code, 1, "failed", "账号不符")), TestActors.Tester, Ct));
        Assert.True((await CheckAsync(database)).Ok);
        var again = (await WithAsync(database, db => new PaymentDesk(db, Clock).CreateBatchAsync(TestActors.As("finance1"), 100, Ct))).Batch!;
        await WithAsync(database, db => new PaymentDesk(db, Clock).ApproveAsync(again.Code, TestActors.As("finance2"), Ct));
        await WithAsync(database, db => new PaymentDesk(db, Clock).SendAsync(again.Code, TestActors.As("finance1"), Ct));
        var paid = ReturnFile((again.Code, 1, "success", null));
        await WithAsync(database, db => new PaymentDesk(db, Clock).ImportReturnAsync(paid, TestActors.Tester, Ct));
        await WithAsync(database, db => new PaymentDesk(db, Clock).ImportReturnAsync(paid, TestActors.Tester, Ct));

        await using var check = database.NewContext();
        var stored = await check.PartnerStatements.SingleAsync(Ct);
        Assert.Equal((StatementState.Paid, $"{again.Code}-1"), (stored.State, stored.PaidBy));
        var report = await new LedgerCheck(check).HandleAsync(Ct);
        Assert.True(report.Ok, string.Join("; ", report.Figures.Where(f => !f.Agrees)));
        Assert.Contains(report.Figures, f => f.What.StartsWith("医疗优惠补助支出", StringComparison.Ordinal) && f.Ledger == 264m);
        Assert.Contains(report.Figures, f => f.What.StartsWith("应付合作医疗机构", StringComparison.Ordinal) && f.Ledger == 0m);
        var year = await new PartnerLists(check).ReportAsync(2024, Ct);
        var total = Assert.Single(year.Partners);
        Assert.Equal((2, 2, Money.FromYuan(264), Money.FromYuan(264)), (total.Visits, total.Members, total.Discount, total.Paid));
        Assert.Equal(June, Assert.Single(year.Months).Month);
        var rows = await PaymentList.Query(check, Staff("finance1", Roles.Finance), new PaymentFilter()).ToListAsync(Ct);
        Assert.Equal([$"医疗优惠补助 {statement.Number}"], rows.Select(r => r.SubjectText).Distinct());
        Assert.All(rows, r => Assert.Equal($"{Code[..6]}********{Code[14..]}", r.ShownId));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ARefusedStatement_FreesItsMonthAndSettlements_AndAPartnerWithoutAccountIsHeld(string provider)
    {
        await using var database = await CityAsync(provider, account: false);
        var file = StatementFile(Row(1, "2024-06-03", "S1", 320, 64));
        var first = await ImportAsync(database, June, file);
        await WithAsync(database, db => new PartnerDesk(db, Clock).RefuseAsync(Reviewer, first.Number, "机构更正后重报", TestActors.As("reviewer1"), Ct));

        var second = await ImportAsync(database, June, file);
        await WithAsync(database, db => new PartnerDesk(db, Clock).ApproveAsync(Reviewer, second.Number, TestActors.As("reviewer1"), Ct));
        var result = await WithAsync(database, db => new PaymentDesk(db, Clock).CreateBatchAsync(TestActors.As("finance1"), 100, Ct));

        Assert.Null(result.Batch);
        Assert.Contains("没有可用的银行账户", Assert.Single(result.Held, h => h.Path == second.Number).Message);
        await using var db = database.NewContext();
        Assert.Equal((0, 1), (await db.PartnerDiscounts.CountAsync(d => d.StatementId == first.Id, Ct), await db.PartnerDiscounts.CountAsync(d => d.StatementId == second.Id, Ct)));
        var refused = await db.PartnerStatements.SingleAsync(s => s.Id == first.Id, Ct);
        Assert.Equal((StatementState.Refused, 1, "机构更正后重报"), (refused.State, refused.Rows, refused.RefusalReason));
        Assert.True((await new LedgerCheck(db).HandleAsync(Ct)).Ok);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task PartnersAndStatements_AreTheCitys_ADistrictClerkOrAClerkAsAdmin_IsRefused(string provider)
    {
        await using var database = await CityAsync(provider);
        var district = await WithAsync(database, db => db.Districts.Select(d => d.Id).FirstAsync(Ct));

        var terms = await Assert.ThrowsAsync<InvalidInputException>(() => WithAsync(database, db => new PartnerDesk(db, Clock).SaveAsync(Clerk1,
            new PartnerTerms(Code, "改名", PartnerKind.Hospital, 90, Money.FromYuan(9000), Money.FromYuan(9000), null, null, null), TestActors.As("clerk1"), Ct)));
        var import = await Assert.ThrowsAsync<InvalidInputException>(() => ImportAsync(database, June, StatementFile(Row(1, "2024-06-03", "S1", 320, 64)), Staff("haishu", Roles.Clerk, district)));
        var bad = await Assert.ThrowsAsync<InvalidInputException>(() => WithAsync(database, db => new PartnerDesk(db, Clock).SaveAsync(Admin,
            new PartnerTerms("91330203X", "", PartnerKind.Pharmacy, 0, Money.FromYuan(10), Money.FromYuan(5), "NOPLAN", "银行", "12"), TestActors.As("admin1"), Ct)));

        Assert.Contains("只有市级管理员", Assert.Single(terms.Problems).Message);
        Assert.Contains("只有市级经办人员", Assert.Single(import.Problems).Message);
        Assert.Equal(["统一社会信用代码", "名称", "优惠比例", "每人每年封顶", "参保计划", "银行账号"], bad.Problems.Select(p => p.Path));
        await using var db = database.NewContext();
        var partner = await db.Partners.SingleAsync(Ct);
        Assert.Equal(("宝鸡市第三人民医院", 20), (partner.Name, partner.RatePercent));
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "新增合作医疗机构", Ct));
    }

    private static string ReturnFile(params (string Batch, int Line, string Status, string? Reason)[] rows) =>
        RosterFiles.Write("csv", ["batch_id", "line_no", "status", "reason"], [.. rows.Select(r => new object?[] { r.Batch, r.Line, r.Status, r.Reason })]);
}
