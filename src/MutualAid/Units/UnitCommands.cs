using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Units;

public sealed record UnitInput(string Code, string Name, string DistrictCode, string Kind, int Headcount, int FemaleHeadcount);

public sealed record UnitView(string Code, string Name, string District, string Kind, int Headcount, int FemaleHeadcount, int Members);

/// <summary>Registering units (参保单位) and reading them back.</summary>
public sealed class UnitCommands(MutualAidDbContext db)
{
    /// <summary>The Chinese names of <see cref="UnitKind"/> as they appear in forms and rosters.</summary>
    public static readonly IReadOnlyDictionary<string, UnitKind> KindNames = new Dictionary<string, UnitKind>
    {
        ["机关"] = UnitKind.Government,
        ["事业"] = UnitKind.Institution,
        ["事业单位"] = UnitKind.Institution,
        ["国企"] = UnitKind.StateOwned,
        ["国有企业"] = UnitKind.StateOwned,
        ["民企"] = UnitKind.Private,
        ["民营企业"] = UnitKind.Private,
        ["社团"] = UnitKind.Association,
        ["社会团体"] = UnitKind.Association,
        ["新业态平台"] = UnitKind.Platform,
        ["其他"] = UnitKind.Other,
    };

    public static string ChineseName(UnitKind kind) => KindNames.First(k => k.Value == kind).Key;

    /// <summary>Registers a unit, or updates the name, kind and headcounts of one already registered.</summary>
    public async Task<Unit> SaveAsync(UnitInput input, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        if (!UnitCode.TryParse(input.Code, out var code, out var codeError))
            problems.Add(new Problem("统一社会信用代码", $"“{input.Code}”：{codeError}"));
        if (string.IsNullOrWhiteSpace(input.Name))
            problems.Add(new Problem("单位名称", "不能为空"));
        if (!KindNames.TryGetValue(input.Kind.Trim(), out var kind))
            problems.Add(new Problem("单位性质", $"“{input.Kind}”不是可选值：{string.Join("、", KindNames.Keys)}"));
        if (input.Headcount < 0 || input.FemaleHeadcount < 0 || input.FemaleHeadcount > input.Headcount)
            problems.Add(new Problem("人数", $"职工 {input.Headcount} 人、女职工 {input.FemaleHeadcount} 人不合理"));
        var district = await db.Districts.SingleOrDefaultAsync(d => d.Code == input.DistrictCode, cancellationToken);
        if (district is null)
            problems.Add(new Problem("所属区县", $"没有代码为 {input.DistrictCode} 的区县"));
        if (problems.Count > 0)
            throw new InvalidInputException(problems);

        var unit = await db.Units.SingleOrDefaultAsync(u => u.Code == code!.Value, cancellationToken);
        if (unit is null)
        {
            unit = new Unit(code!.Value, input.Name.Trim(), district!.Id, kind, input.Headcount, input.FemaleHeadcount);
            db.Units.Add(unit);
        }
        else
        {
            unit.Update(input.Name.Trim(), district!.Id, kind, input.Headcount, input.FemaleHeadcount);
        }
        await db.SaveChangesAsync(cancellationToken);
        return unit;
    }

    public async Task<IReadOnlyList<UnitView>> ListAsync(string? districtCode, CancellationToken cancellationToken)
    {
        var rows = await db.Units.AsNoTracking()
            .Join(db.Districts, u => u.DistrictId, d => d.Id, (u, d) => new { Unit = u, District = d })
            .Where(x => districtCode == null || x.District.Code == districtCode)
            .OrderBy(x => x.District.Code).ThenBy(x => x.Unit.Code)
            .Select(x => new { x.Unit, x.District.Name, Members = db.Members.Count(m => m.UnitId == x.Unit.Id) })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(x => new UnitView(x.Unit.Code, x.Unit.Name, x.Name, ChineseName(x.Unit.Kind), x.Unit.Headcount, x.Unit.FemaleHeadcount, x.Members))];
    }
}
