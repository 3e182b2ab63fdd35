using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Data;

namespace MutualAid.Schemes;

/// <summary>
/// Plans and their benefits as people name them: a plan by its scheme's own name
/// (INPATIENT → 在职职工住院医疗互助保障), a benefit by what it pays (CRITICAL_LUMP → 一次性给付).
/// Read once per page or export from the stored schemes; a code no scheme names stays itself.
/// </summary>
public sealed class PlanNames
{
    private readonly Dictionary<string, string> _plans = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Plan, string Benefit), string> _benefits = [];

    private PlanNames()
    {
    }

    public static async Task<PlanNames> LoadAsync(MutualAidDbContext db, CancellationToken cancellationToken)
    {
        var names = new PlanNames();
        // The scheme loaded first names a code two schemes share.
        foreach (var document in await db.Schemes.AsNoTracking().OrderBy(s => s.Id).Select(s => s.Document).ToListAsync(cancellationToken))
        {
            foreach (var plan in SchemeReader.Parse(document).Plans)
            {
                names._plans.TryAdd(plan.Code, plan.Name);
                foreach (var benefit in plan.Versions.SelectMany(v => v.Benefits))
                    names._benefits.TryAdd((plan.Code, benefit.Code), Describe(benefit));
            }
        }
        return names;
    }

    /// <summary>The codes this table names: a page shows none of them.</summary>
    public IEnumerable<string> Codes => _plans.Keys.Concat(_benefits.Keys.Select(k => k.Benefit)).Distinct(StringComparer.Ordinal);

    public string Plan(string code) => _plans.GetValueOrDefault(code, code);

    /// <summary>Every plan, for a form's choice: its code and its name.</summary>
    public IEnumerable<(string Code, string Name)> All => _plans.Select(p => (p.Key, p.Value));

    /// <summary>A claim line's plan and benefit (在职职工住院医疗互助保障 · 按比例补助).</summary>
    public string Line(string plan, string? benefit) =>
        benefit is null ? Plan(plan) : $"{Plan(plan)} · {_benefits.GetValueOrDefault((plan, benefit), benefit)}";

    /// <summary>The plan a person means by a code or a name, or null.</summary>
    public string? CodeOf(string codeOrName)
    {
        var text = codeOrName.Trim();
        if (_plans.ContainsKey(text.ToUpperInvariant()))
            return text.ToUpperInvariant();
        return _plans.Where(p => p.Value == text).Select(p => p.Key).FirstOrDefault();
    }

    private static string Describe(Benefit benefit)
    {
        var what = benefit switch
        {
            BracketedBenefit => "按比例补助",
            TieredBenefit => "分档补助",
            LumpSumBenefit when benefit.InWaitingPeriodAfterDays is not null => "等待期内慰问金",
            LumpSumBenefit => "一次性给付",
            PerDayBenefit => "住院津贴",
            ScheduleBenefit => "按等级给付",
            _ => benefit.Code,
        };
        var who = benefit.AppliesTo switch { AppliesTo.New => "（新参保）", AppliesTo.Continuing => "（续保）", _ => "" };
        var treatment = benefit.Procedures == Procedures.None ? "" : $"（{SpecNames.ChineseName(benefit.Procedures)}）";
        return what + who + treatment;
    }
}
