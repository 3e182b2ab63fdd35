using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Importing;
using MutualAid.Members;

namespace MutualAid.Partners;

/// <summary>A partner's terms as a person enters them: the code names the partner, new or known.</summary>
public sealed record PartnerTerms(string? Code, string? Name, PartnerKind Kind, int? RatePercent, Money? VisitCap, Money? YearCap, string? Plan,
    string? BankName, string? BankAccount, bool Active = true);

/// <summary>
/// Partner-hospital discounts (医疗优惠补助): the partners and their terms kept by the city's
/// administrators; each partner's monthly statement imported by a city clerk and checked row by row,
/// taken whole or not at all; checked by a second person, which posts the expense to 医疗优惠补助支出.
/// Each is one business event with its audit line in one unit of work. Guarded in the database: a
/// settlement discounted once (a unique index across statements), a month imported once (a unique
/// index), imports of one partner one after the other (its version, for the yearly cap), a check
/// sent twice taking effect once (the statement's version). The approved statement is paid to the
/// institution by the next payment batch (<see cref="PartnerPayments"/>).
/// </summary>
public sealed class PartnerDesk(MutualAidDbContext db, TimeProvider clock)
{
    /// <summary>The statement's columns, by their file names and the Chinese a hospital's system may write.</summary>
    public static readonly (string Name, string Chinese)[] Columns =
    [
        ("id_number", "身份证号"), ("name", "姓名"), ("visit_date", "就诊日期"), ("settlement_id", "结算流水号"), ("self_pay", "自付金额"), ("discount", "优惠金额"),
    ];

    /// <summary>合作医疗机构: adds a partner or changes its terms, by a city administrator.</summary>
    public async Task<Partner> SaveAsync(UserScope admin, PartnerTerms terms, Actor actor, CancellationToken cancellationToken)
    {
        if (!admin.Roles.Contains(Roles.Admin) || !admin.IsCityWide)
            throw new InvalidInputException("合作医疗机构", "只有市级管理员可以维护合作医疗机构");
        var problems = new List<Problem>();
        UnitCode? code = null;
        if (!UnitCode.TryParse(terms.Code, out code, out var error))
            problems.Add(new Problem("统一社会信用代码", error));
        var name = terms.Name?.Trim();
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
            problems.Add(new Problem("名称", "不能为空，100 字以内"));
        if (terms.RatePercent is not (>= 1 and <= 100))
            problems.Add(new Problem("优惠比例", "应为 1–100 的整数（自付部分的百分比）"));
        if (terms.VisitCap is not { } visit || visit <= Money.Zero)
            problems.Add(new Problem("每次封顶", "应为正数金额"));
        if (terms.YearCap is not { } year || year <= Money.Zero || (terms.VisitCap is { } v && year < v))
            problems.Add(new Problem("每人每年封顶", "应为正数金额，不低于每次封顶"));
        string? plan = null;
        if (!string.IsNullOrWhiteSpace(terms.Plan))
        {
            plan = (await Schemes.PlanNames.LoadAsync(db, cancellationToken)).CodeOf(terms.Plan.Trim());
            if (plan is null)
                problems.Add(new Problem("参保计划", $"没有“{terms.Plan.Trim()}”这个计划"));
        }
        var account = string.IsNullOrWhiteSpace(terms.BankAccount) ? null : terms.BankAccount.Trim();
        var bank = string.IsNullOrWhiteSpace(terms.BankName) ? null : terms.BankName.Trim();
        if (account is not null && !Member.IsBankAccount(account))
            problems.Add(new Problem("银行账号", "应为 8–30 位数字"));
        if ((account is null) != (bank is null) || bank is { Length: > 100 })
            problems.Add(new Problem("开户行", "账号与开户行须同时填写，开户行 100 字以内"));
        if (problems.Count > 0)
            throw new InvalidInputException(problems);

        var now = clock.Now();
        var partner = await db.Partners.SingleOrDefaultAsync(p => p.Code == code!.Value, cancellationToken);
        var before = partner?.TermsText;
        var added = partner is null;
        if (partner is null)
            db.Partners.Add(partner = new Partner(code!, name!, terms.Kind, actor.User, now));
        partner.SetTerms(name!, terms.Kind, terms.RatePercent!.Value, terms.VisitCap!.Value, terms.YearCap!.Value, plan, bank, account, terms.Active, actor.User, now);
        db.Audit(actor, now, added ? "新增合作医疗机构" : "修改合作医疗机构", $"合作医疗机构 {partner.Code}",
            $"{partner.Name}（{Names.Of(partner.Kind)}）：{(before is null || before == partner.TermsText ? "" : $"{before} → ")}{partner.TermsText}；"
            + $"{(plan is null ? "参加任一计划的会员" : $"参加 {plan} 的会员")}；{(account is null ? "未登记银行账户" : Masks.Account(bank, account))}{(partner.Active ? "" : "；已停用")}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException)
        {
            throw new InvalidInputException($"合作医疗机构 {code!.Value}", "刚由他人同时新增，本次未生效，请刷新后查看");
        }
        return partner;
    }

    /// <summary>A statement file on disk (the CLI): named by its file name.</summary>
    public Task<PartnerStatement> ImportAsync(UserScope clerk, string? partnerCode, DateOnly month, string path, Actor actor, CancellationToken cancellationToken) =>
        ImportAsync(clerk, partnerCode, month, TableFile.Open(path), actor, cancellationToken);

    /// <summary>An uploaded statement: <paramref name="name"/> as the partner called it, <paramref name="open"/> its content, read afresh each call.</summary>
    public Task<PartnerStatement> ImportAsync(UserScope clerk, string? partnerCode, DateOnly month, string name, Func<Stream> open, Actor actor, CancellationToken cancellationToken) =>
        ImportAsync(clerk, partnerCode, month, TableFile.Open(name, open), actor, cancellationToken);

    /// <summary>
    /// 导入月度优惠结算单: every row is checked (the member exists under that name and was covered on the
    /// visit day, the visit in the month, the settlement not claimed before nor twice in the file, the
    /// discount within the rate, the visit cap and what remains of the member's yearly cap); any bad row
    /// refuses the whole file, each problem naming its line and column, and nothing is written.
    /// </summary>
    private Task<PartnerStatement> ImportAsync(UserScope clerk, string? partnerCode, DateOnly month, TableFile file, Actor actor, CancellationToken cancellationToken) =>
        db.InTransactionAsync(ct => ImportAttemptAsync(clerk, partnerCode, month, file, actor, ct), cancellationToken);

    private async Task<PartnerStatement> ImportAttemptAsync(UserScope clerk, string? partnerCode, DateOnly month, TableFile file, Actor actor, CancellationToken cancellationToken)
    {
        if (!clerk.Roles.Contains(Roles.Clerk) || !clerk.IsCityWide)
            throw new InvalidInputException("结算单", "只有市级经办人员可以导入合作医疗机构的结算单");
        month = new DateOnly(month.Year, month.Month, 1);
        var partner = await PartnerAsync(partnerCode, cancellationToken);
        if (!partner.Active)
            throw new InvalidInputException($"合作医疗机构 {partner.Name}", "已停用，不能导入结算单");
        if (month.AddMonths(1) > clock.Today())
            throw new InvalidInputException("月份", $"{month:yyyy-MM} 尚未结束，不能导入该月结算单");
        if (await LiveAsync(partner.Id, month, cancellationToken) is { } existing)
            throw Exists(partner, existing);
        var column = Columns.ToDictionary(c => c.Name, c => file.Column(c.Name, c.Chinese));
        if (Columns.Where(c => column[c.Name] < 0).Select(c => $"{c.Name}（{c.Chinese}）").ToList() is { Count: > 0 } missing)
            throw new InvalidInputException(file.Name, $"缺少必需的列：{string.Join("、", missing)}；第 1 行的列名是：{string.Join("、", file.Headers.Where(h => h.Length > 0).Take(12))}");
        var rows = file.Rows().Where(r => !r.IsBlank).ToList();
        if (rows.Count == 0)
            throw new InvalidInputException(file.Name, "文件没有数据行");

        var problems = new List<Problem>();
        void Bad(TableRow row, string field, string message) => problems.Add(new Problem($"第 {row.Line} 行 {field}", message));
        var ids = new Dictionary<TableRow, IdNumber>();
        foreach (var row in rows)
        {
            if (row.IsNumber(column["id_number"]))
                Bad(row, "id_number", "单元格是数字格式，18 位号码已失真；请把该列设为文本后重新填写");
            else if (IdNumber.TryParse(row.Text(column["id_number"]), out var id, out var error))
                ids[row] = id;
            else
                Bad(row, "id_number", error);
        }
        var values = ids.Values.Select(i => i.Value).Distinct().ToList();
        var members = await db.Members.AsNoTracking().Where(m => values.Contains(m.IdNumber)).Select(m => new { m.Id, m.IdNumber, m.Name })
            .ToDictionaryAsync(m => m.IdNumber, cancellationToken);
        var memberIds = members.Values.Select(m => m.Id).ToList();
        var covers = (await db.Enrollments.AsNoTracking()
                .Where(e => memberIds.Contains(e.MemberId) && e.Status != Enrollment.EnrollmentStatus.Pending && e.CoverageStart != null && (partner.PlanCode == null || e.PlanCode == partner.PlanCode))
                .ToListAsync(cancellationToken))
            .Where(e => e.CoverageStart <= e.CoveredPeriod.End).ToLookup(e => e.MemberId, e => new DateRange(e.CoverageStart!.Value, e.CoveredPeriod.End));
        var settlements = rows.Select(r => r.Text(column["settlement_id"])).OfType<string>().Distinct().ToList();
        var claimed = (await db.PartnerDiscounts.AsNoTracking().Where(d => settlements.Contains(d.SettlementId)).Select(d => d.SettlementId)
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var (yearStart, yearEnd) = (new DateOnly(month.Year, 1, 1), new DateOnly(month.Year, 12, 31));
        var taken = await db.PartnerDiscounts.AsNoTracking()
            .Where(d => d.PartnerId == partner.Id && memberIds.Contains(d.MemberId) && d.VisitDate >= yearStart && d.VisitDate <= yearEnd)
            .GroupBy(d => d.MemberId).Select(g => new { g.Key, Fen = g.Sum(d => Sql.Fen(d.Discount)) })
            .ToDictionaryAsync(g => g.Key, g => new Money(g.Fen), cancellationToken);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var discounts = new List<PartnerDiscount>();
        foreach (var row in rows)
        {
            var before = problems.Count;
            var member = ids.TryGetValue(row, out var id) ? members.GetValueOrDefault(id.Value) : null;
            if (id is not null && member is null)
                Bad(row, "id_number", $"没有身份证号为 {id.Masked} 的会员");
            var name = row.Text(column["name"]);
            if (member is not null && !string.Equals(name, member.Name, StringComparison.Ordinal))
                Bad(row, "name", $"“{name}”与会员姓名不符");
            DateOnly? visit = DateOnly.TryParseExact(row.Text(column["visit_date"]), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
            if (visit is null)
                Bad(row, "visit_date", $"“{row.Text(column["visit_date"])}”应为 YYYY-MM-DD 格式的日期");
            else if (visit.Value.Year != month.Year || visit.Value.Month != month.Month)
                Bad(row, "visit_date", $"{visit:yyyy-MM-dd} 不在结算月份 {month:yyyy-MM} 内");
            else if (member is not null && !covers[member.Id].Any(c => c.Contains(visit.Value)))
                Bad(row, "visit_date", $"会员 {member.Name} 在 {visit:yyyy-MM-dd} 未参加{(partner.PlanCode is null ? "任何保障计划" : $"计划 {partner.PlanCode}")}（或保障尚未生效）");
            var settlement = row.Text(column["settlement_id"]);
            if (settlement is null || settlement.Length > 50)
                Bad(row, "settlement_id", "不能为空，50 字以内");
            else if (claimed.Contains(settlement))
                Bad(row, "settlement_id", $"结算 {settlement} 已在此前的结算单中申报过优惠");
            else if (!seen.Add(settlement))
                Bad(row, "settlement_id", $"结算 {settlement} 在本文件中重复");
            var selfPay = Amount(row, column["self_pay"], "self_pay", Bad);
            var discount = Amount(row, column["discount"], "discount", Bad);
            if (selfPay is { } pay && discount is { } off)
            {
                var most = partner.MostFor(pay);
                if (off > most)
                    Bad(row, "discount", $"{off.ToDisplayString()} 元超过协议优惠 {most.ToDisplayString()} 元（{partner.TermsText}）");
                else if (member is not null)
                {
                    var sum = taken.GetValueOrDefault(member.Id) + off;
                    if (sum > partner.YearCap)
                        Bad(row, "discount", $"会员 {member.Name} {month.Year} 年在本机构的优惠累计 {sum.ToDisplayString()} 元，超过每人每年封顶 {partner.YearCap.ToDisplayString()} 元");
                    else if (problems.Count == before)
                        taken[member.Id] = sum;
                }
            }
            if (problems.Count == before)
                discounts.Add(new PartnerDiscount(partner.Id, row.Line, member!.Id, visit!.Value, settlement!, selfPay!.Value, discount!.Value));
        }
        if (problems.Count > 0)
            throw new InvalidInputException([new Problem(file.Name, $"{problems.Count} 处不符，整张结算单未导入"), .. problems]);

        var now = clock.Now();
        var statement = new PartnerStatement(partner.Id, month, Cut(file.Name, 200), discounts, actor.User, now);
        db.PartnerStatements.Add(statement);
        partner.Imported(now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException)
        {
            // The unique indexes let only one of two imports at once through: the month's, or a settlement's.
            throw await LiveAsync(partner.Id, month, cancellationToken) is { } first ? Exists(partner, first)
                : new InvalidInputException(file.Name, "其中有结算刚被另一张结算单申报，整张结算单未导入，请重新导入");
        }
        db.Audit(actor, now, "导入优惠结算单", $"结算单 {statement.Number}",
            $"{partner.Name} {month:yyyy-MM}：{statement.Rows} 笔，自付 {statement.SelfPay.ToDisplayString()} 元，优惠 {statement.Discount.ToDisplayString()} 元（{file.Name}）");
        await db.SaveChangesAsync(cancellationToken);
        return statement;
    }

    /// <summary>复核核准: a city clerk, reviewer or finance officer other than who imported it; posts the expense.</summary>
    public async Task<PartnerStatement> ApproveAsync(UserScope person, string number, Actor actor, CancellationToken cancellationToken)
    {
        var (statement, partner) = await LoadAsync(person, number, cancellationToken);
        var now = clock.Now();
        statement.Approve(actor.User, now);
        await new Ledger.Books(db).PartnerApprovedAsync(statement, partner.Name, now, cancellationToken);
        db.Audit(actor, now, "核准优惠结算单", $"结算单 {statement.Number}",
            $"{partner.Name} {statement.Month:yyyy-MM}：{statement.Rows} 笔，优惠 {statement.Discount.ToDisplayString()} 元，{statement.ImportedBy} 导入");
        await db.SaveChangesAsync(cancellationToken);
        return statement;
    }

    /// <summary>复核不予核准, with the reason: its rows are freed and the month may be imported again.</summary>
    public async Task<PartnerStatement> RefuseAsync(UserScope person, string number, string? reason, Actor actor, CancellationToken cancellationToken)
    {
        var (statement, partner) = await LoadAsync(person, number, cancellationToken);
        reason = reason?.Trim();
        if (statement.State == StatementState.Imported && (string.IsNullOrWhiteSpace(reason) || reason.Length > 200))
            throw new InvalidInputException("不予核准原因", "不能为空，200 字以内");
        var now = clock.Now();
        statement.Refuse(actor.User, now, reason!);
        db.Audit(actor, now, "不予核准优惠结算单", $"结算单 {statement.Number}", $"{partner.Name} {statement.Month:yyyy-MM}，优惠 {statement.Discount.ToDisplayString()} 元；原因：{reason}");
        await db.SaveChangesAsync(cancellationToken);
        return statement;
    }

    private async Task<(PartnerStatement, Partner)> LoadAsync(UserScope person, string number, CancellationToken cancellationToken)
    {
        number = number.Trim();
        if (!person.Roles.Overlaps([Roles.Clerk, Roles.Reviewer, Roles.Finance]) || !person.IsCityWide)
            throw new InvalidInputException($"结算单 {number}", "只有市级经办、复核或财务人员可以复核结算单");
        var id = PartnerStatement.IdOf(number);
        var statement = await db.PartnerStatements.Include(s => s.Discounts).SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (statement is null || !string.Equals(statement.Number, number, StringComparison.OrdinalIgnoreCase))
            throw new InvalidInputException($"结算单 {number}", "没有这张结算单");
        var partner = await db.Partners.AsNoTracking().SingleAsync(p => p.Id == statement.PartnerId, cancellationToken);
        return (statement, partner);
    }

    /// <summary>The partner of a unified social credit code, tracked (its import is written to it).</summary>
    private async Task<Partner> PartnerAsync(string? code, CancellationToken cancellationToken)
    {
        var value = code?.Trim().ToUpperInvariant() ?? "";
        return await db.Partners.SingleOrDefaultAsync(p => p.Code == value, cancellationToken)
            ?? throw new InvalidInputException("合作医疗机构", $"没有统一社会信用代码为“{code}”的合作医疗机构");
    }

    private Task<PartnerStatement?> LiveAsync(long partnerId, DateOnly month, CancellationToken cancellationToken) =>
        db.PartnerStatements.AsNoTracking().FirstOrDefaultAsync(s => s.PartnerId == partnerId && s.Month == month && s.State != StatementState.Refused, cancellationToken);

    private static InvalidInputException Exists(Partner partner, PartnerStatement statement) =>
        new($"结算单 {statement.Number}", $"{partner.Name} {statement.Month:yyyy-MM} 的结算单已由 {statement.ImportedBy} 导入（{Names.Of(statement.State)}），每月一张，不能重复导入");

    private static Money? Amount(TableRow row, int column, string field, Action<TableRow, string, string> bad)
    {
        var text = row.Text(column);
        if (Money.TryParse(text, out var money) && money > Money.Zero)
            return money;
        bad(row, field, $"“{text}”应为正数金额（元，最多两位小数）");
        return null;
    }

    private static string Cut(string text, int length) => text.Length > length ? text[..length] : text;
}
