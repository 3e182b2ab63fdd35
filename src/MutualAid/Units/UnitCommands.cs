using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Units;

public sealed record UnitInput(string Code, string Name, string DistrictCode, string Kind, int Headcount, int FemaleHeadcount);

public sealed record UnitView(string Code, string Name, string District, string Kind, int Headcount, int FemaleHeadcount, int Members)
{
    /// <summary>The district's code, for a form that edits the unit.</summary>
    public string DistrictCode { get; init; } = "";
}

/// <summary>Registering units (参保单位) and reading them back.</summary>
public sealed class UnitCommands(MutualAidDbContext db, TimeProvider? clock = null)
{
    /// <summary>The longest unit name the column takes.</summary>
    public const int MaxNameLength = 200;

    /// <summary>More workers than any employer has: a typing slip.</summary>
    public const int MaxHeadcount = 10_000_000;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

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

    /// <summary>Registers or updates a unit as the system (the demo, set-up scripts): audited like any other.</summary>
    public Task<Unit> SaveAsync(UnitInput input, CancellationToken cancellationToken) => SaveAsync(input, null, Actor.System(), cancellationToken);

    /// <summary>
    /// 登记单位 or 更新单位: registers a unit, or updates the name, district, kind and headcounts of one
    /// already registered, with its audit line in the same unit of work. With a <paramref name="scope"/>
    /// (the web, the CLI's --by), only an administrator or a clerk, and a district's clerk only within the
    /// district: a unit of another district is neither changed nor moved into or out of it. The same
    /// details sent twice change nothing the second time; two registrations of one code at the same
    /// moment leave one unit (the unique code), the later details.
    /// </summary>
    public async Task<Unit> SaveAsync(UnitInput input, UserScope? scope, Actor actor, CancellationToken cancellationToken)
    {
        if (scope is not null && !scope.Roles.Overlaps([Roles.Admin, Roles.Clerk]))
            throw new InvalidInputException($"单位 {input.Code?.Trim()}", "只有系统管理员和经办可以登记或修改单位");
        var problems = new List<Problem>();
        if (!UnitCode.TryParse(input.Code?.Trim().ToUpperInvariant(), out var code, out var codeError))
            problems.Add(new Problem("统一社会信用代码", $"“{input.Code}”：{codeError}"));
        var name = input.Name?.Trim() ?? "";
        if (name.Any(char.IsControl))
            problems.Add(new Problem("单位名称", "不能含换行、制表等控制字符"));
        else if (name.All(c => char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format))
            problems.Add(new Problem("单位名称", "不能为空"));
        else if (name.EnumerateRunes().Count() > MaxNameLength)
            problems.Add(new Problem("单位名称", $"最长 {MaxNameLength} 个字"));
        if (!KindNames.TryGetValue(input.Kind?.Trim() ?? "", out var kind))
            problems.Add(new Problem("单位性质", $"“{input.Kind}”不是可选值：{string.Join("、", KindNames.Keys)}"));
        if (input.Headcount is < 0 or > MaxHeadcount)
            problems.Add(new Problem("在职职工人数", $"{input.Headcount} 人不合理（应为 0 到 {MaxHeadcount:N0}）"));
        else if (input.FemaleHeadcount < 0 || input.FemaleHeadcount > input.Headcount)
            problems.Add(new Problem("女职工人数", $"{input.FemaleHeadcount} 人不合理（应为 0 到在职职工人数 {input.Headcount}）"));
        var district = await db.Districts.SingleOrDefaultAsync(d => d.Code == input.DistrictCode, cancellationToken);
        if (district is null)
            problems.Add(new Problem("所属区县", $"没有代码为 {input.DistrictCode} 的区县"));
        else if (scope?.DistrictId is { } own && district.Id != own)
            problems.Add(new Problem("所属区县", $"只能登记本区县的单位，{district.Name}不在您的范围内"));
        if (problems.Count > 0)
            throw new InvalidInputException(problems);

        var subject = $"单位 {code!.Value}";
        for (var attempt = 0; ; attempt++)
        {
            var unit = await db.Units.SingleOrDefaultAsync(u => u.Code == code!.Value, cancellationToken);
            if (unit is not null && scope?.DistrictId is { } mine && unit.DistrictId != mine)
                throw new InvalidInputException(subject, "该单位属于其他区县，不在您的范围内");
            var detail = $"{name}，{district!.Name}，{ChineseName(kind)}，职工 {input.Headcount} 人（女 {input.FemaleHeadcount} 人）";
            if (unit is null)
            {
                unit = new Unit(code!.Value, name, district.Id, kind, input.Headcount, input.FemaleHeadcount);
                db.Units.Add(unit);
                db.Audit(actor, _clock.Now(), "登记单位", subject, detail);
            }
            else if ((unit.Name, unit.DistrictId, unit.Kind, unit.Headcount, unit.FemaleHeadcount) != (name, district.Id, kind, input.Headcount, input.FemaleHeadcount))
            {
                unit.Update(name, district.Id, kind, input.Headcount, input.FemaleHeadcount);
                db.Audit(actor, _clock.Now(), "更新单位", subject, detail);
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return unit;
            }
            catch (DbUpdateException) when (attempt == 0 && db.Entry(unit).State == EntityState.Added)
            {
                // Another registration of the same code came first (its unique code): it is on file now, so this one updates it.
                // A change to a unit someone changed meanwhile is refused by its version instead (MutualAidDbContext).
                foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is Unit or AuditEntry).ToList())
                    entry.State = EntityState.Detached;
            }
        }
    }

    /// <summary>
    /// A page of the units in the scope, by code, found by a part of the code or the name (a district's staff see
    /// their district's, a unit officer their own unit, a member none); the members are counted for the page only.
    /// </summary>
    public async Task<PageOf<UnitView>> PageAsync(UserScope scope, string? text, PageRequest request, CancellationToken cancellationToken)
    {
        var page = request.Normalized;
        var units = db.Units.AsNoTracking();
        if (scope.MemberId is not null)
            units = units.Where(u => false);
        if (scope.UnitId is { } own)
            units = units.Where(u => u.Id == own);
        if (scope.DistrictId is { } district)
            units = units.Where(u => u.DistrictId == district);
        if (text?.Trim() is { Length: > 0 } part)
        {
            var upper = part.ToUpperInvariant();
            units = units.Where(u => u.Code.Contains(upper) || u.Name.Contains(part));
        }
        var total = await units.CountAsync(cancellationToken);
        var rows = await units.OrderBy(u => u.Code).Skip((page.Number - 1) * page.Size).Take(page.Size)
            .Join(db.Districts, u => u.DistrictId, d => d.Id, (u, d) => new { Unit = u, d.Name, d.Code })
            .ToListAsync(cancellationToken);
        var ids = rows.Select(r => (long?)r.Unit.Id).ToList();
        var members = await db.Members.Where(m => ids.Contains(m.UnitId)).GroupBy(m => m.UnitId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key!.Value, g => g.Count, cancellationToken);
        return new PageOf<UnitView>([.. rows.Select(r => new UnitView(r.Unit.Code, r.Unit.Name, r.Name, ChineseName(r.Unit.Kind), r.Unit.Headcount,
            r.Unit.FemaleHeadcount, members.GetValueOrDefault(r.Unit.Id)) { DistrictCode = r.Code })], total, page);
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
