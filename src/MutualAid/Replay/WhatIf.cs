using Microsoft.EntityFrameworkCore;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Enrollment;
using MutualAid.Importing;
using MutualAid.Schemes;

namespace MutualAid.Replay;

/// <summary>One row of a what-if: its members with claims, what was paid, what the draft would pay, and how many would gain or lose.</summary>
public sealed record WhatIfRow(string Name, int Members, Money Paid, Money WouldPay, int Gainers, int Losers)
{
    public Money Difference => WouldPay - Paid;
}

/// <summary>
/// A plan's row, with 以支定收: the premium per head that would have balanced the year's payouts under the draft
/// (<see cref="WouldPay"/> ÷ <see cref="Heads"/>, the members with a paid enrollment of the plan in the year), beside today's and the draft's;
/// and the year's premium income of the same heads at each (a head pays a year's premium) with the balance it leaves after the payouts.
/// </summary>
public sealed record WhatIfPlanRow(string Code, string Name, int Members, Money Paid, Money WouldPay, int Gainers, int Losers, int Heads, Money CurrentPremium, Money DraftPremium)
{
    public Money Difference => WouldPay - Paid;

    /// <summary>Null when nobody paid for the plan (a plan covering all members without enrolment).</summary>
    public Money? BalancingPremium => Heads == 0 ? null : Money.RoundFen((decimal)WouldPay.Fen / Heads);

    /// <summary>现行会费收入: the heads at today's premium.</summary>
    public Money CurrentIncome => CurrentPremium * Heads;

    /// <summary>草案会费收入: the same heads at the draft's premium.</summary>
    public Money DraftIncome => DraftPremium * Heads;

    /// <summary>现行收支差额: today's income less what was paid.</summary>
    public Money CurrentBalance => CurrentIncome - Paid;

    /// <summary>草案收支差额: the draft's income less what the draft would pay.</summary>
    public Money DraftBalance => DraftIncome - WouldPay;
}

/// <summary>A member who would gain or lose most, their ID number masked.</summary>
public sealed record WhatIfMember(string MaskedId, string Name, string District, string Group, Money Paid, Money WouldPay)
{
    public Money Difference => WouldPay - Paid;
}

/// <summary>测算: a year's claims paid under the stored rules and under a draft scheme, by plan, district and member group.</summary>
public sealed record WhatIfReport(int Year, string Scheme, string Draft, int Claims, WhatIfRow Total, IReadOnlyList<WhatIfPlanRow> Plans, IReadOnlyList<WhatIfRow> Districts,
    IReadOnlyList<WhatIfRow> Groups, IReadOnlyList<WhatIfMember> Gainers, IReadOnlyList<WhatIfMember> Losers)
{
    /// <summary>The plans' premium income and balances summed: today's, the draft's.</summary>
    public (Money CurrentIncome, Money DraftIncome, Money CurrentBalance, Money DraftBalance) Income =>
        (Money.Sum(Plans.Select(p => p.CurrentIncome)), Money.Sum(Plans.Select(p => p.DraftIncome)),
            Money.Sum(Plans.Select(p => p.CurrentBalance)), Money.Sum(Plans.Select(p => p.DraftBalance)));
}

/// <summary>
/// 测算 (what-if): replays a year's events (claims dated in the year, neither rejected nor reversed nor
/// matched to a manual claim) under a draft scheme, read as <c>schemes/*.json</c> are. The draft stands
/// in for the stored scheme of its code (or the one holding its plans), plan by plan by code, and
/// must have the same plans; each draft plan's latest version governs every period, whenever it
/// started, so that a version drafted for next year is tried on this year's events. Members keep
/// their enrollments and periods; each member's earlier claims are replayed under the draft too,
/// since they count towards its caps (<see cref="ClaimReplay"/>). Reads only (the export writes its audit line);
/// memory stays flat (sums by row, the top members kept as they come).
/// </summary>
public sealed class WhatIf(MutualAidDbContext db)
{
    public const int Top = 10;

    /// <summary>Why the user may not run a what-if (null: they may): it reads every claim of the city, so city-wide administrators and finance only.</summary>
    public static string? Refusal(Access.UserScope scope) =>
        !scope.Roles.Overlaps([Access.Roles.Admin, Access.Roles.Finance]) ? "测算仅限管理员和财务人员使用"
        : !scope.IsCityWide ? $"测算涉及全市的理赔和会员，仅限全市范围的管理员和财务人员使用；{scope.DisplayName}只管理本区县（本单位）的数据"
        : null;

    public async Task<WhatIfReport> RunAsync(string draftJson, int year, CancellationToken cancellationToken)
    {
        if (year is < 2000 or > 9999)
            throw new InvalidInputException([new Problem("年度", $"“{year}”不是有效的年度")]);
        var stored = await StoredSchemes.LoadAsync(db, cancellationToken);
        var (matched, draft) = Apply(stored, draftJson);
        var schemes = stored.With(matched, draft);
        var (first, last) = (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        // Members with a claim of the year: those whose every claim of the year no longer counts add nothing.
        var members = db.Claims.Where(c => c.EventDate >= first && c.EventDate <= last).Select(c => c.MemberId).Distinct();
        var districtNames = await db.Districts.AsNoTracking().ToDictionaryAsync(d => d.Id, d => d.Name, cancellationToken);
        var districtOf = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.DistrictId, cancellationToken);

        var total = new Tally();
        var plans = new Dictionary<string, Tally>(StringComparer.Ordinal);
        var districts = new Dictionary<string, Tally>(StringComparer.Ordinal);
        var groups = new Dictionary<string, Tally>(StringComparer.Ordinal);
        var gainers = new PriorityQueue<WhatIfMember, long>();
        var losers = new PriorityQueue<WhatIfMember, long>();
        var claims = 0;
        await foreach (var batch in new ClaimReplay(db, schemes).RunAsync(members, last, cancellationToken))
        {
            foreach (var member in batch.Claims.Where(c => c.Lines is not null && c.Claim.EventDate >= first).GroupBy(c => c.Claim.MemberId))
            {
                var byPlan = new Dictionary<string, (Money Paid, Money Would)>(StringComparer.Ordinal);
                foreach (var (claim, lines, _) in member)
                {
                    claims++;
                    foreach (var line in claim.Lines.Where(l => l.PlanCode.Length > 0))
                    {
                        var (p, w) = byPlan.GetValueOrDefault(line.PlanCode);
                        byPlan[line.PlanCode] = (p + line.Amount, w);
                    }
                    foreach (var line in lines!.Where(l => l.PlanCode.Length > 0))
                    {
                        var (p, w) = byPlan.GetValueOrDefault(line.PlanCode);
                        byPlan[line.PlanCode] = (p, w + line.Amount);
                    }
                }
                foreach (var (plan, (p, w)) in byPlan)
                    Row(plans, plan).Add(p, w);
                var paid = Money.Sum(byPlan.Values.Select(v => v.Paid));
                var would = Money.Sum(byPlan.Values.Select(v => v.Would));
                var who = batch.Members[member.Key];
                var district = who.Book.UnitId is { } unit ? districtNames[districtOf[unit]] : "无单位";
                var group = $"{Names.Of(who.Book.Facts.Type!.Value)}·{(who.Book.Facts.Gender == Gender.Female ? "女" : "男")}";
                total.Add(paid, would);
                Row(districts, district).Add(paid, would);
                Row(groups, group).Add(paid, would);
                if (paid != would)
                {
                    var shown = new WhatIfMember(IdNumber.Parse(who.IdNumber).Masked, who.Book.Name, district, group, paid, would);
                    Keep(paid < would ? gainers : losers, shown, Math.Abs((would - paid).Fen));
                }
            }
        }

        var heads = await db.Enrollments.AsNoTracking()
            .Where(e => (e.Status == EnrollmentStatus.Active || (e.Status == EnrollmentStatus.Withdrawn && e.CoverageStart != null)) && e.Start <= last && e.End >= first)
            .GroupBy(e => e.PlanCode).Select(g => new { g.Key, Heads = g.Select(e => e.MemberId).Distinct().Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Heads, cancellationToken);
        // Every plan paid for in the year has a row, whether or not it paid a claim: its income stands against no payout.
        var planRows = plans.Keys.Union(heads.Keys).Order(StringComparer.Ordinal).Select(code =>
        {
            var row = plans.GetValueOrDefault(code) ?? new Tally();
            var now = stored.All.Select(s => s.Scheme.Plans.FirstOrDefault(x => x.Code == code)).OfType<Plan>().FirstOrDefault();
            var drafted = schemes.All.Select(s => s.Scheme.Plans.FirstOrDefault(x => x.Code == code)).OfType<Plan>().FirstOrDefault() ?? now;
            return new WhatIfPlanRow(code, now?.Name ?? code, row.Members, row.Paid, row.Would, row.Gainers, row.Losers,
                heads.GetValueOrDefault(code), now?.Versions[^1].Premium ?? Money.Zero, drafted?.Versions[^1].Premium ?? Money.Zero);
        }).ToList();
        return new WhatIfReport(year, matched.Stored.Name, draft.Name, claims, total.Row("合计"), planRows,
            [.. districts.OrderBy(d => d.Key == "无单位").ThenBy(d => d.Key, StringComparer.Ordinal).Select(d => d.Value.Row(d.Key))],
            [.. groups.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Value.Row(g.Key))],
            Ranked(gainers), Ranked(losers));
    }

    /// <summary>The stored schemes, by code and name: the page offers them as the draft to start from (a baseline).</summary>
    public async Task<IReadOnlyList<(string Code, string Name)>> SchemesAsync(CancellationToken cancellationToken) =>
        [.. (await db.Schemes.AsNoTracking().OrderBy(s => s.Id).Select(s => new { s.Code, s.Name }).ToListAsync(cancellationToken)).Select(s => (s.Code, s.Name))];

    /// <summary>A stored scheme's document, to be tried as a draft; null when there is no such scheme.</summary>
    public Task<string?> DocumentAsync(string code, CancellationToken cancellationToken) =>
        db.Schemes.AsNoTracking().Where(s => s.Code == code).Select(s => s.Document).FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Reads the draft and finds the stored scheme it stands in for; every problem names its field (the
    /// reader's JSON paths). Each plan keeps only its latest version, in force from the stored plan's first day.
    /// </summary>
    private static (LoadedScheme Matched, Scheme Draft) Apply(StoredSchemes stored, string json)
    {
        var draft = SchemeReader.Parse(json);
        var matched = stored.All.FirstOrDefault(s => s.Stored.Code == draft.Code)
            ?? stored.All.FirstOrDefault(s => draft.Plans.All(p => s.Scheme.Plans.Any(q => q.Code == p.Code)))
            ?? throw new InvalidInputException([new Problem("scheme", $"草案的方案代码“{draft.Code}”与已存方案（{string.Join("、", stored.All.Select(s => s.Stored.Code))}）都不符，计划代码也对不上")]);
        var problems = new List<Problem>();
        foreach (var plan in matched.Scheme.Plans.Where(p => draft.Plans.All(q => q.Code != p.Code)))
            problems.Add(new Problem("plans", $"草案缺少已存方案 {matched.Stored.Code} 的计划 {plan.Code}（{plan.Name}）：测算须包含方案的全部计划"));
        for (var i = 0; i < draft.Plans.Count; i++)
        {
            if (matched.Scheme.Plans.All(p => p.Code != draft.Plans[i].Code))
                problems.Add(new Problem($"plans[{i}].code", $"计划 {draft.Plans[i].Code} 不在已存方案 {matched.Stored.Code} 中：无人参保，无法测算"));
        }
        if (problems.Count > 0)
            throw new InvalidInputException(problems);
        foreach (var plan in draft.Plans)
        {
            var latest = plan.Versions[^1];
            plan.Versions = [new PlanVersion(matched.Plan(plan.Code).Versions[0].EffectiveFrom, latest.Premium, latest.Benefits)
                { PremiumRules = latest.PremiumRules, PeriodYears = latest.PeriodYears }];
        }
        return (matched, draft);
    }

    private static Tally Row(Dictionary<string, Tally> rows, string key) =>
        rows.TryGetValue(key, out var row) ? row : rows[key] = new Tally();

    /// <summary>Keeps the <see cref="Top"/> largest by <paramref name="size"/>: the queue's head is the smallest kept.</summary>
    private static void Keep(PriorityQueue<WhatIfMember, long> kept, WhatIfMember member, long size)
    {
        if (kept.Count < Top)
            kept.Enqueue(member, size);
        else if (kept.TryPeek(out _, out var smallest) && size > smallest)
            kept.EnqueueDequeue(member, size);
    }

    private static List<WhatIfMember> Ranked(PriorityQueue<WhatIfMember, long> kept) =>
        [.. kept.UnorderedItems.OrderByDescending(m => Math.Abs(m.Priority)).ThenBy(m => m.Element.MaskedId, StringComparer.Ordinal).Select(m => m.Element)];

    /// <summary>
    /// The report as a workbook (<see cref="WriteXlsx"/>) with its audit line: like the lists' exports, who took it is recorded,
    /// for it names the members gaining and losing most (masked) and figures of every claim of the year.
    /// </summary>
    public async Task ExportAsync(WhatIfReport report, Stream output, Actor actor, DateTime at, CancellationToken cancellationToken)
    {
        WriteXlsx(report, output);
        db.Audit(actor, at, "导出", $"方案测算 {report.Year} 年",
            $"草案“{report.Draft}”代替“{report.Scheme}”：理赔 {report.Claims} 件，列出会员 {report.Gainers.Count + report.Losers.Count} 名（身份证号已遮蔽）");
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// The report as a workbook: a sheet by plan (with 以支定收), by district, by member group, and the members gaining and losing most.
    /// </summary>
    public static void WriteXlsx(WhatIfReport report, Stream output)
    {
        SheetColumn[] row = [new("人数", CellKind.Number, 10), new("现行给付（元）", CellKind.Yuan), new("测算给付（元）", CellKind.Yuan), new("差额（元）", CellKind.Yuan),
            new("增加人数", CellKind.Number, 10), new("减少人数", CellKind.Number, 10)];
        static object?[] Cells(string name, WhatIfRow r) => [name, r.Members, r.Paid, r.WouldPay, r.Difference, r.Gainers, r.Losers];
        SheetColumn[] member = [new("身份证号", CellKind.Text, 22), new("姓名"), new("区县"), new("人群"), new("现行给付（元）", CellKind.Yuan), new("测算给付（元）", CellKind.Yuan), new("差额（元）", CellKind.Yuan)];
        static object?[] MemberCells(WhatIfMember m) => [m.MaskedId, m.Name, m.District, m.Group, m.Paid, m.WouldPay, m.Difference];
        var income = report.Income;
        XlsxWriter.Write(output,
            new Sheet("按计划", [new("计划", CellKind.Text, 30), .. row, new("参保人数", CellKind.Number, 10), new("现行会费（元）", CellKind.Yuan),
                new("草案会费（元）", CellKind.Yuan), new("以支定收会费（元/人）", CellKind.Yuan, 20), new("现行会费收入（元）", CellKind.Yuan, 18),
                new("草案会费收入（元）", CellKind.Yuan, 18), new("现行收支差额（元）", CellKind.Yuan, 18), new("草案收支差额（元）", CellKind.Yuan, 18)],
                [.. report.Plans.Select(p => (object?[])[p.Name, p.Members, p.Paid, p.WouldPay, p.Difference, p.Gainers, p.Losers, p.Heads, p.CurrentPremium, p.DraftPremium,
                    p.BalancingPremium, p.CurrentIncome, p.DraftIncome, p.CurrentBalance, p.DraftBalance]),
                    [.. Cells(report.Total.Name, report.Total), null, null, null, null, income.CurrentIncome, income.DraftIncome, income.CurrentBalance, income.DraftBalance]]),
            new Sheet("按区县", [new("区县"), .. row], [.. report.Districts.Select(r => Cells(r.Name, r)), Cells(report.Total.Name, report.Total)]),
            new Sheet("按人群", [new("人群"), .. row], [.. report.Groups.Select(r => Cells(r.Name, r)), Cells(report.Total.Name, report.Total)]),
            new Sheet("增加最多", member, report.Gainers.Select(MemberCells)),
            new Sheet("减少最多", member, report.Losers.Select(MemberCells)));
    }

    /// <summary>A row's sums as members come.</summary>
    private sealed class Tally
    {
        public int Members { get; private set; }

        public Money Paid { get; private set; }

        public Money Would { get; private set; }

        public int Gainers { get; private set; }

        public int Losers { get; private set; }

        public void Add(Money paid, Money would)
        {
            Members++;
            Paid += paid;
            Would += would;
            if (would > paid)
                Gainers++;
            else if (would < paid)
                Losers++;
        }

        public WhatIfRow Row(string name) => new(name, Members, Paid, Would, Gainers, Losers);
    }
}
