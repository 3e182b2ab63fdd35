using Microsoft.EntityFrameworkCore;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Schemes;

namespace MutualAid.Enrollment;

/// <summary>What renewing a unit did, with the members who could not be renewed and why.</summary>
public sealed record RenewalReport(int Renewed, int AlreadyRenewed, bool Written, IReadOnlyList<string> Problems);

/// <summary>Enrolling one member, renewing a unit's roster for the next period, withdrawing.</summary>
public sealed class EnrollmentCommands(MutualAidDbContext db, TimeProvider? clock = null)
{
    /// <summary>
    /// Enrolls one member: an individual for a year from <paramref name="start"/>; a unit's worker
    /// from that day in the unit's period running then (a new hire, 新进职工, to the period's end and
    /// charged as the scheme's <c>partPeriodPremium</c> says), or for a year when none runs.
    /// <paramref name="joinRunning"/> (<c>--from</c>) refuses when no period runs.
    /// </summary>
    public async Task<Enrollment> EnrolAsync(string idNumber, string? schemeCode, string planCode, DateOnly start, int units, bool gifted, FundingSplit? split, Actor actor,
        CancellationToken cancellationToken, bool joinRunning = false)
    {
        var member = await FindMemberAsync(idNumber, cancellationToken);
        var loaded = await new SchemeQueries(db).ForEnrolmentAsync(schemeCode, cancellationToken, planCode);
        var plan = loaded.Plan(planCode);
        var who = $"{member.Name}（{member.IdNumber}）";
        var periods = await UnitPeriods.LoadAsync(db, member.UnitId is { } unitId ? [unitId] : [], cancellationToken);
        var placement = periods.Place(member.UnitId, plan.Code, start, joinRunning, loaded.Scheme.PartPeriodPremium, EnrollmentRules.PeriodYears(plan, start), out var refusal)
            ?? throw new InvalidInputException([new Problem(who, refusal!)]);
        var period = placement.Period;
        var held = await HeldPeriods.LoadAsync(db, [member.Id], cancellationToken);
        if (held.GetValueOrDefault(member.Id, []).Contains(new HeldPeriod(plan.Code, period)))
        {
            var same = await db.Enrollments.AsNoTracking()
                .SingleAsync(e => e.MemberId == member.Id && e.PlanCode == plan.Code && e.Start == period.Start && e.End == period.End && e.Status != EnrollmentStatus.Withdrawn, cancellationToken);
            return same;
        }
        var problems = EnrollmentRules.Check(plan, member.BirthDate, member.Gender, member.Type, period, units, held.GetValueOrDefault(member.Id, []), member.ModelWorker);
        if (problems.Count > 0)
            throw new InvalidInputException([.. problems.Select(p => new Problem(who, p))]);
        var unitKind = member.UnitId is { } own ? await db.Units.Where(u => u.Id == own).Select(u => (Units.UnitKind?)u.Kind).SingleAsync(cancellationToken) : null;
        var price = EnrollmentRules.Price(plan, period, units, unitKind, held.GetValueOrDefault(member.Id, []));
        var enrollment = Enrollment.Create(member.Id, loaded.VersionFor(plan, period.Start)!, period, price, member.UnitId, gifted, split, placement);
        db.Enrollments.Add(enrollment);
        db.Audit(actor, Now, "参保", $"会员 {member.Id}", $"{plan.Name} {period.Start:yyyy-MM-dd}–{period.End:yyyy-MM-dd}{(gifted ? "（赠送）" : "")}"
            + (placement.Joins ? $"，新进职工加入单位 {placement.UnitPeriod.Start:yyyy-MM-dd} 起的期间" : "")
            + $"，保费 {enrollment.Premium.ToDisplayString()} 元（{enrollment.PriceRule}）");
        await db.SaveChangesAsync(cancellationToken);
        return enrollment;
    }

    /// <summary>
    /// Renews every enrollment of a unit's period (new hires who joined it included, and workers
    /// transferred in whose period ends with it; not those transferred out) into the next one, for
    /// the unit, under the version then in force (its period's years, and its price for the unit's
    /// kind and a continuing member), checking each again (a worker may have passed the age limit). Nothing is written
    /// while any member fails unless <paramref name="skipInvalid"/>; renewing twice changes nothing.
    /// </summary>
    public Task<RenewalReport> RenewUnitAsync(string unitCode, DateOnly currentStart, bool skipInvalid, Actor actor, CancellationToken cancellationToken) =>
        db.InTransactionAsync(ct => RenewUnitAttemptAsync(unitCode, currentStart, skipInvalid, actor, ct), cancellationToken);

    private async Task<RenewalReport> RenewUnitAttemptAsync(string unitCode, DateOnly currentStart, bool skipInvalid, Actor actor, CancellationToken cancellationToken)
    {
        var unit = await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Code == unitCode, cancellationToken)
            ?? throw new InvalidInputException([new Problem("单位", $"没有统一社会信用代码为 {unitCode} 的单位")]);
        // The period is every enrollment of the unit ending with those that began on its start: new hires who joined it later too.
        var ends = await db.Enrollments.AsNoTracking()
            .Where(e => e.UnitId == unit.Id && e.Start == currentStart && e.Status != EnrollmentStatus.Withdrawn)
            .Select(e => e.End).Distinct().ToListAsync(cancellationToken);
        var current = await db.Enrollments.AsNoTracking()
            .Where(e => ends.Contains(e.End) && e.Status != EnrollmentStatus.Withdrawn
                && (e.UnitId == unit.Id || db.Members.Any(m => m.Id == e.MemberId && m.UnitId == unit.Id)))
            .Join(db.PlanVersions, e => e.PlanVersionId, v => v.Id, (e, v) => new { Enrollment = e, v.SchemeId })
            .ToListAsync(cancellationToken);
        if (current.Count == 0)
            throw new InvalidInputException([new Problem("单位", $"{unit.Name}没有 {currentStart:yyyy-MM-dd} 开始的参保期间")]);
        var memberIds = current.Select(c => c.Enrollment.MemberId).Distinct().ToList();
        var members = await db.Members.AsNoTracking().Where(m => memberIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, cancellationToken);
        var held = await HeldPeriods.LoadAsync(db, memberIds, cancellationToken);
        var schemes = new Dictionary<long, LoadedScheme>();
        foreach (var schemeId in current.Select(c => c.SchemeId).Distinct())
        {
            var stored = await db.Schemes.AsNoTracking().Include(s => s.Versions).SingleAsync(s => s.Id == schemeId, cancellationToken);
            schemes[schemeId] = new LoadedScheme(stored, SchemeReader.Parse(stored.Document));
        }

        var problems = new List<string>();
        var fresh = new List<Enrollment>();
        var already = 0;
        foreach (var item in current.OrderBy(c => c.Enrollment.Id))
        {
            var old = item.Enrollment;
            var member = members[old.MemberId];
            // A worker transferred out is renewed by their new unit; one transferred in, by this one, without a break.
            if (member.UnitId != unit.Id)
                continue;
            var loaded = schemes[item.SchemeId];
            var plan = loaded.Plan(old.PlanCode);
            var next = old.NextPeriod(EnrollmentRules.PeriodYears(plan, old.End.AddDays(1)));
            var periods = held.GetValueOrDefault(member.Id, []);
            if (periods.Contains(new HeldPeriod(old.PlanCode, next)))
            {
                already++;
                continue;
            }
            var failures = EnrollmentRules.Check(plan, member.BirthDate, member.Gender, member.Type, next, old.Units, periods, member.ModelWorker);
            if (failures.Count > 0)
            {
                problems.AddRange(failures.Select(f => $"{member.Name}（{member.IdNumber}）：{f}"));
                continue;
            }
            fresh.Add(Enrollment.Create(member.Id, loaded.VersionFor(plan, next.Start)!, next, EnrollmentRules.Price(plan, next, old.Units, unit.Kind, periods), unit.Id, old.Gifted));
        }
        var write = problems.Count == 0 || skipInvalid;
        if (write && fresh.Count > 0)
        {
            await BulkInsert.InsertAsync(db, fresh, cancellationToken);
            db.Audit(actor, Now, "整体续保", unitCode, $"{currentStart:yyyy-MM-dd} 起续到下一期：{fresh.Count} 人次" + (problems.Count > 0 ? $"，跳过 {problems.Count} 人" : ""));
            await db.SaveChangesAsync(cancellationToken);
        }
        return new RenewalReport(write ? fresh.Count : 0, already, write, problems);
    }

    public async Task<Enrollment> WithdrawAsync(string idNumber, string planCode, DateOnly start, DateOnly on, Actor actor, CancellationToken cancellationToken)
    {
        var member = await FindMemberAsync(idNumber, cancellationToken);
        var enrollment = await db.Enrollments.SingleOrDefaultAsync(e => e.MemberId == member.Id && e.PlanCode == planCode && e.Start == start, cancellationToken)
            ?? throw new InvalidInputException([new Problem("参保", $"{member.Name}没有 {start:yyyy-MM-dd} 开始的 {planCode} 参保期间")]);
        enrollment.Withdraw(on);
        db.Audit(actor, Now, "退保", $"会员 {member.Id}", $"{planCode} {start:yyyy-MM-dd} 起，{on:yyyy-MM-dd} 退出");
        await db.SaveChangesAsync(cancellationToken);
        return enrollment;
    }

    private DateTime Now => (clock ?? TimeProvider.System).Now();

    private async Task<Members.Member> FindMemberAsync(string idNumber, CancellationToken cancellationToken)
    {
        var normalized = idNumber.Trim().ToUpperInvariant();
        return await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.IdNumber == normalized, cancellationToken)
            ?? throw new InvalidInputException([new Problem("会员", $"没有身份证号为 {idNumber} 的会员")]);
    }
}
