using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Enrollment;
using MutualAid.Notifications;
using MutualAid.Schemes;

namespace MutualAid.Claims;

/// <summary>Every stored plan version by id, with its scheme read once.</summary>
internal sealed class StoredSchemes(Dictionary<long, LoadedScheme> byVersion)
{
    private readonly Dictionary<long, LoadedScheme> _byId = byVersion.Values.DistinctBy(s => s.Stored.Id).ToDictionary(s => s.Stored.Id);

    public LoadedScheme this[long planVersionId] => byVersion[planVersionId];

    public LoadedScheme ById(long schemeId) => _byId[schemeId];

    public LoadedScheme? First => _byId.Values.MinBy(s => s.Stored.Id);

    public static async Task<StoredSchemes> LoadAsync(MutualAidDbContext db, CancellationToken cancellationToken)
    {
        var stored = await db.Schemes.AsNoTracking().Include(s => s.Versions).ToListAsync(cancellationToken);
        return new(stored.Select(s => new LoadedScheme(s, SchemeReader.Parse(s.Document)))
            .SelectMany(s => s.Stored.Versions.Select(v => (v.Id, Scheme: s)))
            .ToDictionary(x => x.Id, x => x.Scheme));
    }
}

/// <summary>
/// The claims state of some members, read inside the transaction that will write their new
/// claims: their paid enrollments as accounts, with everything their earlier claims counted
/// (caps, once-only sums, accumulated bases, and the v2 state: the stays each period paid for,
/// cover ended by a terminating benefit, the combined caps' use), all rebuilt from the stored
/// lines. <see cref="LockAsync"/> first, so that two
/// transactions never compute from the same history: that is what keeps caps under concurrency.
/// </summary>
internal sealed class ClaimBook
{
    private readonly StoredSchemes _schemes;
    private readonly Dictionary<long, (MemberFacts Facts, string Name, string? Phone)> _members;
    private readonly Dictionary<long, Dictionary<long, MemberAccount>> _accounts = [];
    private readonly Dictionary<PeriodAccount, long> _enrollmentOf = [];
    private readonly Dictionary<long, Adjudicator> _adjudicators = [];
    private readonly List<BenefitLine> _computed = [];
    private readonly List<Denial> _denials = [];

    private ClaimBook(StoredSchemes schemes, Dictionary<long, (MemberFacts, string, string?)> members)
    {
        _schemes = schemes;
        _members = members;
    }

    /// <summary>
    /// Holds the members' rows until the transaction ends. PostgreSQL locks the rows (in id
    /// order, so two batches cannot deadlock); SQLite's transactions already take the database's
    /// write lock when they begin (BEGIN IMMEDIATE), which serialises every writer.
    /// </summary>
    public static async Task LockAsync(MutualAidDbContext db, long[] memberIds, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Claims are computed inside a transaction");
        if (db.Database.IsNpgsql())
            await db.Database.SqlQuery<long>($"SELECT id AS \"Value\" FROM members WHERE id = ANY({memberIds}) ORDER BY id FOR UPDATE")
                .ToListAsync(cancellationToken);
    }

    /// <summary>The members' accounts; <paramref name="exceptClaim"/> is a claim being computed again, whose own lines do not count.</summary>
    public static async Task<ClaimBook> LoadAsync(MutualAidDbContext db, StoredSchemes schemes, long[] memberIds, long? exceptClaim, CancellationToken cancellationToken)
    {
        var members = await db.Members.AsNoTracking().Where(m => memberIds.Contains(m.Id))
            .ToDictionaryAsync(m => m.Id, m => (new MemberFacts(m.Type, m.Gender, m.InsuranceType, m.ModelWorker), m.Name, m.Phone), cancellationToken);
        var enrollments = await db.Enrollments.AsNoTracking()
            .Where(e => memberIds.Contains(e.MemberId) && (e.Status == EnrollmentStatus.Active || (e.Status == EnrollmentStatus.Withdrawn && e.CoverageStart != null)))
            .ToListAsync(cancellationToken);
        // A paid period withdrawn (退保/减员) covered up to its withdrawal day: events before it are still paid, and what it paid still counts.
        enrollments.RemoveAll(e => e.Status == EnrollmentStatus.Withdrawn && e.WithdrawnOn < e.Start);
        var enrollmentIds = enrollments.Select(e => e.Id).ToList();
        var history = await db.ClaimLines.AsNoTracking()
            .Where(l => l.Counts && l.EnrollmentId != null && enrollmentIds.Contains(l.EnrollmentId.Value) && l.ClaimId != exceptClaim)
            .Join(db.Claims.Where(c => c.State != ClaimState.Rejected && c.State != ClaimState.Reversed), l => l.ClaimId, c => c.Id,
                (l, c) => new { Line = l, c.Kind, c.EventDate })
            .ToListAsync(cancellationToken);

        // One account per member and scheme; the periods remember their enrollment.
        var book = new ClaimBook(schemes, members);
        var periodOf = new Dictionary<long, PeriodAccount>();
        foreach (var enrollment in enrollments.OrderBy(e => e.Start))
        {
            var scheme = schemes[enrollment.PlanVersionId];
            var period = book.Account(enrollment.MemberId, scheme)
                .AddPeriod(scheme.Plan(enrollment.PlanCode), enrollment.CoveredPeriod, enrollment.Units, enrollment.CoverageStart);
            periodOf[enrollment.Id] = period;
            book._enrollmentOf[period] = enrollment.Id;
        }
        var byId = enrollments.ToDictionary(e => e.Id);
        foreach (var (line, date) in history.Select(h => (h.Line, h.EventDate)))
        {
            var enrollment = byId[line.EnrollmentId!.Value];
            var scheme = schemes[enrollment.PlanVersionId];
            var plan = scheme.Plan(line.PlanCode);
            var account = book.Account(enrollment.MemberId, scheme);
            account.Record(plan, periodOf[enrollment.Id], plan.SlotOf(line.BenefitCode!), line.Amount, line.BaseAdded, line.DaysAdded);
            // A combined cap's window is the period of its anchor plan that covers the event's date, as the adjudicator found it.
            foreach (var cap in scheme.Scheme.CombinedCaps)
            {
                if (line.Amount > Money.Zero && cap.Includes(plan) && account[cap.Anchor]?.Covering(date) is { } window)
                    account.UseCombined(cap, window, line.Amount);
            }
        }
        // A stay takes an admission number in each period whose plan paid for it: one per claim and enrollment with a payout.
        foreach (var paid in history.Where(h => h.Kind == EventKinds.Hospitalization && h.Line.Amount > Money.Zero)
                     .Select(h => (h.Line.ClaimId, Enrollment: h.Line.EnrollmentId!.Value)).Distinct())
            periodOf[paid.Enrollment].CountPaidAdmission();
        return book;
    }

    /// <summary>The SMS for the claim's new state, if it is one members are told of and the member has a mobile number.</summary>
    public Notice? NoticeOf(Claim claim, DateTime at) =>
        _members.TryGetValue(claim.MemberId, out var member) ? Notice.ForClaim(claim, member.Name, member.Phone, at) : null;

    /// <summary>The schemes under which the member holds (or held) a paid enrollment.</summary>
    public IReadOnlyList<Scheme> SchemesOf(long memberId) =>
        [.. (_accounts.GetValueOrDefault(memberId) ?? []).Keys.Select(id => _schemes.ById(id).Scheme)];

    /// <summary>The plans the member holds on <paramref name="date"/> whose benefits answer events of <paramref name="kind"/>.</summary>
    public IReadOnlyList<Plan> PlansFor(long memberId, EventKinds kind, DateOnly date) =>
        [.. (_accounts.GetValueOrDefault(memberId) ?? []).Values.SelectMany(account => account.Scheme.Plans
            .Where(plan => account[plan]?.Periods.Any(p => p.Range.Contains(date) && p.Version.Benefits.Any(b => b.RespondsTo(kind))) == true))];

    /// <summary>
    /// The claim's lines for the event: one per benefit computed, one per plan that paid nothing
    /// with why; only of <paramref name="plans"/> when given (a manual claim names its plans).
    /// The member's accounts advance, so the next event of the same member sees this one.
    /// </summary>
    public List<ClaimLine> Adjudicate(long memberId, BenefitEvent ev, IReadOnlyCollection<Plan>? plans = null)
    {
        // A member who holds nothing is still answered (not_enrolled) under the first scheme.
        if (!_accounts.ContainsKey(memberId) && _schemes.First is { } first)
            Account(memberId, first);
        var lines = new List<ClaimLine>();
        foreach (var (schemeId, account) in _accounts.GetValueOrDefault(memberId) ?? [])
        {
            var adjudicator = _adjudicators.TryGetValue(schemeId, out var known) ? known
                : _adjudicators[schemeId] = new Adjudicator(_schemes.ById(schemeId).Scheme);
            _computed.Clear();
            _denials.Clear();
            adjudicator.Adjudicate(account, ev, _computed, _denials, explain: true);
            foreach (var line in _computed.Where(l => plans is null || plans.Contains(l.Plan)))
            {
                var period = account[line.Plan]!.Covering(ev.Date)!;
                lines.Add(new ClaimLine(line.Plan.Code, line.Benefit.Code, _enrollmentOf[period], line.Amount, line.BaseAdded, line.DaysAdded,
                    line.Computed, line.Reason?.ToString(), TraceText.Describe(line)));
            }
            lines.AddRange(_denials.Where(d => plans is null || d.Plan is null || plans.Contains(d.Plan))
                .Select(d => new ClaimLine(d.Plan?.Code ?? "", null, null, Money.Zero, Money.Zero, 0, false,
                    TraceText.SpecName(d.Reason), TraceText.Describe(d.Reason))));
        }
        return lines;
    }

    private MemberAccount Account(long memberId, LoadedScheme scheme)
    {
        if (!_accounts.TryGetValue(memberId, out var bySchemes))
            _accounts[memberId] = bySchemes = [];
        if (!bySchemes.TryGetValue(scheme.Stored.Id, out var account))
            bySchemes[scheme.Stored.Id] = account = new MemberAccount(scheme.Scheme, memberId.ToString(CultureInfo.InvariantCulture), _members.GetValueOrDefault(memberId).Facts);
        return account;
    }
}
