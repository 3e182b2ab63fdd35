using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Tests.Data;

using static MutualAid.Tests.Claims.ClaimSeed;

namespace MutualAid.Tests.Claims;

/// <summary>
/// 补正 checks one stay, one payout again on the corrected days, as intake does: a correction that makes a
/// claim the same event as another of the member's is flagged for the reviewer, and one that makes it the
/// stay the settlement feed already carries is refused, unless that settlement was matched to the claim itself.
/// </summary>
public sealed class CorrectionDuplicatesTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2024, 9, 2, 2, 0, 0, TimeSpan.Zero));
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<DocumentFile> StayDocuments() =>
    [
        new("idCard", "身份证.jpg", TestFiles.Jpeg), new("dischargeSummary", "出院小结.pdf", TestFiles.Pdf),
        new("invoice", "发票.png", TestFiles.Png), new("expenseList", "费用清单.pdf", TestFiles.Pdf),
    ];

    private static ClaimEvent StayEvent(DateOnly admission, DateOnly discharge) =>
        new() { AdmissionDate = admission, DischargeDate = discharge, Diagnoses = "I10", TotalCost = Money.FromYuan(10000), InsurancePaid = Money.FromYuan(7000) };

    /// <summary>Worker 1's stay taken at the desk by <paramref name="by"/>.</summary>
    private static async Task<Claim> SubmitAsync(TestDatabase database, DateOnly admission, DateOnly discharge, string by)
    {
        await using var db = database.NewContext();
        return await new ManualClaims(db, Clock).SubmitAsync(
            new ManualClaimRequest(by, Seed.Worker(1), EventKinds.Hospitalization, discharge, StayEvent(admission, discharge), [], StayDocuments()), TestActors.Tester, Ct);
    }

    private static async Task ReturnAsync(TestDatabase database, string number)
    {
        await using var db = database.NewContext();
        await new ReviewClaims(db, Clock).ReturnAsync(number, TestActors.As("reviewer1"), "B03", "入院日期与出院小结不符", Ct);
    }

    private static async Task<Claim> CorrectAsync(TestDatabase database, string number, DateOnly admission, DateOnly discharge)
    {
        await using var db = database.NewContext();
        return await new ManualClaims(db, Clock).CorrectAsync(number, "clerk2", StayEvent(admission, discharge), [], "按出院小结更正入院日期", TestActors.Tester, Ct);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Correct_IntoTheDaysOfAnotherClaim_IsTakenFlagged_AndApprovedOnlyWhenTheReviewerConfirms(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        var first = await SubmitAsync(database, new DateOnly(2024, 8, 15), new DateOnly(2024, 8, 20), "clerk1");
        var second = await SubmitAsync(database, new DateOnly(2024, 8, 22), new DateOnly(2024, 8, 25), "clerk1");
        await using (var db = database.NewContext())
        {
            Assert.DoesNotContain("可能重复", await db.AuditEntries.Where(a => a.Subject == second.Number).Select(a => a.Detail).SingleAsync(Ct), StringComparison.Ordinal);
        }
        await ReturnAsync(database, second.Number);

        // Admitted on the 18th after all: the nights of the 18th and 19th are the first stay's too.
        var corrected = await CorrectAsync(database, second.Number, new DateOnly(2024, 8, 18), new DateOnly(2024, 8, 25));

        Assert.Equal(ClaimState.PendingReview, corrected.State);
        await using var check = database.NewContext();
        var audit = await check.AuditEntries.Where(a => a.Subject == second.Number && a.Action == "补正").Select(a => a.Detail).SingleAsync(Ct);
        Assert.Contains($"可能重复，提请复核：{first.Number}", audit, StringComparison.Ordinal);
        var review = new ReviewClaims(check, Clock);
        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => review.ApproveAsync(second.Number, TestActors.As("reviewer1"), null, Ct));
        Assert.Equal(second.Number, Assert.Single(refused.Problems).Path);
        Assert.StartsWith($"可能与 {first.Number}（人工受理，待复核，2024-08-15 至 2024-08-20）是同一事件", refused.Problems[0].Message, StringComparison.Ordinal);
        check.ChangeTracker.Clear();
        Assert.Equal(ClaimState.Approved, (await review.ApproveAsync(second.Number, TestActors.As("reviewer1"), "两次住院，已核对", duplicatesChecked: true, Ct)).State);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Correct_IntoTheStayTheFeedCarries_IsRefused_AndTheClaimStaysReturned(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        // The centre's settlement of the stay of 15–20 August comes first; the desk then takes a stay of 19–20 August, flagged.
        await ImportAsync(database, [Settlement("S1", 1, new DateOnly(2024, 8, 20), 10000, 7000, "I10")]);
        var manual = await SubmitAsync(database, new DateOnly(2024, 8, 19), new DateOnly(2024, 8, 20), "clerk1");
        await ReturnAsync(database, manual.Number);

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => CorrectAsync(database, manual.Number, new DateOnly(2024, 8, 15), new DateOnly(2024, 8, 20)));

        var problem = Assert.Single(refused.Problems);
        Assert.Equal(("admissionDate", "这次住院已有医保结算 S1，按自动理赔办理，不能重复申请"), (problem.Path, problem.Message));
        await using var check = database.NewContext();
        var claim = await check.Claims.SingleAsync(c => c.Id == manual.Id, Ct);
        Assert.Equal((ClaimState.Returned, new DateOnly(2024, 8, 19)), (claim.State, claim.StartDate));
        Assert.False(await check.AuditEntries.AnyAsync(a => a.Subject == manual.Number && a.Action == "补正", Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Correct_OfAClaimWhoseSettlementWasMatchedToIt_IsTaken_AsTheSameStay(string provider)
    {
        await using var database = await PaidCityAsync(provider);
        var manual = await SubmitAsync(database, new DateOnly(2024, 8, 17), new DateOnly(2024, 8, 20), "clerk1");
        // The settlement of the stay arrives later and is matched to the manual claim.
        await ImportAsync(database, [Settlement("S1", 1, new DateOnly(2024, 8, 20), 10000, 7000, "I10")]);
        await ReturnAsync(database, manual.Number);

        var corrected = await CorrectAsync(database, manual.Number, new DateOnly(2024, 8, 15), new DateOnly(2024, 8, 20));

        Assert.Equal(ClaimState.PendingReview, corrected.State);
        await using var check = database.NewContext();
        Assert.Equal((long?)manual.Id, await check.Claims.Where(c => c.Source == ClaimSource.Automatic).Select(c => c.MatchedToId).SingleAsync(Ct));
        Assert.DoesNotContain("可能重复", await check.AuditEntries.Where(a => a.Subject == manual.Number && a.Action == "补正").Select(a => a.Detail).SingleAsync(Ct), StringComparison.Ordinal);
    }
}
