using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Access;
using MutualAid.Common;
using MutualAid.Organisation;
using MutualAid.Payments;
using MutualAid.Printing;
using MutualAid.Tests.Data;
using MutualAid.Tests.Importing;
using MutualAid.Units;

using static MutualAid.Tests.Claims.ClaimSeed;

namespace MutualAid.Tests.Printing;

/// <summary>Each printed document is read through the reader's scope, as the page it is printed from; the batch list's printing is audited.</summary>
public sealed class PrintoutsTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2024, 7, 1, 2, 0, 0, TimeSpan.Zero));
    private static readonly string UnitB = TestIds.Unit(2, "330205");
    private static readonly FundAccount Fund = new(null, "宁波市职工互助保障会", "中国工商银行宁波分行营业部", "3901000000000002026");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static UserScope Scope(string role, long? district = null, long? unit = null, long? member = null) =>
        new(9, role.ToLowerInvariant(), role, new HashSet<string> { role }, district, unit, member);

    /// <summary>
    /// Unit A's workers 1…3 each with a claim of 2,600: workers 1 and 2 paid through one batch
    /// (made by finance1, approved by finance2), worker 3's approved and unpaid; unit B in another district.
    /// </summary>
    private static async Task<TestDatabase> PaidClaimsAsync(string provider)
    {
        var database = await PaidCityAsync(provider);
        await using (var db = database.NewContext())
        {
            await new OrganisationCommands(db).AddDistrictAsync("330205", "江北区", Ct);
            await new UnitCommands(db).SaveAsync(new UnitInput(UnitB, "乙公司", "330205", "民企", 1, 0), Ct);
            foreach (var member in await db.Members.Where(m => m.Name != "职工3").ToListAsync(Ct))
                (member.BankName, member.BankAccount) = ("中国工商银行", $"62220200000000{member.Id:D4}");
            await db.SaveChangesAsync(Ct);
        }
        await ImportAsync(database, [.. Enumerable.Range(1, 3).Select(w => Settlement($"S{w}", w, new DateOnly(2024, 6, 10), 10000, 7000, "I10"))]);
        await using (var db = database.NewContext())
        {
            var desk = new PaymentDesk(db, Clock);
            var batch = (await desk.CreateBatchAsync(TestActors.As("finance1"), 100, Ct)).Batch!;
            await desk.ApproveAsync(batch.Code, TestActors.As("finance2"), Ct);
            var folder = Directory.CreateTempSubdirectory("mutualaid-print").FullName;
            await desk.ExportAsync(batch.Code, folder, Ct);
            var back = RosterFiles.Write("csv", ["batch_id", "line_no", "status", "reason"], [[batch.Code, 1, "success", null], [batch.Code, 2, "success", null]]);
            await desk.ImportReturnAsync(back, TestActors.Tester, Ct);
            Directory.Delete(folder, recursive: true);
        }
        return database;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task EachPrintout_IsReadInScope_AndRefusedOutsideIt(string provider)
    {
        await using var database = await PaidClaimsAsync(provider);
        await using var db = database.NewContext();
        var printouts = new Printouts(db, Fund, Clock);
        var unitA = await db.Units.SingleAsync(u => u.Code == Seed.UnitA, Ct);
        var unitB = await db.Units.SingleAsync(u => u.Code == UnitB, Ct);
        var worker1 = await db.Members.SingleAsync(m => m.Name == "职工1", Ct);
        var worker2 = await db.Members.SingleAsync(m => m.Name == "职工2", Ct);
        var claims = await db.Claims.OrderBy(c => c.Id).ToListAsync(Ct);
        var (paid1, paid2, unpaid) = (claims.Single(c => c.MemberId == worker1.Id), claims.Single(c => c.MemberId == worker2.Id), claims.Single(c => c.State == MutualAid.Claims.ClaimState.Approved));
        var receipt = (await db.PremiumPayments.SingleAsync(Ct)).ReceiptNumber;
        var batch = (await db.PaymentBatches.SingleAsync(Ct)).Code;
        var finance = Scope(Roles.Finance);
        var officerA = Scope(Roles.UnitOfficer, unit: unitA.Id);
        var officerB = Scope(Roles.UnitOfficer, unit: unitB.Id);
        var member1 = Scope(Roles.Member, member: worker1.Id);
        var member2 = Scope(Roles.Member, member: worker2.Id);
        var clerk = Scope(Roles.Clerk, district: unitA.DistrictId);
        var otherDistrictFinance = Scope(Roles.Finance, district: unitB.DistrictId);
        var reviewer = Scope(Roles.Reviewer);

        // 缴费通知单: the unit's officer and finance; not another unit, a clerk, a member or another district's finance.
        var notice = await printouts.NoticeAsync(officerA, Seed.UnitA, Seed.Start, Ct);
        Assert.NotNull(notice);
        Assert.Equal(("甲公司", "宁波市职工互助保障办公室", "3901000000000002026"), (notice.UnitName, notice.Issuer, notice.Fund.Account));
        Assert.Equal(notice.Total, Money.Sum(notice.Lines.Select(l => l.Amount)));
        Assert.Equal(Money.Zero, notice.Outstanding);
        Assert.NotNull(await printouts.NoticeAsync(finance, Seed.UnitA, Seed.Start, Ct));
        foreach (var outsider in new[] { officerB, clerk, member1, otherDistrictFinance, reviewer })
            Assert.Null(await printouts.NoticeAsync(outsider, Seed.UnitA, Seed.Start, Ct));
        Assert.Null(await printouts.NoticeAsync(officerA, "NOPE", Seed.Start, Ct));

        // 缴费收据 of the unit's payment: finance and the paying unit; not another unit, a member of it, a clerk.
        var read = await printouts.ReceiptAsync(finance, receipt, Ct);
        Assert.NotNull(read);
        Assert.Equal(("甲公司", "单位", Seed.UnitA, "ALL"), (read.PayerName, read.PayerKind, read.PayerCode, read.Reference));
        Assert.Equal(["在职职工住院医疗互助保障"], read.Plans);
        Assert.Equal("tester", read.ReceivedBy);
        Assert.NotNull(await printouts.ReceiptAsync(officerA, receipt, Ct));
        foreach (var outsider in new[] { officerB, member1, clerk, otherDistrictFinance, reviewer })
            Assert.Null(await printouts.ReceiptAsync(outsider, receipt, Ct));
        Assert.Null(await printouts.ReceiptAsync(finance, "R2023" + receipt[5..], Ct));

        // 给付通知书: a paid claim, for whoever may open it; not another member's, not one unpaid.
        var advice = await printouts.AdviceAsync(member1, paid1.Number, Ct);
        Assert.NotNull(advice);
        Assert.Equal((worker1.Name, IdNumber.Parse(worker1.IdNumber).Masked, Money.FromYuan(2600)), (advice.MemberName, advice.MaskedIdNumber, advice.Total));
        Assert.Equal(Masks.Account("中国工商银行", worker1.BankAccount), advice.BankAccount);
        Assert.DoesNotContain(worker1.BankAccount!, advice.BankAccount, StringComparison.Ordinal);
        Assert.Contains(advice.Lines, l => l.Explanation.Contains("本次给付", StringComparison.Ordinal));
        // Each line is named as the claim's page names it: the plan by its scheme, then the benefit.
        var names = await MutualAid.Schemes.PlanNames.LoadAsync(db, Ct);
        var claimLines = await db.ClaimLines.Where(l => l.ClaimId == paid1.Id).OrderBy(l => l.Id).Select(l => new { l.PlanCode, l.BenefitCode }).ToListAsync(Ct);
        Assert.Equal(claimLines.Select(l => names.Line(l.PlanCode, l.BenefitCode)), advice.Lines.Select(l => l.Plan));
        Assert.Equal(new DateOnly(2024, 7, 1), advice.PaidOn);
        Assert.NotNull(await printouts.AdviceAsync(officerA, paid1.Number, Ct));
        Assert.NotNull(await printouts.AdviceAsync(clerk, paid2.Number, Ct));
        Assert.Null(await printouts.AdviceAsync(member2, paid1.Number, Ct));
        Assert.Null(await printouts.AdviceAsync(officerB, paid1.Number, Ct));
        Assert.Null(await printouts.AdviceAsync(Scope(Roles.Clerk, district: unitB.DistrictId), paid1.Number, Ct));
        Assert.Null(await printouts.AdviceAsync(finance, unpaid.Number, Ct));

        // 付款清单: finance only, each printing an audit line; nobody else, and their look leaves none.
        foreach (var outsider in new[] { officerA, member1, clerk, reviewer })
            Assert.Null(await printouts.BatchListAsync(outsider, batch, TestActors.As(outsider.UserName), Ct));
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == "打印付款清单", Ct));
        var list = await printouts.BatchListAsync(finance, batch, TestActors.As("finance1"), Ct);
        Assert.NotNull(list);
        Assert.Equal((2, Money.FromYuan(5200), "finance1", "finance2"), (list.Count, list.Total, list.MadeBy, list.ApprovedBy));
        Assert.Equal([worker1.BankAccount, worker2.BankAccount], list.Lines.Select(l => l.BankAccount));
        await using var check = database.NewContext();
        var audit = await check.AuditEntries.SingleAsync(a => a.Action == "打印付款清单", Ct);
        Assert.Equal(("finance1", batch), (audit.User, audit.Subject));
    }
}
