using System.Globalization;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using MutualAid.Archive;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Enrollment;
using MutualAid.Members;
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

    public IEnumerable<LoadedScheme> All => _byId.Values;

    /// <summary>The same schemes with <paramref name="scheme"/>'s rules replaced by <paramref name="rules"/> (a draft being tried, 测算).</summary>
    public StoredSchemes With(LoadedScheme scheme, Scheme rules)
    {
        var replaced = scheme with { Scheme = rules };
        return new(byVersion.ToDictionary(v => v.Key, v => v.Value.Stored.Id == scheme.Stored.Id ? replaced : v.Value));
    }

    /// <summary>The plans that cover all members (全体会员保障), with their schemes, in the schemes' order.</summary>
    public IReadOnlyList<(LoadedScheme Scheme, Plan Plan)> CoverPlans { get; } =
        [.. byVersion.Values.DistinctBy(s => s.Stored.Id).OrderBy(s => s.Stored.Id).SelectMany(s => s.Scheme.Plans.Where(p => p.Cover is not null).Select(p => (s, p)))];

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
/// A plan covering all members (<see cref="CoverRule"/>) gets a period for each calendar year in
/// which the member is eligible on an event's date, with no enrolment: its lines keep the plan
/// version (<see cref="ClaimLine.CoverVersionId"/>) and its history is rebuilt from them.
/// </summary>
internal sealed class ClaimBook
{
    private readonly StoredSchemes _schemes;
    private readonly Dictionary<long, BookMember> _members;
    private readonly Dictionary<long, List<MemberTransfer>> _transfers = [];
    private readonly Dictionary<(long Member, long Scheme, int Plan, int Year), PeriodAccount> _coverPeriods = [];
    private readonly Dictionary<PeriodAccount, long> _coverVersionOf = [];
    private readonly Dictionary<long, Dictionary<long, MemberAccount>> _accounts = [];
    private readonly Dictionary<PeriodAccount, long> _enrollmentOf = [];
    private readonly Dictionary<long, Adjudicator> _adjudicators = [];
    private readonly List<BenefitLine> _computed = [];
    private readonly List<Denial> _denials = [];

    private ClaimBook(StoredSchemes schemes, Dictionary<long, BookMember> members)
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

    /// <summary>
    /// A replay's book (重算, 测算): the members' enrollments as the caller read them (every status; the unpaid are left out
    /// here) and their moves (in time order), with nothing paid yet, so that their claims are adjudicated again from the first.
    /// </summary>
    public static ClaimBook Fresh(StoredSchemes schemes, Dictionary<long, BookMember> members, IEnumerable<Enrollment.Enrollment> enrollments,
        IEnumerable<MemberTransfer> moves)
    {
        var book = new ClaimBook(schemes, members);
        book.AddPeriods([.. enrollments.Where(PaidFor)]);
        book.AddMoves(moves);
        return book;
    }

    /// <summary>A paid enrollment: active, or withdrawn after cover began.</summary>
    private static readonly Expression<Func<Enrollment.Enrollment, bool>> Paid =
        e => e.Status == EnrollmentStatus.Active || (e.Status == EnrollmentStatus.Withdrawn && e.CoverageStart != null);

    private static readonly Func<Enrollment.Enrollment, bool> PaidFor = Paid.Compile();

    /// <summary>The members' accounts; <paramref name="exceptClaim"/> is a claim being computed again, whose own lines do not count.</summary>
    public static async Task<ClaimBook> LoadAsync(MutualAidDbContext db, StoredSchemes schemes, long[] memberIds, long? exceptClaim, CancellationToken cancellationToken)
    {
        var members = await db.Members.AsNoTracking().Where(m => memberIds.Contains(m.Id))
            .ToDictionaryAsync(m => m.Id, m => new BookMember(new MemberFacts(m.Type, m.Gender, m.InsuranceType, m.ModelWorker), m.Name, m.Phone, m.BirthDate, m.UnitId), cancellationToken);
        var enrollments = await db.Enrollments.AsNoTracking().Where(e => memberIds.Contains(e.MemberId)).Where(Paid).ToListAsync(cancellationToken);
        var book = new ClaimBook(schemes, members);
        var periodOf = book.AddPeriods(enrollments);
        var enrollmentIds = periodOf.Keys.ToList();
        var history = await db.ClaimLines.AsNoTracking()
            .Where(l => l.Counts && l.EnrollmentId != null && enrollmentIds.Contains(l.EnrollmentId.Value) && l.ClaimId != exceptClaim)
            .Join(db.Claims.Where(c => c.State != ClaimState.Rejected && c.State != ClaimState.Reversed), l => l.ClaimId, c => c.Id,
                (l, c) => new { Line = l, c.Kind, c.EventDate })
            .ToListAsync(cancellationToken);
        // A closed year's claims moved to the archive (mutualaid archive) still count in the periods they were paid in:
        // a claim that comes late for such a period is computed against them, as if they were live.
        List<ArchivedLine> archived;
        await using (var archive = db.ArchivedOnly())
            archived = await archive.Claims.Where(c => memberIds.Contains(c.MemberId) && c.State != ClaimState.Rejected && c.State != ClaimState.Reversed)
                .Join(archive.ClaimLines.Where(l => l.Counts), c => c.Id, l => l.ClaimId, (c, l) => new ArchivedLine(l, c.Kind, c.EventDate, c.MemberId))
                .ToListAsync(cancellationToken);
        history.AddRange(archived.Where(a => a.Line.EnrollmentId is { } e && periodOf.ContainsKey(e)).Select(a => new { a.Line, a.Kind, a.EventDate }));

        var byId = enrollments.ToDictionary(e => e.Id);
        var counted = history.Select(h => (h.Line, h.Kind, h.EventDate, byId[h.Line.EnrollmentId!.Value].MemberId,
            Scheme: schemes[byId[h.Line.EnrollmentId!.Value].PlanVersionId], Period: periodOf[h.Line.EnrollmentId!.Value])).ToList();
        if (schemes.CoverPlans.Count > 0)
        {
            book.AddMoves(await db.MemberTransfers.AsNoTracking().Where(t => memberIds.Contains(t.MemberId)).OrderBy(t => t.At).ThenBy(t => t.Id)
                .ToListAsync(cancellationToken));
            var covered = await db.ClaimLines.AsNoTracking()
                .Where(l => l.Counts && l.CoverVersionId != null && l.ClaimId != exceptClaim)
                .Join(db.Claims.Where(c => memberIds.Contains(c.MemberId) && c.State != ClaimState.Rejected && c.State != ClaimState.Reversed), l => l.ClaimId, c => c.Id,
                    (l, c) => new { Line = l, c.Kind, c.EventDate, c.MemberId })
                .ToListAsync(cancellationToken);
            covered.AddRange(archived.Where(a => a.Line.CoverVersionId != null).Select(a => new { a.Line, a.Kind, a.EventDate, a.MemberId }));
            // The years' periods first, so that a combined cap finds its window whatever the lines' order.
            counted.AddRange(covered.Select(h => (h.Line, h.Kind, h.EventDate, h.MemberId, Scheme: schemes[h.Line.CoverVersionId!.Value],
                Period: book.CoverPeriod(h.MemberId, schemes[h.Line.CoverVersionId!.Value], h.Line.PlanCode, h.EventDate))).ToList());
        }
        foreach (var (line, _, date, memberId, scheme, period) in counted)
        {
            var plan = scheme.Plan(line.PlanCode);
            var account = book.Account(memberId, scheme);
            account.Record(plan, period, plan.SlotOf(line.BenefitCode!), line.Amount, line.BaseAdded, line.DaysAdded);
            // A combined cap's window is the period of its anchor plan that covers the event's date, as the adjudicator found it.
            foreach (var cap in scheme.Scheme.CombinedCaps)
            {
                if (line.Amount > Money.Zero && cap.Includes(plan) && account[cap.Anchor]?.Covering(date) is { } window)
                    account.UseCombined(cap, window, line.Amount);
            }
        }
        // A stay takes an admission number in each period whose plan paid for it: one per claim and enrollment with a payout.
        foreach (var paid in counted.Where(h => h.Kind == EventKinds.Hospitalization && h.Line.Amount > Money.Zero)
                     .Select(h => (h.Line.ClaimId, h.Period)).Distinct())
            paid.Period.CountPaidAdmission();
        return book;
    }

    /// <summary>One account per member and scheme, a period per paid enrollment (by their start); the periods remember their enrollment.</summary>
    private Dictionary<long, PeriodAccount> AddPeriods(List<Enrollment.Enrollment> enrollments)
    {
        // A paid period withdrawn (退保/减员) covered up to its withdrawal day: events before it are still paid, and what it paid still counts.
        enrollments.RemoveAll(e => e.Status == EnrollmentStatus.Withdrawn && e.WithdrawnOn < e.Start);
        var periodOf = new Dictionary<long, PeriodAccount>();
        foreach (var enrollment in enrollments.OrderBy(e => e.Start))
        {
            var scheme = _schemes[enrollment.PlanVersionId];
            var period = Account(enrollment.MemberId, scheme)
                .AddPeriod(scheme.Plan(enrollment.PlanCode), enrollment.CoveredPeriod, enrollment.Units, enrollment.CoverageStart);
            periodOf[enrollment.Id] = period;
            _enrollmentOf[period] = enrollment.Id;
        }
        return periodOf;
    }

    /// <summary>The members' moves between units, in time order: cover without enrolment reads the unit on an event's day.</summary>
    private void AddMoves(IEnumerable<MemberTransfer> moves)
    {
        foreach (var move in moves)
        {
            if (!_transfers.TryGetValue(move.MemberId, out var known))
                _transfers[move.MemberId] = known = [];
            known.Add(move);
        }
    }

    /// <summary>The SMS for the claim's new state, if it is one members are told of and the member has a mobile number.</summary>
    public Notice? NoticeOf(Claim claim, DateTime at) =>
        _members.TryGetValue(claim.MemberId, out var member) ? Notice.ForClaim(claim, member.Name, member.Phone, at) : null;

    /// <summary>The schemes under which the member holds (or held) a paid enrollment, or is covered as a member on <paramref name="date"/>.</summary>
    public IReadOnlyList<Scheme> SchemesOf(long memberId, DateOnly date) =>
        [.. (_accounts.GetValueOrDefault(memberId) ?? []).Keys.Select(id => _schemes.ById(id).Scheme)
            .Union(_schemes.CoverPlans.Where(c => Refusal(memberId, c.Plan, date) is null).Select(c => c.Scheme.Scheme))];

    /// <summary>The plans the member holds, or is covered by as a member, on <paramref name="date"/> whose benefits answer events of <paramref name="kind"/>.</summary>
    public IReadOnlyList<Plan> PlansFor(long memberId, EventKinds kind, DateOnly date) =>
        [.. (_accounts.GetValueOrDefault(memberId) ?? []).Values.SelectMany(account => account.Scheme.Plans
            .Where(plan => plan.Cover is null && account[plan]?.Periods.Any(p => p.Range.Contains(date) && p.Version.Benefits.Any(b => b.RespondsTo(kind))) == true)),
         .. CoverFor(memberId, kind, date).Where(c => c.Refusal is null).Select(c => c.Plan)];

    /// <summary>
    /// The plans covering all members that answer events of <paramref name="kind"/> (all plans when null), each with why
    /// the member is not covered on <paramref name="date"/> (null: covered).
    /// </summary>
    public IReadOnlyList<(Plan Plan, string? Refusal)> CoverFor(long memberId, EventKinds? kind, DateOnly date) =>
        [.. _schemes.CoverPlans.Where(c => kind is not { } k || Answers(c.Plan, k)).Select(c => (c.Plan, Refusal(memberId, c.Plan, date)))];

    private static bool Answers(Plan plan, EventKinds kind) => plan.Versions.Any(v => v.Benefits.Any(b => b.RespondsTo(kind)));

    /// <summary>
    /// The claim's lines for the event: one per benefit computed, one per plan that paid nothing
    /// with why; only of <paramref name="plans"/> when given (a manual claim names its plans).
    /// The member's accounts advance, so the next event of the same member sees this one.
    /// A replay, which compares amounts and reasons only, asks for no working (<paramref name="explain"/>): the lines then say only what they pay.
    /// </summary>
    public List<ClaimLine> Adjudicate(long memberId, BenefitEvent ev, IReadOnlyCollection<Plan>? plans = null, bool explain = true)
    {
        // Cover without enrolment: a period for the event's year when the member is eligible on its date, or the reason not.
        var lines = new List<ClaimLine>();
        HashSet<Plan>? refused = null;
        foreach (var (plan, refusal) in _schemes.CoverPlans.Count == 0 ? [] : CoverFor(memberId, ev.Kind, ev.Date))
        {
            if (refusal is null)
            {
                CoverPeriod(memberId, _schemes.CoverPlans.First(c => c.Plan == plan).Scheme, plan.Code, ev.Date);
                continue;
            }
            (refused ??= []).Add(plan);
            if (plans is null)
                lines.Add(new ClaimLine(plan.Code, null, null, Money.Zero, Money.Zero, 0, false, TraceText.SpecName(DenialReason.NotEligible), $"{plan.Name}：{refusal}"));
        }
        // A member who holds nothing is still answered (not_enrolled) under the first scheme.
        if (!_accounts.ContainsKey(memberId) && refused is null && _schemes.First is { } first)
            Account(memberId, first);
        foreach (var (schemeId, account) in _accounts.GetValueOrDefault(memberId) ?? [])
        {
            var adjudicator = _adjudicators.TryGetValue(schemeId, out var known) ? known
                : _adjudicators[schemeId] = new Adjudicator(_schemes.ById(schemeId).Scheme);
            _computed.Clear();
            _denials.Clear();
            // A manual claim names its plans: the others are not asked, so they neither pay nor use a cap for it.
            var skip = plans is null ? refused : account.Scheme.Plans.Where(p => !plans.Contains(p) || refused?.Contains(p) == true).ToHashSet();
            adjudicator.Adjudicate(account, ev, _computed, _denials, explain, skip);
            foreach (var line in _computed.Where(l => plans is null || plans.Contains(l.Plan)))
            {
                var period = account[line.Plan]!.Covering(ev.Date)!;
                lines.Add(new ClaimLine(line.Plan.Code, line.Benefit.Code, _enrollmentOf.TryGetValue(period, out var enrollment) ? enrollment : null,
                    line.Amount, line.BaseAdded, line.DaysAdded, line.Computed, line.Reason?.ToString(), Covered(line.Plan, TraceText.Describe(line)),
                    _coverVersionOf.TryGetValue(period, out var version) ? version : null));
            }
            // A plan covering all members is not mentioned for an event it never answers (an accident's plan for a stay).
            lines.AddRange(_denials.Where(d => (plans is null || d.Plan is null || plans.Contains(d.Plan)) && !(d.Plan is { Cover: not null } p && !Answers(p, ev.Kind)))
                .Select(d => new ClaimLine(d.Plan?.Code ?? "", null, null, Money.Zero, Money.Zero, 0, false,
                    TraceText.SpecName(d.Reason), d.Plan is { } plan ? Covered(plan, TraceText.Describe(d.Reason)) : TraceText.Describe(d.Reason))));
        }
        return lines;
    }

    /// <summary>A line of a plan covering all members says so first.</summary>
    private static string Covered(Plan plan, string explanation) =>
        plan.Cover is null ? explanation : $"{CoverRule.Why}。{explanation}";

    /// <summary>Why the member is not covered by the plan on the date (null: covered): kind, age and unit on that day.</summary>
    private string? Refusal(long memberId, Plan plan, DateOnly date)
    {
        if (!_members.TryGetValue(memberId, out var member) || member.Facts.Type is not { } type || member.Facts.Gender is not { } gender)
            return "不是已登记的会员";
        return plan.Cover!.Refusal(plan, type, gender, member.BirthDate, InUnitOn(memberId, member.UnitId, date), date);
    }

    /// <summary>The member's unit on a day: the unit a later move took them from, else their unit now (a move counts from its day, Beijing time).</summary>
    private bool InUnitOn(long memberId, long? unitNow, DateOnly date)
    {
        foreach (var move in _transfers.GetValueOrDefault(memberId) ?? [])
        {
            if (BeijingTime.Day(move.At) > date)
                return move.FromUnitId is not null;
        }
        return unitNow is not null;
    }

    /// <summary>The member's period of a plan covering all members for the year of <paramref name="date"/>, added once.</summary>
    private PeriodAccount CoverPeriod(long memberId, LoadedScheme scheme, string planCode, DateOnly date)
    {
        var plan = scheme.Plan(planCode);
        var year = CoverRule.YearOf(plan, date) ?? throw new InvalidOperationException($"计划 {plan.Code} 在 {date:yyyy-MM-dd} 尚未实行");
        var key = (memberId, scheme.Stored.Id, plan.Index, year.Start.Year);
        if (_coverPeriods.TryGetValue(key, out var period))
            return period;
        period = _coverPeriods[key] = Account(memberId, scheme).AddPeriod(plan, year, 1);
        _coverVersionOf[period] = scheme.VersionFor(plan, year.Start)!.Id;
        return period;
    }

    private MemberAccount Account(long memberId, LoadedScheme scheme)
    {
        if (!_accounts.TryGetValue(memberId, out var bySchemes))
            _accounts[memberId] = bySchemes = [];
        if (!bySchemes.TryGetValue(scheme.Stored.Id, out var account))
            bySchemes[scheme.Stored.Id] = account = new MemberAccount(scheme.Scheme, memberId.ToString(CultureInfo.InvariantCulture), _members.GetValueOrDefault(memberId)?.Facts ?? default);
        return account;
    }
}

/// <summary>A line of an archived claim, with what the book needs of its claim.</summary>
internal sealed record ArchivedLine(ClaimLine Line, EventKinds Kind, DateOnly EventDate, long MemberId);

/// <summary>What the book needs of a member: the facts the rules read, the SMS's name and number, and what cover without enrolment checks.</summary>
internal sealed record BookMember(MemberFacts Facts, string Name, string? Phone, DateOnly BirthDate, long? UnitId);
