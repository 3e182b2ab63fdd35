using MutualAid.Data;

namespace MutualAid.Claims;

/// <summary>A plan covering all members (全体会员保障) and why the member is not covered by it on the day (null: covered).</summary>
public sealed record CoverStatus(string PlanCode, string PlanName, string? Refusal);

/// <summary>For the member page: the plans that cover every member, each as it stands for one member on one day, checked as a claim checks them.</summary>
public static class MemberCoverage
{
    public static async Task<IReadOnlyList<CoverStatus>> OnAsync(MutualAidDbContext db, long memberId, DateOnly day, CancellationToken cancellationToken)
    {
        var schemes = await StoredSchemes.LoadAsync(db, cancellationToken);
        if (schemes.CoverPlans.Count == 0)
            return [];
        var book = await ClaimBook.LoadAsync(db, schemes, [memberId], null, cancellationToken);
        return [.. book.CoverFor(memberId, null, day).Select(c => new CoverStatus(c.Plan.Code, c.Plan.Name, c.Refusal))];
    }
}
