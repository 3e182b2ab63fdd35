using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Importing;

namespace MutualAid.Settlements;

/// <summary>What a settlement import did: rows imported, ignored as already known, refunds, and every row not imported with why.</summary>
public sealed record SettlementReport(
    string File,
    int Rows,
    int Imported,
    int Refunds,
    int Duplicates,
    IReadOnlyList<RowProblem> Rejected,
    IReadOnlyList<RowProblem> Skipped,
    IReadOnlyList<string> Warnings);

/// <summary>
/// The insurance centre's settlement file (../shared/spec/exchange-files.md), CSV or .xlsx,
/// streamed in batches so millions of rows take constant memory; <see cref="SettlementFeed"/>
/// imports and adjudicates it. Every row is imported or reported: a record that cannot be read
/// (bad quoting, an oversize cell) or fails a check is rejected with its line and reason, a row
/// outside the scheme (insurance or medical type) is skipped and reported, the good rows are
/// imported. Text longer than its database column is refused here, so SQLite and PostgreSQL
/// take the same rows. A known setl_id with the same content changes nothing, so the same file
/// twice imports once; with other content it is rejected as a conflict. A refund (红冲) is kept
/// and marks the settlement it refunds; what it does to that settlement's claim is
/// <see cref="Claims.RefundedClaims"/>'s decision.
/// </summary>
public sealed class ImportSettlements(MutualAidDbContext db, TimeProvider clock, IReadOnlySet<string>? acceptedInsuranceTypes = null)
{
    /// <summary>The file's text columns and the properties of <see cref="Settlement"/> that keep them: their lengths come from its mapping.</summary>
    private static readonly (string Column, string Property)[] TextColumns =
    [
        ("setl_id", nameof(Settlement.SetlId)), ("init_setl_id", nameof(Settlement.RefundsSetlId)), ("insu_admdvs", nameof(Settlement.Division)),
        ("diag_codes", nameof(Settlement.Diagnoses)), ("fixmedins_name", nameof(Settlement.Hospital)),
    ];

    public static readonly string[] Required =
    [
        "setl_id", "certno", "psn_name", "gend", "insutype", "med_type", "begndate", "enddate", "insu_admdvs", "diag_codes",
        "medfee_sumamt", "fund_pay_sumamt", "fulamt_ownpay_amt", "overlmt_selfpay", "psn_part_amt", "psn_cash_pay",
    ];

    public static readonly string[] Optional = ["fixmedins_name", "setl_time", "refd_setl_flag", "init_setl_id"];

    private const int Batch = 5_000;

    /// <summary>When set (the feed), each batch's settlements are claimed in the batch's own transaction: one pass over the file.</summary>
    internal Claims.AdjudicateSettlements? Adjudicator { get; init; }

    private readonly IReadOnlySet<string> _insuranceTypes = acceptedInsuranceTypes ?? new HashSet<string>(StringComparer.Ordinal) { "310" };

    /// <summary>The longest text each column may hold: HasMaxLength of the settlement's mapping, read from the model so the two cannot drift.</summary>
    private readonly Dictionary<string, int> _maxLengths = MaxLengths(db);

    private static Dictionary<string, int> MaxLengths(MutualAidDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(Settlement)) ?? throw new InvalidOperationException("模型中没有医保结算");
        return TextColumns.Select(c => (c.Column, Max: entity.FindProperty(c.Property)?.GetMaxLength()))
            .Where(c => c.Max is not null).ToDictionary(c => c.Column, c => c.Max!.Value, StringComparer.Ordinal);
    }

    public async Task<SettlementReport> HandleAsync(string path, CancellationToken cancellationToken)
    {
        var file = TableFile.Open(path);
        file.RequireColumns(Required);
        var warnings = file.UnknownColumns(Required.Concat(Optional));
        var columns = Required.Concat(Optional).ToDictionary(c => c, c => file.Column(c), StringComparer.Ordinal);

        var rejected = new List<RowProblem>();
        var skipped = new List<RowProblem>();
        int rows = 0, imported = 0, refunds = 0, duplicates = 0;
        var batch = new List<Row>(Batch);
        foreach (var cells in file.Records())
        {
            if (cells.IsBlank)
                continue;
            rows++;
            if (cells.Fault is { } fault)
                rejected.Add(fault);
            else if (Parse(cells, columns, rejected, skipped) is { } row)
                batch.Add(row);
            if (batch.Count == Batch)
            {
                var (i, r, d) = await ImportBatchAsync(batch, rejected, cancellationToken);
                (imported, refunds, duplicates) = (imported + i, refunds + r, duplicates + d);
                batch.Clear();
            }
        }
        if (rows == 0)
            throw new InvalidInputException([new Problem(file.Name, "文件没有数据行")]);
        var (lastImported, lastRefunds, lastDuplicates) = await ImportBatchAsync(batch, rejected, cancellationToken);
        return new SettlementReport(file.Name, rows, imported + lastImported, refunds + lastRefunds, duplicates + lastDuplicates,
            [.. rejected.OrderBy(p => p.Line)], [.. skipped.OrderBy(p => p.Line)], warnings);
    }

    /// <summary>Checks a batch against the database (members, known settlements) and writes its good rows (and, for the feed, their claims) in one transaction.</summary>
    private async Task<(int Imported, int Refunds, int Duplicates)> ImportBatchAsync(List<Row> batch, List<RowProblem> rejected, CancellationToken cancellationToken)
    {
        // A retried attempt finds the batch's rejections and claims afresh; they count once it commits.
        var found = new List<RowProblem>();
        var claimed = new List<Claims.Claim>();
        var result = await db.InTransactionAsync(ct =>
        {
            found.Clear();
            claimed.Clear();
            return ImportBatchAttemptAsync(batch, found, claimed, ct);
        }, cancellationToken);
        rejected.AddRange(found);
        Adjudicator?.Count(claimed);
        return result;
    }

    private async Task<(int Imported, int Refunds, int Duplicates)> ImportBatchAttemptAsync(List<Row> batch, List<RowProblem> rejected, List<Claims.Claim> claimed,
        CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
            return (0, 0, 0);
        await BulkInsert.LookUpByKeysAsync(db, cancellationToken);
        var ids = batch.Select(r => r.IdNumber.Value).Distinct().ToList();
        var members = await db.Members.AsNoTracking().Where(m => ids.Contains(m.IdNumber))
            .Select(m => new { m.Id, m.IdNumber, m.Name }).ToDictionaryAsync(m => m.IdNumber, cancellationToken);
        var refundsOf = batch.Where(r => r.RefundsSetlId is not null).Select(r => r.RefundsSetlId!).ToHashSet(StringComparer.Ordinal);
        var setlIds = batch.Select(r => r.SetlId).Concat(refundsOf).Distinct().ToList();
        var stored = await db.Settlements.Where(s => setlIds.Contains(s.SetlId)).ToDictionaryAsync(s => s.SetlId, cancellationToken);
        var claims = await Claims.RefundedClaims.LoadAsync(db, [.. stored.Values.Where(s => refundsOf.Contains(s.SetlId)).Select(s => s.Id)], cancellationToken);

        var now = clock.Now();
        var fresh = new Dictionary<string, Settlement>(StringComparer.Ordinal);
        var again = new List<Settlement>();
        int duplicates = 0, refunds = 0;
        foreach (var row in batch)
        {
            var member = members.GetValueOrDefault(row.IdNumber.Value);
            if ((stored.GetValueOrDefault(row.SetlId) ?? fresh.GetValueOrDefault(row.SetlId)) is { } known)
            {
                var differences = Differences(known, row, member?.Id);
                if (differences.Count == 0)
                {
                    duplicates++;
                    if (stored.ContainsKey(row.SetlId))
                        again.Add(known);
                }
                else
                    rejected.Add(new RowProblem(row.Line, "setl_id", row.SetlId,
                        $"setl_id 已导入但内容不同（{string.Join("、", differences)}），未导入；请向医保中心核实"));
                continue;
            }
            if (member is null)
            {
                rejected.Add(new RowProblem(row.Line, "certno", row.IdNumber.Masked, "不是已登记的会员"));
                continue;
            }
            if (member.Name != row.Name)
            {
                rejected.Add(new RowProblem(row.Line, "psn_name", row.Name, $"与会员姓名“{member.Name}”不符"));
                continue;
            }
            Settlement? original = null;
            if (row.RefundsSetlId is { } refunded)
            {
                original = stored.GetValueOrDefault(refunded) ?? fresh.GetValueOrDefault(refunded);
                var why = original switch
                {
                    null => "冲销的结算不存在",
                    { IsRefund: true } => "不能冲销一笔冲销",
                    { RefundedBySetlId: not null } => $"该结算已被 {original.RefundedBySetlId} 冲销",
                    _ when original.MemberId != member.Id => "冲销的结算不是同一参保人",
                    _ => claims.Refusal(original),
                };
                if (why is not null)
                {
                    rejected.Add(new RowProblem(row.Line, "init_setl_id", refunded, why));
                    continue;
                }
            }
            var settlement = new Settlement(row.SetlId, member.Id, row.Kind, row.Admission, row.Discharge, row.Hospital, row.Division,
                row.Diagnoses, row.Amounts, row.SettledAt, row.RefundsSetlId, now);
            if (original is not null)
            {
                original.MarkRefunded(row.SetlId);
                claims.Refund(original, settlement, now);
                refunds++;
            }
            fresh[row.SetlId] = settlement;
        }

        // New rows (a refunded one of this batch already marked) take the bulk path; settlements
        // refunded from an earlier import are tracked and saved by EF.
        var inserts = fresh.Values.ToList();
        // The members are locked before any write to them, in id order, so two imports at once cannot deadlock.
        if (Adjudicator is not null)
            await Claims.ClaimBook.LockAsync(db, [.. inserts.Concat(again).Select(s => s.MemberId).Distinct().Order()], cancellationToken);
        await BulkInsert.InsertAsync(db, inserts, cancellationToken);
        await RecordInsuranceTypesAsync(batch.Where(r => r.RefundsSetlId is null && fresh.ContainsKey(r.SetlId)), members.ToDictionary(m => m.Key, m => m.Value.Id), cancellationToken);
        await claims.PostAsync(db, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if (Adjudicator is not null)
            claimed.AddRange(await Adjudicator.ClaimBatchAsync(inserts, again, cancellationToken));
        db.ChangeTracker.Clear();
        return (inserts.Count, refunds, duplicates);
    }

    /// <summary>
    /// The member's insurance type as their latest settlement of the batch (by discharge date) says
    /// it: the insurance they hold now, which benefits with an insuranceTypes filter read.
    /// </summary>
    private async Task RecordInsuranceTypesAsync(IEnumerable<Row> imported, Dictionary<string, long> memberIds, CancellationToken cancellationToken)
    {
        var latest = imported.GroupBy(r => memberIds[r.IdNumber.Value]).Select(g => (Member: g.Key, g.MaxBy(r => (r.Discharge, r.Line))!.Insurance));
        // One UPDATE per type (there are few), touching only the members whose type changes.
        foreach (var type in latest.GroupBy(m => m.Insurance))
        {
            foreach (var chunk in type.Select(m => m.Member).Chunk(1_000))
                await db.Members.Where(m => chunk.Contains(m.Id) && m.InsuranceType != type.Key)
                    .ExecuteUpdateAsync(u => u.SetProperty(m => m.InsuranceType, type.Key), cancellationToken);
        }
    }

    /// <summary>The columns in which <paramref name="row"/> says otherwise than the settlement already known by its setl_id.</summary>
    private static List<string> Differences(Settlement known, Row row, long? memberId)
    {
        var (a, b) = (known.Amounts, row.Amounts);
        return
        [
            .. new (bool Differs, string Column)[]
            {
                (known.MemberId != memberId, "certno"), (known.Kind != row.Kind, "med_type"), (known.AdmissionDate != row.Admission, "begndate"),
                (known.DischargeDate != row.Discharge, "enddate"), (known.Hospital != row.Hospital, "fixmedins_name"),
                (known.Division != row.Division, "insu_admdvs"), (known.Diagnoses != row.Diagnoses, "diag_codes"),
                (a.TotalCost != b.TotalCost, "medfee_sumamt"), (a.FundPaid != b.FundPaid, "fund_pay_sumamt"),
                (a.FullOwnPay != b.FullOwnPay, "fulamt_ownpay_amt"), (a.OverLimitSelfPay != b.OverLimitSelfPay, "overlmt_selfpay"),
                (a.PersonalPart != b.PersonalPart, "psn_part_amt"), (a.CashPay != b.CashPay, "psn_cash_pay"),
                (known.SettledAt != row.SettledAt, "setl_time"), (known.RefundsSetlId != row.RefundsSetlId, "init_setl_id"),
            }.Where(d => d.Differs).Select(d => d.Column),
        ];
    }

    private Row? Parse(TableRow cells, Dictionary<string, int> c, List<RowProblem> rejected, List<RowProblem> skipped)
    {
        var line = cells.Line;
        var before = rejected.Count;
        string? Text(string column) => cells.Text(c[column]);
        void Reject(string column, string? value, string reason) => rejected.Add(new RowProblem(line, column, value, reason));

        // Longer than its column: refused before any other check, and before the database sees it.
        foreach (var (column, max) in _maxLengths)
        {
            if (Text(column) is { } text && text.Length > max)
                Reject(column, text.Length > 40 ? $"{text[..40]}…" : text, $"超过 {max} 个字符");
        }
        if (rejected.Count > before)
            return null;

        var setlId = Text("setl_id");
        if (setlId is null)
            Reject("setl_id", null, "不能为空");
        IdNumber? id = null;
        if (Text("certno") is not { } certno)
            Reject("certno", null, "不能为空");
        else if (!IdNumber.TryParse(certno, out id, out var idError))
            Reject("certno", certno, idError);
        var name = Text("psn_name");
        if (name is null)
            Reject("psn_name", null, "不能为空");
        var gend = Text("gend");
        if (gend is not ("1" or "2"))
            Reject("gend", gend, "应为 1（男）或 2（女）");
        else if (id is not null && (gend == "1") != (id.Gender == Gender.Male))
            Reject("gend", gend, $"与身份证号不符（身份证号为{(id.Gender == Gender.Male ? "男" : "女")}性）");
        var refund = Text("refd_setl_flag") switch
        {
            null or "0" => false,
            "1" => true,
            var other => RejectFlag(other),
        };
        string? refundsSetlId = null;
        if (refund && (refundsSetlId = Text("init_setl_id")) is null)
            Reject("init_setl_id", null, "冲销行须给出被冲销的 setl_id");
        var admission = Date("begndate");
        var discharge = Date("enddate");
        if (admission is { } a && discharge is { } d && d < a)
            Reject("enddate", Text("enddate"), $"出院日期早于入院日期 {a:yyyy-MM-dd}");
        var division = Text("insu_admdvs");
        if (division is null || division.Length != 6 || !division.All(char.IsAsciiDigit))
            Reject("insu_admdvs", division, "应为 6 位行政区划代码");
        var total = Amount("medfee_sumamt");
        var fund = Amount("fund_pay_sumamt");
        var ownPay = Amount("fulamt_ownpay_amt");
        var overLimit = Amount("overlmt_selfpay");
        var personal = Amount("psn_part_amt");
        var cash = Amount("psn_cash_pay");
        if (!refund && total is { } t && fund is { } f && personal is { } p)
        {
            if (p != t - f)
                Reject("psn_part_amt", Text("psn_part_amt"), $"应等于医疗费总额减基金支付 {(t - f).ToInvariantString()}");
            else if (ownPay is { } o && overLimit is { } l && o + l > p)
                Reject("psn_part_amt", Text("psn_part_amt"), "小于全自费与超限价自费之和");
            else if (cash is { } money && money > p)
                Reject("psn_cash_pay", Text("psn_cash_pay"), "现金支付大于个人负担");
        }
        DateTime? settledAt = null;
        if (Text("setl_time") is { } time)
        {
            // The centre writes Beijing time (UTC+8, no daylight saving); timestamps are kept in UTC.
            if (DateTime.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
                settledAt = DateTime.SpecifyKind(at.AddHours(-8), DateTimeKind.Utc);
            else
                Reject("setl_time", time, "应为日期时间 YYYY-MM-DD HH:MM:SS");
        }
        if (rejected.Count > before)
            return null;

        if (!_insuranceTypes.Contains(Text("insutype") ?? ""))
        {
            skipped.Add(new RowProblem(line, "insutype", Text("insutype"), $"险种不在受理范围（{string.Join("、", _insuranceTypes)}），已跳过"));
            return null;
        }
        var medType = Text("med_type") ?? "";
        EventKinds? kind = medType == "14" ? EventKinds.OutpatientSpecial : medType.Length == 2 && medType[0] == '2' ? EventKinds.Hospitalization : null;
        if (kind is null)
        {
            skipped.Add(new RowProblem(line, "med_type", medType, "医疗类别不是住院（2x）或门慢门特（14），已跳过"));
            return null;
        }
        return new Row(line, setlId!, id!, name!, kind.Value, admission!.Value, discharge!.Value, Text("fixmedins_name"), division!,
            Text("diag_codes") ?? "", new SettlementAmounts(total!.Value, fund!.Value, ownPay!.Value, overLimit!.Value, personal!.Value, cash!.Value),
            settledAt, refundsSetlId, Members.InsuranceTypes.FromInsutype(Text("insutype")!));

        bool RejectFlag(string value)
        {
            Reject("refd_setl_flag", value, "应为 0 或 1");
            return false;
        }

        DateOnly? Date(string column)
        {
            var text = Text(column);
            if (text is not null && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                return day;
            Reject(column, text, text is null ? "不能为空" : "应为日期 YYYY-MM-DD");
            return null;
        }

        Money? Amount(string column)
        {
            var text = Text(column);
            if (!Money.TryParse(text, out var money))
            {
                Reject(column, text, text is null ? "不能为空" : "应为金额（元，最多两位小数）");
                return null;
            }
            if (money.IsNegative && !refund)
            {
                Reject(column, text, "不能为负数");
                return null;
            }
            return money;
        }
    }

    private sealed record Row(int Line, string SetlId, IdNumber IdNumber, string Name, EventKinds Kind, DateOnly Admission, DateOnly Discharge,
        string? Hospital, string Division, string Diagnoses, SettlementAmounts Amounts, DateTime? SettledAt, string? RefundsSetlId,
        InsuranceType Insurance);
}
