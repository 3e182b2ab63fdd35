using Microsoft.EntityFrameworkCore;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Enrollment;
using MutualAid.Members;

namespace MutualAid.Importing;

/// <summary>
/// How a roster is imported: whose it is, and the plans and period to enrol its people in.
/// <see cref="Start"/> begins a period (or joins the unit's period running that day);
/// <see cref="From"/> joins the unit's running period from that day (新进职工) and requires one.
/// </summary>
public sealed record RosterOptions(string? UnitCode = null, string? SchemeCode = null, IReadOnlyList<string>? Plans = null, DateOnly? Start = null, bool Gifted = false, bool SkipInvalid = false, FundingSplit? Split = null, DateOnly? From = null);

/// <summary>
/// <c>mutualaid import roster FILE</c>: a unit's roster (花名册: 序号, 姓名, 身份证号, 手机号 …)
/// or an enrolment list (参保名单, with a plan and a start date on each row) from .xlsx or .csv.
/// Every row is checked; by default the file is imported whole or not at all, with every bad row
/// reported. Members are matched by ID number and enrollments by plan and period, so importing
/// the same file again changes nothing. A roster's people are enrolled in the plans and from the
/// start date given with it.
/// A file changes only its own people: a unit's roster (<see cref="RosterOptions.UnitCode"/>) may
/// not name a member of another unit or one enrolled individually, and no import moves a member
/// between units (a transfer is for a clerk to approve). An empty cell keeps what is stored.
/// A new bank account of a member on file is a change made by the unit (or, in a clerk's list, by
/// the clerk): recorded and told by SMS as <see cref="ChangeBankAccount"/> does, and paid only once
/// in effect.
/// </summary>
public sealed class ImportRoster(MutualAidDbContext db, TimeProvider clock)
{
    public static readonly string[] Template = ["序号", "姓名", "身份证号", "手机号", "性别", "出生日期", "会员类别", "医保类型", "单位统一社会信用代码", "份数", "开户银行", "银行账号"];

    public static readonly string[] EnrolmentTemplate = ["序号", "姓名", "身份证号", "手机号", "会员类别", "医保类型", "计划代码", "开始日期", "份数", "赠送", "单位统一社会信用代码", "开户银行", "银行账号"];

    private const int Chunk = 10_000;

    public async Task<ImportReport> HandleAsync(string path, RosterOptions options, Actor actor, CancellationToken cancellationToken) =>
        await HandleAsync(TableFile.Open(path), options, actor, cancellationToken);

    /// <summary>An uploaded roster: <paramref name="name"/> as the unit calls it (every message names it), <paramref name="open"/> its content, read afresh each call.</summary>
    public async Task<ImportReport> HandleAsync(string name, Func<Stream> open, RosterOptions options, Actor actor, CancellationToken cancellationToken) =>
        await HandleAsync(TableFile.Open(name, open), options, actor, cancellationToken);

    /// <summary>The file is read again by a retried attempt: its rows carry what matching found.</summary>
    private Task<ImportReport> HandleAsync(TableFile file, RosterOptions options, Actor actor, CancellationToken cancellationToken) =>
        db.InTransactionAsync(ct => HandleAttemptAsync(file, options, actor, ct), cancellationToken);

    private async Task<ImportReport> HandleAttemptAsync(TableFile file, RosterOptions options, Actor actor, CancellationToken cancellationToken)
    {
        var columns = new Columns(file);
        var problems = new List<RowProblem>();
        file.RequireColumns(["姓名", "身份证号"], "；请按花名册模板填写");
        var warnings = file.UnknownColumns(Template.Concat(EnrolmentTemplate));

        var defaultUnit = options.UnitCode is null ? null
            : await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Code == options.UnitCode, cancellationToken)
              ?? throw new InvalidInputException([new Problem("单位", $"没有统一社会信用代码为 {options.UnitCode} 的单位")]);
        var rows = ReadRows(file, columns, problems, out var dataRows);
        if (dataRows == 0)
            throw new InvalidInputException([new Problem(file.Name, "文件没有数据行")]);
        return await EnrolRowsAsync(file.Name, rows, dataRows, defaultUnit, problems, warnings, options, actor, cancellationToken);
    }

    /// <summary>
    /// A few people typed into a form (the unit portal's 新进职工参保), taken exactly as the rows of a
    /// roster: the same checks, the same participation count, the same writes; row N is the N-th person.
    /// </summary>
    public Task<ImportReport> HandleAsync(IReadOnlyList<NewHire> people, RosterOptions options, Actor actor, CancellationToken cancellationToken) =>
        db.InTransactionAsync(ct => HandleAttemptAsync(people, options, actor, ct), cancellationToken);

    private async Task<ImportReport> HandleAttemptAsync(IReadOnlyList<NewHire> people, RosterOptions options, Actor actor, CancellationToken cancellationToken)
    {
        var defaultUnit = options.UnitCode is null ? null
            : await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Code == options.UnitCode, cancellationToken)
              ?? throw new InvalidInputException([new Problem("单位", $"没有统一社会信用代码为 {options.UnitCode} 的单位")]);
        var problems = new List<RowProblem>();
        var rows = new List<RosterRow>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var line = 0;
        foreach (var person in people)
        {
            line++;
            var before = problems.Count;
            var name = person.Name?.Trim();
            if (string.IsNullOrEmpty(name))
                problems.Add(new RowProblem(line, "姓名", null, "不能为空"));
            IdNumber? id = null;
            if (string.IsNullOrWhiteSpace(person.IdNumber))
                problems.Add(new RowProblem(line, "身份证号", null, "不能为空"));
            else if (!IdNumber.TryParse(person.IdNumber.Trim(), out id, out var idError))
                problems.Add(new RowProblem(line, "身份证号", person.IdNumber, idError));
            else if (seen.TryGetValue(id!.Value, out var first))
                problems.Add(new RowProblem(line, "身份证号", person.IdNumber, $"与第 {first} 行是同一人"));
            var phone = string.IsNullOrWhiteSpace(person.Phone) ? null : person.Phone.Trim();
            if (phone is not null && !Member.IsMobile(phone))
                problems.Add(new RowProblem(line, "手机号", phone, "应为 11 位手机号码"));
            if (id is not null)
                seen.TryAdd(id.Value, line);
            if (problems.Count == before)
                rows.Add(new RosterRow(line, name!, id!, phone, person.Type, null, 1));
        }
        if (line == 0)
            throw new InvalidInputException([new Problem("新进职工", "请至少填写一名职工")]);
        return await EnrolRowsAsync("新进职工参保", rows, line, defaultUnit, problems, [], options, actor, cancellationToken);
    }

    /// <summary>
    /// A unit's roster or form is read and written under the unit's lock (PostgreSQL's row lock, SQLite's
    /// write lock taken at BEGIN), so the same submission sent twice at once enrols once: the second
    /// finds the first's people and enrolments and changes nothing.
    /// </summary>
    private async Task<ImportReport> EnrolRowsAsync(string source, List<RosterRow> rows, int dataRows, Units.Unit? defaultUnit, List<RowProblem> problems, List<string> warnings,
        RosterOptions options, Actor actor, CancellationToken cancellationToken)
    {
        if (defaultUnit is not null && db.Database.IsNpgsql())
            await db.Database.SqlQuery<long>($"SELECT id AS \"Value\" FROM units WHERE id = {defaultUnit.Id} FOR UPDATE").ToListAsync(cancellationToken);
        return await PlanAndWriteAsync(source, rows, dataRows, defaultUnit, problems, warnings, options, actor, cancellationToken);
    }

    private async Task<ImportReport> PlanAndWriteAsync(string source, List<RosterRow> rows, int dataRows, Units.Unit? defaultUnit, List<RowProblem> problems, List<string> warnings,
        RosterOptions options, Actor actor, CancellationToken cancellationToken)
    {
        var scheme = await ResolveSchemeAsync(options, rows, cancellationToken);

        var units = await LoadByCodeAsync(rows.Where(r => r.UnitCode is not null).Select(r => r.UnitCode!).Distinct().ToList(), cancellationToken);
        var members = await LoadMembersAsync(rows.Select(r => r.Id.Value).Distinct().ToList(), cancellationToken);
        var held = scheme is null ? [] : await HeldPeriods.LoadAsync(db, [.. members.Values.Select(m => m.Id)], cancellationToken);
        var unitPeriods = await UnitPeriods.LoadAsync(db, scheme is null ? [] : [.. units.Values.Select(u => u.Id).Append(defaultUnit?.Id ?? 0).Where(id => id != 0).Distinct()], cancellationToken);
        var periodsOf = new Dictionary<string, List<HeldPeriod>>(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);

        var plans = new List<Planned>();
        foreach (var row in rows)
        {
            long? unitId = defaultUnit?.Id;
            if (row.UnitCode is { } code)
            {
                if (units.TryGetValue(code, out var unit))
                    unitId = unit.Id;
                else
                    row.Fail(problems, "单位统一社会信用代码", code, "没有这个单位，请先登记单位");
            }
            if (defaultUnit is not null && unitId is not null && unitId != defaultUnit.Id)
                row.Fail(problems, "单位统一社会信用代码", row.UnitCode, $"本单位（{defaultUnit.Code}）的花名册只能登记本单位的人员");
            row.UnitId = unitId;
            var known = members.TryGetValue(row.Id.Value, out var existing) ? existing.Name : names.GetValueOrDefault(row.Id.Value);
            if (known is not null && known != row.Name)
                row.Fail(problems, "姓名", row.Name, $"与{(existing is null ? "表中" : "已登记的")}姓名“{known}”不一致");
            names.TryAdd(row.Id.Value, row.Name);
            if (existing is not null && OutsideTheFile(existing, row, defaultUnit is not null) is { } refusal)
            {
                row.Fail(problems, "身份证号", row.Id.Value, refusal);
                continue;
            }
            row.Type ??= existing?.Type ?? MemberType.InService;
            if (scheme is null)
                continue;
            if (!periodsOf.TryGetValue(row.Id.Value, out var periods))
                periodsOf[row.Id.Value] = periods = existing is null ? [] : [.. held.GetValueOrDefault(existing.Id, [])];
            var codes = row.PlanCode is { } one ? [one] : options.Plans ?? [];
            if (codes.Count == 0)
                continue;
            if ((row.Start ?? options.From ?? options.Start) is not { } start)
            {
                row.Fail(problems, "开始日期", null, "参保须给出开始日期");
                continue;
            }
            var mustJoin = row.Start is null && options.From is not null;
            var inDatabase = existing is null ? [] : held.GetValueOrDefault(existing.Id, []);
            foreach (var plan in codes.Select(c => scheme.Scheme.FindPlan(c)).OfType<Plan>().OrderBy(p => p.Index))
            {
                if (unitPeriods.Place(row.UnitId, plan.Code, start, mustJoin, scheme.Scheme.PartPeriodPremium, EnrollmentRules.PeriodYears(plan, start), out var notPlaced) is not { } placement)
                {
                    row.Fail(problems, "开始日期", $"{start:yyyy-MM-dd}", notPlaced!);
                    continue;
                }
                var period = placement.Period;
                if (inDatabase.Contains(new HeldPeriod(plan.Code, period)))
                {
                    plans.Add(new Planned(row, plan, placement, null, Unchanged: true) { Price = EnrollmentRules.Price(plan, period, row.Units, KindOf(row.UnitId, units, defaultUnit), periods) });
                    continue;
                }
                var failures = EnrollmentRules.Check(plan, row.Id.BirthDate, row.Id.Gender, row.Type.Value, period, row.Units, periods);
                foreach (var reason in failures)
                    row.Fail(problems, plan.Name, null, reason);
                var price = failures.Count > 0 ? null : EnrollmentRules.Price(plan, period, row.Units, KindOf(row.UnitId, units, defaultUnit), periods);
                periods.Add(new HeldPeriod(plan.Code, period));
                plans.Add(new Planned(row, plan, placement, scheme.VersionFor(plan, period.Start), Unchanged: false) { Price = price });
            }
            if (row.PlanCode is { } asked && scheme.Scheme.FindPlan(asked) is null)
                row.Fail(problems, "计划代码", asked, $"方案 {scheme.Scheme.Code} 没有这个计划，可选：{string.Join("、", scheme.Scheme.Plans.Select(p => $"{p.Name}（{p.Code}）"))}");
        }

        var good = rows.Where(r => !r.Failed).ToList();
        await CheckParticipationAsync(plans.Where(p => !p.Row.Failed).ToList(), defaultUnit?.Id, problems, warnings, cancellationToken);
        var blocked = problems.Any(p => p.Line == 0);
        var write = !blocked && (problems.Count == 0 || options.SkipInvalid);
        var skipped = problems.Where(p => p.Line > 0).Select(p => p.Line).Distinct().Count();

        var people = good.DistinctBy(r => r.Id.Value).ToList();
        var added = people.Count(r => !members.ContainsKey(r.Id.Value));
        var updated = people.Count(r => members.TryGetValue(r.Id.Value, out var m) && Changes(m, r));
        var enrolledNew = plans.Count(p => !p.Row.Failed && !p.Unchanged);
        var newAccounts = people.Where(r => members.TryGetValue(r.Id.Value, out var m) && ReplacesBankAccount(m, r)).Select(r => r.Line).ToList();
        if (write && newAccounts.Count > 0)
            warnings.Add($"更换银行账号 {newAccounts.Count} 人（第 {string.Join("、", newAccounts)} 行）：已短信告知本人原手机号，经办复核或等待期满后才付至新账号");
        var report = new ImportReport(source, dataRows, added, updated, people.Count - added - updated, enrolledNew, plans.Count(p => !p.Row.Failed && p.Unchanged), skipped, write,
            [.. problems.OrderBy(p => p.Line)], warnings)
        {
            BankAccountsChanged = newAccounts.Count,
            Joined = [.. plans.Where(p => !p.Row.Failed && p.Placement.Joins).Select(p => new JoinedLine(p.Row.Line, p.Row.Name, p.Plan.Name, p.Period.Start, p.Period.End,
                p.Placement.Charge(p.Price!.Whole), p.Placement.Months, p.Placement.OfMonths, p.Unchanged) { PriceRule = p.Placement.Note(p.Price.Reason) })],
        };
        if (!write)
            return report with { MembersAdded = 0, MembersUpdated = 0, MembersUnchanged = 0, Enrolled = 0, EnrollmentsUnchanged = 0, BankAccountsChanged = 0, Joined = [] };

        await WriteAsync(good, members, plans.Where(p => !p.Row.Failed && !p.Unchanged).ToList(), options, new Change(source, actor), cancellationToken);
        return report;
    }

    /// <summary>Updates go through EF; the new members and enrollments take the bulk path, in the import's transaction.</summary>
    private async Task WriteAsync(List<RosterRow> rows, Dictionary<string, Member> members, List<Planned> plans, RosterOptions options, Change change, CancellationToken cancellationToken)
    {
        var now = clock.Now();
        var waitDays = rows.Any(r => members.TryGetValue(r.Id.Value, out var m) && ReplacesBankAccount(m, r)) ? await ChangeBankAccount.WaitDaysAsync(db, cancellationToken) : 0;
        var fresh = new List<Member>();
        foreach (var row in rows)
        {
            if (members.TryGetValue(row.Id.Value, out var member))
            {
                if (member.Id != 0 && Changes(member, row))
                {
                    var oldPhone = member.Phone;
                    var replaces = ReplacesBankAccount(member, row);
                    member.Phone = row.Phone ?? member.Phone;
                    member.UnitId = row.UnitId ?? member.UnitId;
                    member.Type = row.Type ?? member.Type;
                    member.InsuranceType = row.InsuranceType ?? member.InsuranceType;
                    db.Members.Update(member);
                    if (replaces)
                        await ChangeBankAccount.RecordAsync(db, member, oldPhone, row.BankName ?? member.BankName, row.BankAccount ?? member.BankAccount!,
                            options.UnitCode is null ? BankChangeSource.Clerk : BankChangeSource.Unit, $"花名册 {change.File} 第 {row.Line} 行", change.Actor, now, waitDays, cancellationToken);
                    else
                        member.BankName = row.BankName ?? member.BankName;
                }
                continue;
            }
            member = new Member(row.Id, row.Name, row.Type ?? MemberType.InService, row.UnitId) { Phone = row.Phone, BankName = row.BankName, BankAccount = row.BankAccount, InsuranceType = row.InsuranceType };
            members[row.Id.Value] = member;
            fresh.Add(member);
        }
        await db.SaveChangesAsync(cancellationToken);
        await BulkInsert.InsertAsync(db, fresh, cancellationToken);

        var enrollments = plans
            .Select(p => Enrollment.Enrollment.Create(members[p.Row.Id.Value].Id, p.Version!, p.Period, p.Price!, p.Row.UnitId, options.Gifted || p.Row.Gifted, options.Split, p.Placement))
            .ToList();
        await BulkInsert.InsertAsync(db, enrollments, cancellationToken);
        if (plans.Count(p => p.Placement.Joins) is > 0 and var joined)
        {
            db.Audit(change.Actor, now, "新进职工参保", options.UnitCode ?? "参保名单", $"{change.File}：{joined} 人次加入进行中的参保期间");
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>Whether the row changes the stored member; an empty cell (null) never does.</summary>
    private static bool Changes(Member member, RosterRow row) =>
        (row.Phone is not null && row.Phone != member.Phone) || (row.UnitId is not null && row.UnitId != member.UnitId) || (row.Type is not null && row.Type != member.Type)
        || (row.InsuranceType is not null && row.InsuranceType != member.InsuranceType)
        || (row.BankName is not null && row.BankName != member.BankName) || (row.BankAccount is not null && row.BankAccount != member.BankAccount);

    /// <summary>Whether the row gives a member on file an account other than the stored one (a first one included): a change to record and wait for.</summary>
    private static bool ReplacesBankAccount(Member member, RosterRow row) =>
        (row.BankAccount ?? member.BankAccount) is not null && ((row.BankAccount is not null && row.BankAccount != member.BankAccount) || (row.BankName is not null && row.BankName != member.BankName));

    /// <summary>Where a roster's bank account changes come from: the file, and who uploaded it.</summary>
    private sealed record Change(string File, Actor Actor);

    /// <summary>
    /// Why the row may not touch a stored member: one of another unit is never moved by a file, and
    /// a unit's roster may not take in one enrolled individually. Only a clerk's list (no
    /// <c>--unit</c>) may give a member without a unit the unit its row names.
    /// </summary>
    private static string? OutsideTheFile(Member member, RosterRow row, bool unitRoster) =>
        member.UnitId is { } stored && row.UnitId is { } named && stored != named ? "属于其他单位：转入须经办审核"
        : member.UnitId is null && unitRoster ? "不属于本单位（个人参保会员）：须经办审核"
        : null;

    private static List<RosterRow> ReadRows(TableFile file, Columns c, List<RowProblem> problems, out int dataRows)
    {
        dataRows = 0;
        var rows = new List<RosterRow>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var cells in file.Records())
        {
            if (cells.IsBlank)
                continue;
            dataRows++;
            if (cells.Fault is { } fault)
            {
                problems.Add(fault);
                continue;
            }
            var errorsBefore = problems.Count;
            var line = cells.Line;
            void Fail(string column, string? value, string reason) => problems.Add(new RowProblem(line, column, value, reason));

            if (cells.Text(c.Sequence) is { } sequence && !int.TryParse(sequence, out _))
                Fail("序号", sequence, "应为数字");
            var name = cells.Text(c.Name);
            if (name is null)
                Fail("姓名", null, "不能为空");
            var idText = cells.Text(c.IdNumber);
            IdNumber? id = null;
            if (idText is null)
                Fail("身份证号", null, "不能为空");
            else if (cells.IsNumber(c.IdNumber))
                Fail("身份证号", idText, "单元格是数字格式，18 位号码已失真；请把该列设为文本后重新填写");
            else if (!IdNumber.TryParse(idText, out id, out var idError))
                Fail("身份证号", idText, idError);
            var planCode = cells.Text(c.Plan)?.ToUpperInvariant();
            DateOnly? start = null;
            if (cells.Text(c.Start) is { } startText)
            {
                if (DateOnly.TryParseExact(startText, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
                    start = day;
                else
                    Fail("开始日期", startText, "应为日期 YYYY-MM-DD");
            }
            var gifted = false;
            if (cells.Text(c.Gifted) is { } giftedText && !YesNo.TryGetValue(giftedText, out gifted))
                Fail("赠送", giftedText, "应为“是”或“否”");
            var key = $"{id?.Value}|{planCode}|{start}";
            if (id is not null && seen.TryGetValue(key, out var firstLine))
                Fail("身份证号", idText, planCode is null ? $"与第 {firstLine} 行是同一人" : $"与第 {firstLine} 行是同一人同一计划");
            var phone = cells.Text(c.Phone);
            if (phone is not null && !Member.IsMobile(phone))
                Fail("手机号", phone, "应为 11 位手机号码");
            if (cells.Text(c.Gender) is { } genderText && id is not null)
            {
                Gender? gender = genderText switch { "男" or "M" => Gender.Male, "女" or "F" => Gender.Female, _ => null };
                if (gender is null)
                    Fail("性别", genderText, "应为“男”或“女”");
                else if (gender != id.Gender)
                    Fail("性别", genderText, $"与身份证号不符（身份证号为{(id.Gender == Gender.Male ? "男" : "女")}性）");
            }
            if (cells.Text(c.BirthDate) is { } birthText && id is not null)
            {
                if (!DateOnly.TryParse(birthText, System.Globalization.CultureInfo.InvariantCulture, out var birth))
                    Fail("出生日期", birthText, "应为日期 YYYY-MM-DD");
                else if (birth != id.BirthDate)
                    Fail("出生日期", birthText, $"与身份证号不符（身份证号为 {id.BirthDate:yyyy-MM-dd}）");
            }
            MemberType? type = null;
            if (cells.Text(c.Type) is { } typeText)
            {
                if (EnrollmentRules.MemberTypeNames.TryGetValue(typeText, out var named))
                    type = named;
                else
                    Fail("会员类别", typeText, $"应为{string.Join("、", EnrollmentRules.MemberTypeNames.Keys)}之一");
            }
            InsuranceType? insurance = null;
            if (cells.Text(c.Insurance) is { } insuranceText)
            {
                if (InsuranceTypes.RosterNames.TryGetValue(insuranceText, out var named))
                    insurance = named;
                else
                    Fail("医保类型", insuranceText, "应为“城镇职工”“城乡居民”或“其他”（异地参保或未参保）");
            }
            var unitCode = cells.Text(c.Unit);
            if (unitCode is not null && !UnitCode.TryParse(unitCode, out _, out var unitError))
                Fail("单位统一社会信用代码", unitCode, unitError);
            var account = cells.Text(c.BankAccount)?.Replace(" ", "", StringComparison.Ordinal);
            if (account is not null && !Member.IsBankAccount(account))
                Fail("银行账号", account, "应为 8–30 位数字");
            var units = 1;
            if (cells.Text(c.Units) is { } unitsText && (!int.TryParse(unitsText, out units) || units < 1))
                Fail("份数", unitsText, "应为正整数");

            if (id is not null)
                seen.TryAdd(key, line);
            if (problems.Count == errorsBefore)
                rows.Add(new RosterRow(line, name!, id!, phone, type, unitCode, units)
                {
                    PlanCode = planCode, Start = start, Gifted = gifted, BankName = cells.Text(c.BankName), BankAccount = account,
                    InsuranceType = insurance,
                });
        }
        return rows;
    }

    /// <summary>The scheme to enrol under when the options or any row name a plan; the options' plans must exist.</summary>
    private async Task<Schemes.LoadedScheme?> ResolveSchemeAsync(RosterOptions options, List<RosterRow> rows, CancellationToken cancellationToken)
    {
        if (options.Plans is not { Count: > 0 } && rows.All(r => r.PlanCode is null))
            return null;
        var loaded = await new Schemes.SchemeQueries(db).ForEnrolmentAsync(options.SchemeCode, cancellationToken, options.Plans is { Count: > 0 } asked ? asked[0] : null);
        var unknown = (options.Plans ?? []).Where(code => loaded.Scheme.FindPlan(code) is null).ToList();
        if (unknown.Count > 0)
            throw new InvalidInputException([.. unknown.Select(code => new Problem("参保计划", $"方案 {loaded.Scheme.Code} 没有计划 {code}"))]);
        if (options.Plans is { Count: > 0 } && options.Start is null && options.From is null)
            throw new InvalidInputException([new Problem("开始日期", "参保须给出开始日期")]);
        return loaded;
    }

    /// <summary>
    /// Checks each plan's participation rule for the units in the file and each unit period, on the
    /// unit's whole roster for it: what it holds already (new hires who joined included, a period being
    /// the enrollments that end on one day) and what the file adds.
    /// </summary>
    private async Task CheckParticipationAsync(List<Planned> planned, long? defaultUnit, List<RowProblem> problems, List<string> warnings, CancellationToken cancellationToken)
    {
        var unitIds = planned.Select(p => p.Row.UnitId).Append(defaultUnit).OfType<long>().Distinct().ToList();
        if (unitIds.Count == 0)
            return;
        var units = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToListAsync(cancellationToken);
        foreach (var (plan, end) in planned.Where(p => p.Plan.Participation is not null).Select(p => (p.Plan, p.Period.End)).Distinct())
        {
            var rule = plan.Participation!;
            var already = await db.Enrollments.AsNoTracking()
                .Where(e => e.PlanCode == plan.Code && e.End == end && e.Status != EnrollmentStatus.Withdrawn && e.UnitId != null && unitIds.Contains(e.UnitId.Value))
                .GroupBy(e => e.UnitId).Select(g => new { g.Key, Count = g.Select(e => e.MemberId).Distinct().Count() })
                .ToDictionaryAsync(g => g.Key!.Value, g => g.Count, cancellationToken);
            foreach (var unit in units)
            {
                var count = already.GetValueOrDefault(unit.Id) + planned.Where(p => p.Plan == plan && p.Period.End == end && !p.Unchanged && p.Row.UnitId == unit.Id).Select(p => p.Row.Id.Value).Distinct().Count();
                var womenOnly = plan.Genders is [Gender.Female];
                var headcount = womenOnly ? unit.FemaleHeadcount : unit.Headcount;
                var needed = headcount <= rule.AllWhenAtMost ? headcount : (int)Math.Ceiling(headcount * rule.MinRate);
                if (count >= needed)
                    continue;
                var message = $"{unit.Name}参加{plan.Name} {count} 人，{(womenOnly ? "女职工" : "职工")} {headcount} 人，至少应有 {needed} 人"
                    + (headcount <= rule.AllWhenAtMost ? $"（{rule.AllWhenAtMost} 人及以下的单位须全员参加）" : $"（参保率不低于 {(rule.MinRate * 100).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}%）");
                if (rule.Blocks)
                    problems.Add(new RowProblem(0, "单位参保率", null, message));
                else
                    warnings.Add(message);
            }
        }
    }

    private static Units.UnitKind? KindOf(long? unitId, Dictionary<string, Units.Unit> units, Units.Unit? defaultUnit) =>
        unitId is null ? null : defaultUnit?.Id == unitId ? defaultUnit.Kind : units.Values.First(u => u.Id == unitId).Kind;

    private async Task<Dictionary<string, Units.Unit>> LoadByCodeAsync(List<string> codes, CancellationToken cancellationToken)
    {
        var units = new Dictionary<string, Units.Unit>(StringComparer.Ordinal);
        foreach (var chunk in codes.Chunk(Chunk))
        {
            foreach (var unit in await db.Units.AsNoTracking().Where(u => chunk.Contains(u.Code)).ToListAsync(cancellationToken))
                units[unit.Code] = unit;
        }
        return units;
    }

    private async Task<Dictionary<string, Member>> LoadMembersAsync(List<string> ids, CancellationToken cancellationToken)
    {
        var members = new Dictionary<string, Member>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(Chunk))
        {
            foreach (var member in await db.Members.AsNoTracking().Where(m => chunk.Contains(m.IdNumber)).ToListAsync(cancellationToken))
                members[member.IdNumber] = member;
        }
        return members;
    }

    private sealed class Columns(TableFile file)
    {
        public int Sequence { get; } = file.Column("序号");
        public int Name { get; } = file.Column("姓名");
        public int IdNumber { get; } = file.Column("身份证号", "身份证号码", "公民身份号码");
        public int Phone { get; } = file.Column("手机号", "手机号码", "联系电话");
        public int Gender { get; } = file.Column("性别");
        public int BirthDate { get; } = file.Column("出生日期");
        public int Type { get; } = file.Column("会员类别", "人员类别");
        public int Insurance { get; } = file.Column("医保类型", "参保险种", "基本医疗保险类型");
        public int Unit { get; } = file.Column("单位统一社会信用代码", "单位代码");
        public int Units { get; } = file.Column("份数");
        public int Plan { get; } = file.Column("计划代码", "计划");
        public int Start { get; } = file.Column("开始日期", "参保开始日期");
        public int Gifted { get; } = file.Column("赠送");
        public int BankName { get; } = file.Column("开户银行", "开户行");
        public int BankAccount { get; } = file.Column("银行账号", "银行卡号");
    }

    private static readonly Dictionary<string, bool> YesNo = new(StringComparer.Ordinal) { ["是"] = true, ["否"] = false };

    /// <summary>One enrolment the file asks for; <see cref="Version"/> is null when it exists already or failed.</summary>
    private sealed record Planned(RosterRow Row, Plan Plan, Placement Placement, Schemes.StoredPlanVersion? Version, bool Unchanged)
    {
        public DateRange Period => Placement.Period;

        /// <summary>The price chosen (unit kind, new or continuing, the period's years); null when the plan failed for the row.</summary>
        public PremiumPrice? Price { get; init; }
    }

    private sealed class RosterRow(int line, string name, IdNumber id, string? phone, MemberType? type, string? unitCode, int units)
    {
        public int Line { get; } = line;
        public string Name { get; } = name;
        public IdNumber Id { get; } = id;
        public string? Phone { get; } = phone;
        /// <summary>Null while the cell is empty; set to the stored type, or in-service for a new member, once matched.</summary>
        public MemberType? Type { get; set; } = type;
        public string? UnitCode { get; } = unitCode;
        public int Units { get; } = units;
        public string? PlanCode { get; init; }
        public DateOnly? Start { get; init; }
        public bool Gifted { get; init; }
        public string? BankName { get; init; }
        public string? BankAccount { get; init; }
        /// <summary>医保类型; null while the cell is empty (the stored type stays).</summary>
        public InsuranceType? InsuranceType { get; init; }
        public long? UnitId { get; set; }
        public bool Failed { get; private set; }

        public void Fail(List<RowProblem> problems, string column, string? value, string reason)
        {
            problems.Add(new RowProblem(Line, column, value, reason));
            Failed = true;
        }
    }
}
