using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Enrollment;
using MutualAid.Schemes;

namespace MutualAid.Claims;

/// <summary>What adjudicating the new settlements did.</summary>
public sealed record AdjudicationReport(int Claims, int Payable, int NothingPayable, int ApprovedByRule, decimal Total);

/// <summary>
/// 无感办: every imported settlement without a claim becomes one, computed by the benefit rules
/// against the member's paid enrollments and everything their earlier claims counted (caps,
/// once-only sums, accumulated bases). Members are taken in batches; within a member, events
/// by date then settlement id, as <c>mutualaid calc</c> takes them.
/// </summary>
public sealed class AdjudicateSettlements(MutualAidDbContext db, TimeProvider clock)
{
    private const int MembersPerBatch = 2_000;

    public async Task<AdjudicationReport> HandleAsync(CancellationToken cancellationToken)
    {
        var waiting = await db.Settlements.AsNoTracking()
            .Where(s => s.RefundsSetlId == null && s.RefundedBySetlId == null && !db.Claims.Any(c => c.SettlementId == s.Id))
            .Select(s => s.MemberId).Distinct().ToListAsync(cancellationToken);
        var schemes = await LoadSchemesAsync(cancellationToken);
        int claims = 0, payable = 0, nothing = 0, approved = 0;
        var total = Money.Zero;
        foreach (var members in waiting.Order().Chunk(MembersPerBatch))
        {
            var written = await AdjudicateAsync(members, schemes, cancellationToken);
            claims += written.Count;
            payable += written.Count(c => c.State == ClaimState.PendingReview);
            nothing += written.Count(c => c.State == ClaimState.NothingPayable);
            approved += written.Count(c => c.State == ClaimState.Approved);
            total = written.Aggregate(total, (sum, c) => sum + c.Total);
        }
        return new AdjudicationReport(claims, payable, nothing, approved, total.Yuan);
    }

    private async Task<List<Claim>> AdjudicateAsync(long[] memberIds, Dictionary<long, (LoadedScheme Scheme, StoredPlanVersion Version)> versions, CancellationToken cancellationToken)
    {
        var settlements = await db.Settlements.AsNoTracking()
            .Where(s => memberIds.Contains(s.MemberId) && s.RefundsSetlId == null && s.RefundedBySetlId == null && !db.Claims.Any(c => c.SettlementId == s.Id))
            .ToListAsync(cancellationToken);
        var facts = await db.Members.AsNoTracking().Where(m => memberIds.Contains(m.Id))
            .ToDictionaryAsync(m => m.Id, m => new MemberFacts(m.Type, m.Gender), cancellationToken);
        var enrollments = await db.Enrollments.AsNoTracking()
            .Where(e => memberIds.Contains(e.MemberId) && e.Status == EnrollmentStatus.Active)
            .ToListAsync(cancellationToken);
        var history = await db.ClaimLines.AsNoTracking()
            .Where(l => l.Counts && l.EnrollmentId != null && enrollments.Select(e => e.Id).Contains(l.EnrollmentId.Value))
            .Join(db.Claims.Where(c => c.State != ClaimState.Rejected && c.State != ClaimState.Reversed), l => l.ClaimId, c => c.Id, (l, _) => l)
            .ToListAsync(cancellationToken);

        // One account per member and scheme; the periods remember their enrollment.
        var schemes = versions.Values.Select(v => v.Scheme).DistinctBy(s => s.Stored.Id).ToDictionary(s => s.Stored.Id);
        var accounts = new Dictionary<long, Dictionary<long, MemberAccount>>();
        var periodOf = new Dictionary<long, PeriodAccount>();
        var enrollmentOf = new Dictionary<PeriodAccount, long>();
        foreach (var enrollment in enrollments.OrderBy(e => e.Start))
        {
            var (scheme, _) = versions[enrollment.PlanVersionId];
            var account = Account(accounts, enrollment.MemberId, scheme, facts);
            var period = account.AddPeriod(scheme.Plan(enrollment.PlanCode), enrollment.Period, enrollment.Units, enrollment.CoverageStart);
            periodOf[enrollment.Id] = period;
            enrollmentOf[period] = enrollment.Id;
        }
        var byId = enrollments.ToDictionary(e => e.Id);
        foreach (var line in history)
        {
            var enrollment = byId[line.EnrollmentId!.Value];
            var (scheme, _) = versions[enrollment.PlanVersionId];
            var plan = scheme.Plan(line.PlanCode);
            Account(accounts, enrollment.MemberId, scheme, facts).Record(plan, periodOf[enrollment.Id], plan.SlotOf(line.BenefitCode!), line.Amount, line.BaseAdded, line.DaysAdded);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var claims = new List<Claim>();
        var adjudicators = new Dictionary<long, Adjudicator>();
        foreach (var settlement in settlements.OrderBy(s => s.DischargeDate).ThenBy(s => s.SetlId, StringComparer.Ordinal))
        {
            // A member who holds nothing is still answered (not_enrolled) under the first scheme.
            if (!accounts.ContainsKey(settlement.MemberId) && schemes.Count > 0)
                Account(accounts, settlement.MemberId, schemes.Values.First(), facts);
            var held = accounts.GetValueOrDefault(settlement.MemberId) ?? [];
            var claim = new Claim(settlement.MemberId, settlement.Id, ClaimSource.Automatic, settlement.Kind, settlement.DischargeDate, now);
            var lines = new List<ClaimLine>();
            foreach (var (schemeId, account) in held)
            {
                var adjudicator = adjudicators.TryGetValue(schemeId, out var known) ? known
                    : adjudicators[schemeId] = new Adjudicator(schemes[schemeId].Scheme);
                var ev = settlement.ToEvent(settlement.MemberId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var computed = new List<BenefitLine>();
                var denials = new List<Denial>();
                adjudicator.Adjudicate(account, ev, computed, denials, explain: true);
                foreach (var line in computed)
                {
                    var period = account[line.Plan]!.Covering(ev.Date)!;
                    lines.Add(new ClaimLine(line.Plan.Code, line.Benefit.Code, enrollmentOf[period], line.Amount, line.BaseAdded, line.DaysAdded,
                        line.Computed, line.Reason?.ToString(), TraceText.Describe(line)));
                }
                lines.AddRange(denials.Select(d => new ClaimLine(d.Plan?.Code ?? "", null, null, Money.Zero, Money.Zero, 0, false,
                    TraceText.SpecName(d.Reason), TraceText.Describe(d.Reason))));
            }
            claim.Computed(lines);
            if (held.Count == 1 && schemes[held.Keys.Single()].Scheme.AutoApproveUpTo is { } limit
                && claim.State == ClaimState.PendingReview && claim.Total <= limit)
                claim.ApproveByRule(limit, now);
            claims.Add(claim);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await BulkInsert.InsertAsync(db, claims, cancellationToken);
        foreach (var claim in claims)
        {
            foreach (var line in claim.Lines)
                line.BelongTo(claim.Id);
            foreach (var transition in claim.Transitions)
                transition.BelongTo(claim.Id);
        }
        await BulkInsert.InsertAsync(db, [.. claims.SelectMany(c => c.Lines)], cancellationToken);
        await BulkInsert.InsertAsync(db, [.. claims.SelectMany(c => c.Transitions)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return claims;
    }

    private static MemberAccount Account(Dictionary<long, Dictionary<long, MemberAccount>> accounts, long memberId, LoadedScheme scheme, Dictionary<long, MemberFacts> facts)
    {
        if (!accounts.TryGetValue(memberId, out var bySchemes))
            accounts[memberId] = bySchemes = [];
        if (!bySchemes.TryGetValue(scheme.Stored.Id, out var account))
            bySchemes[scheme.Stored.Id] = account = new MemberAccount(scheme.Scheme, memberId.ToString(System.Globalization.CultureInfo.InvariantCulture), facts.GetValueOrDefault(memberId));
        return account;
    }

    /// <summary>Every stored plan version with its scheme read once.</summary>
    private async Task<Dictionary<long, (LoadedScheme Scheme, StoredPlanVersion Version)>> LoadSchemesAsync(CancellationToken cancellationToken)
    {
        var stored = await db.Schemes.AsNoTracking().Include(s => s.Versions).ToListAsync(cancellationToken);
        return stored.Select(s => new LoadedScheme(s, SchemeReader.Parse(s.Document)))
            .SelectMany(s => s.Stored.Versions.Select(v => (v.Id, Scheme: s, Version: v)))
            .ToDictionary(x => x.Id, x => (x.Scheme, x.Version));
    }
}
