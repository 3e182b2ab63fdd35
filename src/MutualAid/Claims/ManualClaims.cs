using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Documents;
using MutualAid.Notifications;

namespace MutualAid.Claims;

/// <summary>A file as uploaded or named on the command line, with the checklist type it is for.</summary>
public sealed record DocumentFile(string Type, string FileName, byte[] Content);

/// <summary>
/// A claim taken at a service point or online (人工受理): the clerk, the member's ID number, the
/// event and its figures, the plans it is for (all the member holds for such an event when none
/// is named), and the documents. <see cref="Online"/> when the member applies themselves (web or
/// app): then an event already claimed is refused, where the service desk takes it flagged.
/// <see cref="Scope"/>, when given, is who files it: the member must be in their scope; a unit's union
/// officer (单位经办) files only for the unit's own workers, and the claim records that it came through the unit.
/// </summary>
public sealed record ManualClaimRequest(
    string EnteredBy,
    string IdNumber,
    EventKinds Kind,
    DateOnly Date,
    ClaimEvent Details,
    IReadOnlyList<string> Plans,
    IReadOnlyList<DocumentFile> Documents,
    bool Online = false,
    Access.UserScope? Scope = null);

/// <summary>
/// Manual claims for what the settlement feed does not carry: a first diagnosis, an accident, a
/// fire, a stay elsewhere paid in cash. A claim is taken only complete: the figures agree, every
/// document the plans' checklists ask for is attached and acceptable. It is computed at once by
/// the same rules as an automatic claim, under the member's lock, and waits for a second person.
/// A returned claim is corrected (补正) and computed again. One stay, one payout: an event that
/// may already be claimed (<see cref="SameEvent"/>, read under the member's lock, so two identical
/// submissions at once give one claim) is refused online and taken flagged at the service desk.
/// </summary>
public sealed class ManualClaims(MutualAidDbContext db, TimeProvider clock)
{
    public Task<Claim> SubmitAsync(ManualClaimRequest request, Actor actor, CancellationToken cancellationToken) =>
        db.InTransactionAsync(ct => SubmitAttemptAsync(request, actor, ct), cancellationToken);

    private async Task<Claim> SubmitAttemptAsync(ManualClaimRequest request, Actor actor, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        if (string.IsNullOrWhiteSpace(request.EnteredBy) || request.EnteredBy == Claim.System)
            problems.Add(new Problem("经办人", "须填写具名的经办人"));
        if (!IdNumber.TryParse(request.IdNumber, out var id, out var idError))
            throw new InvalidInputException([new Problem("身份证号", idError)]);
        var memberId = await db.Members.Where(m => m.IdNumber == id.Value).Select(m => (long?)m.Id).SingleOrDefaultAsync(cancellationToken)
            ?? throw new InvalidInputException([new Problem("身份证号", $"{id.Masked} 不是已登记的会员")]);
        var throughUnit = await ThroughUnitAsync(request.Scope, memberId, id, cancellationToken);
        var now = clock.Now();
        problems.AddRange(request.Details.Check(request.Kind, request.Date, BeijingTime.Day(now)));
        var fed = request.Kind == EventKinds.Hospitalization ? await FedSettlementAsync(memberId, request.Details, null, cancellationToken) : null;
        if (fed is not null)
            problems.Add(new Problem("admissionDate", $"这次住院已有医保结算 {fed}，按自动理赔办理，不能重复申请"));

        var schemes = await StoredSchemes.LoadAsync(db, cancellationToken);
        await ClaimBook.LockAsync(db, [memberId], cancellationToken);
        var span = new EventSpan(memberId, request.Kind, EventSpan.StartOf(request.Kind, request.Date, request.Details.AdmissionDate), request.Date);
        var duplicates = await SameEvent.OfAsync(db, span, cancellationToken);
        if (request.Online && fed is null)
        {
            problems.AddRange(duplicates.Select(d => new Problem(request.Kind == EventKinds.Hospitalization ? "admissionDate" : "date",
                $"与已受理的理赔 {d.Describe()}是同一{Names.Of(request.Kind)}，不能重复申请；如有疑问请到服务网点办理")));
        }
        var book = await ClaimBook.LoadAsync(db, schemes, [memberId], null, cancellationToken);
        var plans = PlansOf(book, memberId, request, problems);
        var documents = Documents(request.Documents, plans, request.Details.Procedures, request.EnteredBy, now, problems);
        if (problems.Count > 0)
            throw new InvalidInputException(problems);

        var held = book.SchemesOf(memberId, request.Date);
        var claim = new Claim(memberId, null, ClaimSource.Manual, request.Kind, request.Date, now, request.EnteredBy,
            held.Count == 0 ? 7 : held.Min(s => s.PromiseDays), request.Details.AdmissionDate);
        // The files first, then the rows: a file without its row is harmless, a row without its file a lost document.
        await db.PutAsync(documents, cancellationToken);
        claim.Enter(request.Details, documents, throughUnit);
        claim.Computed(book.Adjudicate(memberId, request.Details.ToEvent(EventId(now), memberId.ToString(CultureInfo.InvariantCulture), request.Kind, request.Date), plans));
        db.Claims.Add(claim);
        await db.SaveChangesAsync(cancellationToken);
        if (book.NoticeOf(claim, now) is { } notice)
            db.Notices.Add(notice);
        db.Audit(actor, now, request.Online ? "在线申请" : throughUnit is not null ? "单位代办" : "人工受理", claim.Number,
            $"{claim.Total.ToDisplayString()} 元，材料 {documents.Count} 件"
            + (duplicates.Count > 0 ? $"；可能重复，提请复核：{string.Join("、", duplicates.Select(d => d.Number))}" : ""));
        await db.SaveChangesAsync(cancellationToken);
        return claim;
    }

    /// <summary>补正: new figures and further documents for a returned claim; computed again and back for review.</summary>
    public Task<Claim> CorrectAsync(string number, string clerk, ClaimEvent details, IReadOnlyList<DocumentFile> added, string reason, Actor actor,
        CancellationToken cancellationToken) =>
        db.InTransactionAsync(ct => CorrectAttemptAsync(number, clerk, details, added, reason, actor, ct), cancellationToken);

    private async Task<Claim> CorrectAttemptAsync(string number, string clerk, ClaimEvent details, IReadOnlyList<DocumentFile> added, string reason, Actor actor,
        CancellationToken cancellationToken)
    {
        var schemes = await StoredSchemes.LoadAsync(db, cancellationToken);
        var claimId = Claim.IdOf(number);
        var memberId = await db.Claims.Where(c => c.Id == claimId).Select(c => (long?)c.MemberId).SingleOrDefaultAsync(cancellationToken)
            ?? throw new InvalidInputException(number, "没有这个编号的理赔");
        await ClaimBook.LockAsync(db, [memberId], cancellationToken);
        var claim = await db.Claims.Include(c => c.Lines).Include(c => c.Documents).SingleAsync(c => c.Id == claimId, cancellationToken);
        if (claim.Number != number)
            throw new InvalidInputException(number, "没有这个编号的理赔");
        if (claim.Source != ClaimSource.Manual || claim.State != ClaimState.Returned)
            throw new InvalidInputException(number, $"只有退回的人工理赔可以补正（现为“{Names.Of(claim.State)}”）");

        var now = clock.Now();
        var problems = details.Check(claim.Kind, claim.EventDate, BeijingTime.Day(now)).ToList();
        // The intake's check of one stay, one payout, again on the corrected days: the stay the feed carries is
        // refused (unless its settlement was matched to this very claim), another claim of the same event is flagged.
        if (claim.Kind == EventKinds.Hospitalization && await FedSettlementAsync(memberId, details, claim.Id, cancellationToken) is { } fed)
            problems.Add(new Problem("admissionDate", $"这次住院已有医保结算 {fed}，按自动理赔办理，不能重复申请"));
        var span = new EventSpan(memberId, claim.Kind, EventSpan.StartOf(claim.Kind, claim.EventDate, details.AdmissionDate), claim.EventDate);
        var duplicates = (await SameEvent.OfAsync(db, span, cancellationToken))
            .Where(d => d.Id != claim.Id && d.MatchedToId != claim.Id && (d.Source == ClaimSource.Manual || claim.Source == ClaimSource.Manual)).ToList();
        // The claim's own lines no longer count: it is computed again as if new.
        var book = await ClaimBook.LoadAsync(db, schemes, [memberId], claim.Id, cancellationToken);
        var plans = book.PlansFor(memberId, claim.Kind, claim.EventDate).Where(p => claim.Lines.Any(l => l.PlanCode == p.Code)).ToList();
        var documents = Documents(added, plans, details.Procedures, clerk, now, problems, claim.Documents.Select(d => d.Type));
        if (problems.Count > 0)
            throw new InvalidInputException(problems);
        var lines = book.Adjudicate(memberId, details.ToEvent(EventId(now), memberId.ToString(CultureInfo.InvariantCulture), claim.Kind, claim.EventDate), plans);
        await db.PutAsync(documents, cancellationToken);
        claim.Correct(clerk, now, details, documents, lines, reason);
        if (book.NoticeOf(claim, now) is { } notice)
            db.Notices.Add(notice);
        db.Audit(actor, now, "补正", number, $"{claim.Total.ToDisplayString()} 元，新增材料 {documents.Count} 件：{reason}"
            + (duplicates.Count > 0 ? $"；可能重复，提请复核：{string.Join("、", duplicates.Select(d => d.Number))}" : ""));
        await db.SaveChangesAsync(cancellationToken);
        return claim;
    }

    /// <summary>
    /// Who may file for the member: anyone the door vouches for when no scope is given (the CLI's named
    /// clerk); else only a member in the scope, and a unit's officer only for their unit's workers
    /// (单位代办: the claim keeps the unit it came through). Refused naming the field.
    /// </summary>
    private async Task<long?> ThroughUnitAsync(Access.UserScope? scope, long memberId, IdNumber id, CancellationToken cancellationToken)
    {
        if (scope is null)
            return null;
        var unitOfficer = scope.UnitId is not null && scope.Roles.Contains(Access.Roles.UnitOfficer);
        if (!unitOfficer && !scope.Roles.Overlaps([Access.Roles.Clerk, Access.Roles.Member]))
            throw new InvalidInputException([new Problem("经办人", $"{scope.UserName} 不能受理理赔（限经办人员、单位经办和会员本人）")]);
        if (!await scope.Members(db).AnyAsync(m => m.Id == memberId, cancellationToken))
            throw new InvalidInputException([new Problem("身份证号", unitOfficer
                ? $"会员 {id.Masked} 不是本单位的职工，单位经办 {scope.UserName} 只能为本单位职工代办理赔"
                : $"会员 {id.Masked} 不在 {scope.UserName} 的范围内，不能受理")]);
        return unitOfficer ? scope.UnitId : null;
    }

    /// <summary>For the intake form: the plans a member holds for such an event on the day, and the documents they ask for.</summary>
    public async Task<(IReadOnlyList<Plan> Plans, IReadOnlyList<string> Documents)> ChecklistAsync(long memberId, EventKinds kind, DateOnly date, CancellationToken cancellationToken)
    {
        var schemes = await StoredSchemes.LoadAsync(db, cancellationToken);
        var book = await ClaimBook.LoadAsync(db, schemes, [memberId], null, cancellationToken);
        var plans = book.PlansFor(memberId, kind, date);
        return (plans, Checklist(plans));
    }

    /// <summary>The checklist a claim on these plans must carry: every document any of them asks for.</summary>
    public static IReadOnlyList<string> Checklist(IEnumerable<Plan> plans) => [.. plans.SelectMany(p => p.Documents).Distinct()];

    private static string EventId(DateTime now) => $"manual-{now.Ticks}";

    private static List<Plan> PlansOf(ClaimBook book, long memberId, ManualClaimRequest request, List<Problem> problems)
    {
        var held = book.PlansFor(memberId, request.Kind, request.Date);
        // Cover without enrolment refused on the day: the reason is the answer (age, kind, unit).
        var refused = book.CoverFor(memberId, request.Kind, request.Date).Where(c => c.Refusal is not null).ToList();
        if (request.Plans.Count == 0)
        {
            if (held.Count == 0)
            {
                problems.Add(new Problem("计划", $"该会员在 {request.Date:yyyy-MM-dd} 没有受理{Names.Of(request.Kind)}的保障计划"
                    + string.Concat(refused.Select(c => $"；{c.Plan.Name}：{c.Refusal}"))));
            }
            return [.. held];
        }
        var plans = new List<Plan>();
        foreach (var code in request.Plans)
        {
            if (held.FirstOrDefault(p => p.Code == code) is { } plan)
                plans.Add(plan);
            else if (refused.FirstOrDefault(c => c.Plan.Code == code) is ({ } cover, { } why))
                problems.Add(new Problem("计划", $"该会员在 {request.Date:yyyy-MM-dd} 不在{cover.Name}的保障范围：{why}"));
            else
                problems.Add(new Problem("计划", $"该会员在 {request.Date:yyyy-MM-dd} 没有参加受理{Names.Of(request.Kind)}的计划 {code}"));
        }
        return plans;
    }

    /// <summary>
    /// Reads the files and checks the checklist: every required type present (counting those already on the claim), and the
    /// record of the treatments when the claim names any, since they may pay a sum of their own.
    /// </summary>
    private static List<ClaimDocument> Documents(IReadOnlyList<DocumentFile> files, IReadOnlyList<Plan> plans, Procedures procedures, string by, DateTime at,
        List<Problem> problems, IEnumerable<string>? alreadyAttached = null)
    {
        var documents = files.Select(f => ClaimDocument.Read(f.Type, f.FileName, f.Content, by, at, problems)).OfType<ClaimDocument>().ToList();
        var present = documents.Select(d => d.Type).Concat(alreadyAttached ?? []).ToHashSet(StringComparer.Ordinal);
        foreach (var missing in Checklist(plans).Where(t => !present.Contains(t)))
            problems.Add(new Problem("材料", $"缺少{SpecNames.Documents[missing]}（{missing}），{string.Join("、", plans.Where(p => p.Documents.Contains(missing)).Select(p => p.Name))}要求提供"));
        if (procedures != Procedures.None && !present.Contains(ClaimEvent.ProcedureRecord))
            problems.Add(new Problem("材料", $"填写了治疗（{SpecNames.ChineseName(procedures)}），须附{SpecNames.Documents[ClaimEvent.ProcedureRecord]}（{ClaimEvent.ProcedureRecord}）"));
        return documents;
    }

    /// <summary>The settlement of the same stay, if the feed carries one; one already matched to <paramref name="manualClaimId"/> is that claim's own.</summary>
    private async Task<string?> FedSettlementAsync(long memberId, ClaimEvent details, long? manualClaimId, CancellationToken cancellationToken) =>
        await db.Settlements.Where(s => s.MemberId == memberId && s.RefundsSetlId == null && s.RefundedBySetlId == null
                && s.AdmissionDate == details.AdmissionDate && s.DischargeDate == details.DischargeDate
                && (manualClaimId == null || !db.Claims.Any(c => c.SettlementId == s.Id && c.MatchedToId == manualClaimId)))
            .Select(s => s.SetlId).FirstOrDefaultAsync(cancellationToken);

}
