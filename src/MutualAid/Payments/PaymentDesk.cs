using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Importing;
using MutualAid.Members;
using MutualAid.Notifications;

namespace MutualAid.Payments;

/// <summary>What making a batch did: the batch (null when the queue was empty) and the claims left in the queue with why.</summary>
public sealed record BatchResult(PaymentBatch? Batch, IReadOnlyList<Problem> Held);

/// <summary>The bank file of a batch: its name as the bank reads it, and its bytes.</summary>
public sealed record BankFile(string Name, byte[] Content)
{
    public string ContentType { get; init; } = "text/csv";
}

/// <summary>What a bank return file did.</summary>
public sealed record ReturnReport(string File, int Rows, int Paid, int Failed, int Unchanged, IReadOnlyList<RowProblem> Rejected)
{
    /// <summary>Not one row was taken: the file did nothing, and is to be shown as a failure with its reasons.</summary>
    public bool Refused => Rejected.Count > 0 && Paid + Failed + Unchanged == 0;
}

/// <summary>
/// Paying approved claims (发放), and with them approved relief and partner statements: a batch from the queue, a second person's approval, the bank
/// file, the bank's return file. A claim is paid once whatever is retried: the database allows a
/// claim one payment that has not failed, the file is written from the stored batch, and an
/// answer the bank gave already changes nothing. Each step is one business event with its effects
/// (state, books, SMS, audit line with the actor) in one unit of work; the versions of batches,
/// payments and claims make a step sent twice at the same moment take effect once.
/// </summary>
public sealed class PaymentDesk(MutualAidDbContext db, TimeProvider clock)
{
    public static readonly string[] BankColumns = ["batch_id", "line_no", "payee_name", "id_number", "bank_account", "bank_name", "amount", "memo"];
    public static readonly string[] ReturnColumns = ["batch_id", "line_no", "status"];

    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>
    /// A batch of the approved claims not yet paid nor in a batch, up to <paramref name="max"/>, oldest
    /// first. Members without a usable bank account, and those whose account was changed and is
    /// not yet in effect (no clerk's check, waiting time not over), are held back; an account changed
    /// in the last 30 days is marked new (新账户) for finance.
    /// </summary>
    public Task<BatchResult> CreateBatchAsync(Actor actor, int max, CancellationToken cancellationToken) =>
        db.InTransactionAsync(ct => CreateBatchAttemptAsync(actor, max, ct), cancellationToken);

    private async Task<BatchResult> CreateBatchAttemptAsync(Actor actor, int max, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(actor.User))
            throw new InvalidInputException("经办人", "须填写具名的财务人员");
        var now = clock.Now();
        var (payments, held) = await PlanAsync(max, now, pay: true, cancellationToken);
        var relief = await new Relief.ReliefPayments(db).PlanAsync(max - payments.Count, now, cancellationToken);
        (payments, held) = ([.. payments, .. relief.Payments], [.. held, .. relief.Held]);
        var partners = await new Partners.PartnerPayments(db).PlanAsync(max - payments.Count, cancellationToken);
        (payments, held) = ([.. payments, .. partners.Payments], [.. held, .. partners.Held]);
        if (payments.Count == 0)
            return new BatchResult(null, held);
        var batch = new PaymentBatch(actor.User, now, payments);
        db.PaymentBatches.Add(batch);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            throw new InvalidInputException("批次", "其中有理赔刚被另一个批次收入，请重新生成");
        }
        // The audit line names the batch, whose code exists only once it is saved: a second save in the same transaction.
        db.Audit(actor, now, "生成发放批次", batch.Code, $"{batch.Count} 笔 {batch.Total.ToDisplayString()} 元" + (batch.NewAccounts > 0 ? $"，其中新账户 {batch.NewAccounts} 笔" : "") + (held.Count > 0 ? $"，{held.Count} 件暂缓" : ""));
        await db.SaveChangesAsync(cancellationToken);
        return new BatchResult(batch, held);
    }

    /// <summary>
    /// The claims and relief a batch made now would hold back (暂缓), with why: the same rule <see cref="CreateBatchAsync"/>
    /// applies, so finance sees the queue's holds before and after making a batch.
    /// </summary>
    public async Task<IReadOnlyList<Problem>> HeldAsync(int max, CancellationToken cancellationToken)
    {
        var now = clock.Now();
        var claims = (await PlanAsync(max, now, pay: false, cancellationToken)).Held;
        return [.. claims, .. (await new Relief.ReliefPayments(db).PlanAsync(max, now, cancellationToken)).Held,
            .. (await new Partners.PartnerPayments(db).PlanAsync(max, cancellationToken)).Held];
    }

    /// <summary>An approved claim waiting for a batch, with its payee's account.</summary>
    private sealed record Queued(long Id, DateOnly EventDate, long MemberId, Money Total, string Name, string IdNumber, string? BankAccount, string? BankName)
    {
        public string Number => Claim.NumberOf(EventDate, Id);
    }

    /// <summary>The queue, oldest first, split into the payments of a batch (when <paramref name="pay"/>) and the claims held back.</summary>
    private async Task<(List<Payment> Payments, List<Problem> Held)> PlanAsync(int max, DateTime now, bool pay, CancellationToken cancellationToken)
    {
        var queue = await (
                from claim in db.Claims
                where claim.State == ClaimState.Approved && !db.Payments.Any(p => p.ClaimId == claim.Id && p.State != PaymentState.Failed)
                join member in db.Members on claim.MemberId equals member.Id
                orderby claim.Id
                select new Queued(claim.Id, claim.EventDate, claim.MemberId, claim.Total, member.Name, member.IdNumber, member.BankAccount, member.BankName))
            .Take(max).ToListAsync(cancellationToken);
        var changes = await PayeeHold.RecentChangesAsync(db, [.. queue.Select(q => q.MemberId).Distinct()], now, cancellationToken);
        var held = new List<Problem>();
        var paying = new List<(Queued Claim, bool NewAccount)>();
        foreach (var q in queue)
        {
            var (why, newAccount) = PayeeHold.Of(q.Name, q.IdNumber, q.BankAccount, q.BankName, changes[q.MemberId], now);
            if (why is not null)
                held.Add(new Problem(q.Number, why));
            else
                paying.Add((q, newAccount));
        }
        if (!pay)
            return ([], held);

        var ids = paying.Select(p => p.Claim.Id).ToList();
        var plans = (await db.ClaimLines.AsNoTracking().Where(l => ids.Contains(l.ClaimId) && l.Amount > Money.Zero)
            .Select(l => new { l.ClaimId, l.PlanCode }).Distinct().ToListAsync(cancellationToken)).ToLookup(p => p.ClaimId, p => p.PlanCode);
        var names = await Schemes.PlanNames.LoadAsync(db, cancellationToken);
        var payments = paying.Select(p =>
        {
            var memo = $"互助金 {p.Claim.Number} {string.Join("+", plans[p.Claim.Id].Select(names.Plan))}";
            return new Payment(p.Claim.Id, p.Claim.MemberId, p.Claim.Name, p.Claim.IdNumber, p.Claim.BankAccount!, p.Claim.BankName!, p.Claim.Total, memo.Length > 200 ? memo[..200] : memo)
            {
                NewAccount = p.NewAccount,
            };
        }).ToList();
        return (payments, held);
    }

    /// <summary>财务审批 by a second person.</summary>
    public async Task<PaymentBatch> ApproveAsync(string code, Actor actor, CancellationToken cancellationToken)
    {
        var batch = await LoadAsync(code, cancellationToken);
        var now = clock.Now();
        batch.Approve(actor.User, now);
        db.Audit(actor, now, "审批发放批次", code, $"{batch.Count} 笔 {batch.Total.ToDisplayString()} 元");
        await db.SaveChangesAsync(cancellationToken);
        return batch;
    }

    /// <summary>
    /// 送银行: records once that the batch's file goes to the bank (what is owed moves to payments
    /// in transit) and gives the file. Sent again, it gives the same file and changes nothing: the
    /// bank knows it by its batch_id.
    /// </summary>
    public async Task<BankFile> SendAsync(string code, Actor actor, CancellationToken cancellationToken)
    {
        var batch = await LoadAsync(code, cancellationToken);
        var now = clock.Now();
        var first = batch.Exported(now);
        if (first)
            await new Ledger.Books(db).SentAsync(batch, now, cancellationToken);
        return await HandOverAsync(batch, actor, first ? "送银行" : "再次导出银行文件", cancellationToken);
    }

    /// <summary>The bank file of a batch already sent, to download again; it changes nothing but the audit line.</summary>
    public async Task<BankFile> FileAsync(string code, Actor actor, CancellationToken cancellationToken)
    {
        var batch = await LoadAsync(code, cancellationToken);
        if (batch.State is BatchState.Draft or BatchState.Approved)
            throw new InvalidInputException(code, $"批次{Names.Of(batch.State)}，尚未送银行");
        return await HandOverAsync(batch, actor, "下载银行文件", cancellationToken);
    }

    /// <summary>
    /// The same file as an Excel workbook (<c>{batch_id}_{count}_{total}.xlsx</c>): the same columns,
    /// ID numbers and accounts as text, amounts as numbers, for people to read and for a bank that
    /// takes .xlsx. Like the CSV, it is given only once the batch is sent, and each download is audited.
    /// </summary>
    public async Task<BankFile> ExcelFileAsync(string code, Actor actor, CancellationToken cancellationToken)
    {
        var batch = await LoadAsync(code, cancellationToken);
        if (batch.State is BatchState.Draft or BatchState.Approved)
            throw new InvalidInputException(code, $"批次{Names.Of(batch.State)}，尚未送银行");
        return await HandOverAsync(batch, actor, "下载银行文件", cancellationToken, excel: true);
    }

    /// <summary>The file holds every payee's whole ID number and account: each time it leaves the system is an audit line.</summary>
    private async Task<BankFile> HandOverAsync(PaymentBatch batch, Actor actor, string action, CancellationToken cancellationToken, bool excel = false)
    {
        var file = excel ? ExcelOf(batch) : FileOf(batch);
        db.Audit(actor, clock.Now(), action, batch.Code, $"{file.Name}，{batch.Payments.Count} 笔");
        await db.SaveChangesAsync(cancellationToken);
        return file;
    }

    /// <summary>
    /// The bank file: the spec's columns, UTF-8 with a BOM (the spec lets a reader take one) so that
    /// Excel on a Chinese PC shows the names instead of mojibake, RFC 4180 quoting.
    /// </summary>
    private static BankFile FileOf(PaymentBatch batch)
    {
        var text = new StringBuilder(string.Join(",", BankColumns) + "\n");
        foreach (var cells in Lines(batch))
            text.Append(string.Join(",", cells.Select(Csv))).Append('\n');
        return new BankFile(batch.FileName, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true).GetPreamble().Concat(Encoding.UTF8.GetBytes(text.ToString())).ToArray());
    }

    private static BankFile ExcelOf(PaymentBatch batch)
    {
        SheetColumn[] columns =
        [
            new("batch_id", CellKind.Text, 18), new("line_no", CellKind.Number, 8), new("payee_name", CellKind.Text, 12), new("id_number", CellKind.Text, 22),
            new("bank_account", CellKind.Text, 26), new("bank_name", CellKind.Text, 18), new("amount", CellKind.Yuan, 14), new("memo", CellKind.Text, 48),
        ];
        var rows = batch.Payments.OrderBy(p => p.LineNo).Select(p => new object?[] { batch.Code, p.LineNo, p.PayeeName, p.IdNumber, p.BankAccount, p.BankName, p.Amount, p.Memo });
        using var buffer = new MemoryStream();
        XlsxWriter.Write(buffer, new Sheet(batch.Code, columns, rows));
        return new BankFile(Path.ChangeExtension(batch.FileName, ".xlsx"), buffer.ToArray()) { ContentType = XlsxType };
    }

    private static IEnumerable<string[]> Lines(PaymentBatch batch) =>
        batch.Payments.OrderBy(p => p.LineNo).Select(p => new[]
        {
            batch.Code, p.LineNo.ToString(CultureInfo.InvariantCulture), p.PayeeName, p.IdNumber, p.BankAccount, p.BankName, p.Amount.ToInvariantString(), p.Memo,
        });

    /// <summary>
    /// The bank's return file (回盘): a success marks the claim paid (and tells the member), a
    /// failure puts the claim back in the queue for a corrected account. The status is the spec's
    /// word or the bank's own (success / 成功, failed / 失败). Rows that cannot be matched are
    /// reported with their line; an answer already recorded changes nothing. A file none of whose
    /// rows was taken is <see cref="ReturnReport.Refused"/>.
    /// </summary>
    public async Task<ReturnReport> ImportReturnAsync(string path, Actor actor, CancellationToken cancellationToken) =>
        await ImportReturnAsync(TableFile.Open(path), actor, cancellationToken);

    /// <summary>An uploaded return file: <paramref name="name"/> as finance calls it (every message names it), <paramref name="open"/> its content, read afresh each call.</summary>
    public async Task<ReturnReport> ImportReturnAsync(string name, Func<Stream> open, Actor actor, CancellationToken cancellationToken) =>
        await ImportReturnAsync(TableFile.Open(name, open), actor, cancellationToken);

    private async Task<ReturnReport> ImportReturnAsync(TableFile file, Actor actor, CancellationToken cancellationToken)
    {
        file.RequireColumns(ReturnColumns);
        var rows = file.Rows().Where(r => !r.IsBlank).ToList();
        if (rows.Count == 0)
            throw new InvalidInputException(file.Name, "文件没有数据行");
        return await db.InTransactionAsync(ct => ImportReturnAttemptAsync(file, rows, actor, ct), cancellationToken);
    }

    /// <summary>The file's rows, read once, matched and answered in one transaction.</summary>
    private async Task<ReturnReport> ImportReturnAttemptAsync(TableFile file, List<TableRow> rows, Actor actor, CancellationToken cancellationToken)
    {
        int batchColumn = file.Column("batch_id"), lineColumn = file.Column("line_no"), statusColumn = file.Column("status"), reasonColumn = file.Column("reason");
        var codes = rows.Select(r => r.Text(batchColumn) ?? "").Distinct().ToList();
        var ids = codes.Select(PaymentBatch.IdOf).ToList();
        var batches = (await db.PaymentBatches.Include(b => b.Payments).Where(b => ids.Contains(b.Id)).ToListAsync(cancellationToken))
            .ToDictionary(b => b.Code);

        var now = clock.Now();
        var rejected = new List<RowProblem>();
        var paid = new List<Payment>();
        var failed = new List<Payment>();
        var unchanged = 0;
        foreach (var row in rows)
        {
            var code = row.Text(batchColumn);
            var lineText = row.Text(lineColumn);
            var status = row.Text(statusColumn);
            if (code is null || !batches.TryGetValue(code, out var batch))
                rejected.Add(new RowProblem(row.Line, "batch_id", code, "没有这个批次"));
            else if (batch.State is BatchState.Draft or BatchState.Approved)
                rejected.Add(new RowProblem(row.Line, "batch_id", code, "该批次尚未送银行"));
            else if (!int.TryParse(lineText, NumberStyles.None, CultureInfo.InvariantCulture, out var lineNo) || batch.Payments.FirstOrDefault(p => p.LineNo == lineNo) is not { } payment)
                rejected.Add(new RowProblem(row.Line, "line_no", lineText, $"批次 {code} 没有这一笔"));
            else if (Succeeded(status) is not { } succeeded)
                rejected.Add(new RowProblem(row.Line, "status", status, "应为 success（成功）或 failed（失败）"));
            else
            {
                try
                {
                    if (!payment.Answer(succeeded, row.Text(reasonColumn), now))
                        unchanged++;
                    else if (payment.State == PaymentState.Paid)
                        paid.Add(payment);
                    else
                        failed.Add(payment);
                }
                catch (InvalidInputException e)
                {
                    rejected.Add(new RowProblem(row.Line, "status", status, e.Problems[0].Message));
                }
            }
        }

        var claimIds = paid.Where(p => p.ClaimId is not null).Select(p => p.ClaimId!.Value).ToList();
        var claims = await db.Claims.Where(c => claimIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var memberIds = paid.Where(p => p.ClaimId is not null).Select(p => p.MemberId!.Value).Distinct().ToList();
        var members = await db.Members.AsNoTracking().Where(m => memberIds.Contains(m.Id))
            .ToDictionaryAsync(m => m.Id, m => (m.Name, m.Phone), cancellationToken);
        foreach (var payment in paid.Where(p => p.ClaimId is not null))
        {
            var claim = claims[payment.ClaimId!.Value];
            claim.MarkPaid("银行回盘", now, $"{batches.Values.First(b => b.Id == payment.BatchId).Code}-{payment.LineNo}");
            var (name, phone) = members[payment.MemberId!.Value];
            if (Notice.ForClaim(claim, name, phone, now) is { } notice)
                db.Notices.Add(notice);
        }
        string Reference(Payment p) => $"{batches.Values.First(b => b.Id == p.BatchId).Code}-{p.LineNo}";
        await new Relief.ReliefPayments(db).PaidAsync(paid, Reference, now, cancellationToken);
        await new Partners.PartnerPayments(db).PaidAsync(paid, Reference, now, cancellationToken);
        foreach (var batch in batches.Values)
            batch.CloseIfAnswered();
        await new Ledger.Books(db).ReturnedAsync(paid, failed, $"回盘 {file.Name}", now, cancellationToken);
        db.Audit(actor, now, "导入银行回盘", file.Name, $"成功 {paid.Count}，失败 {failed.Count}，已处理过 {unchanged}，拒收 {rejected.Count}");
        await db.SaveChangesAsync(cancellationToken);
        return new ReturnReport(file.Name, rows.Count, paid.Count, failed.Count, unchanged, rejected);
    }

    /// <summary>The bank's answer: the spec's word or the bank's own, case and surrounding spaces ignored; null for anything else.</summary>
    internal static bool? Succeeded(string? status) => status?.Trim().ToLowerInvariant() switch
    {
        "success" or "成功" => true,
        "failed" or "失败" => false,
        _ => null,
    };

    private async Task<PaymentBatch> LoadAsync(string code, CancellationToken cancellationToken)
    {
        var id = PaymentBatch.IdOf(code);
        var batch = await db.PaymentBatches.Include(b => b.Payments).SingleOrDefaultAsync(b => b.Id == id, cancellationToken);
        return batch is not null && batch.Code == code ? batch : throw new InvalidInputException(code, "没有这个批次");
    }

    /// <summary>A CSV cell, quoted as RFC 4180 asks when it holds a comma, a quote or a line break.</summary>
    private static string Csv(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") < 0 ? cell : $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
