using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Importing;
using MutualAid.Notifications;

namespace MutualAid.Payments;

/// <summary>What making a batch did: the batch (null when the queue was empty) and the claims left in the queue with why.</summary>
public sealed record BatchResult(PaymentBatch? Batch, IReadOnlyList<Problem> Held);

/// <summary>What a bank return file did.</summary>
public sealed record ReturnReport(string File, int Rows, int Paid, int Failed, int Unchanged, IReadOnlyList<RowProblem> Rejected);

/// <summary>
/// Paying approved claims (发放): a batch from the queue, a second person's approval, the bank
/// file, the bank's return file. A claim is paid once whatever is retried: the database allows a
/// claim one payment that has not failed, the file is written from the stored batch, and an
/// answer the bank gave already changes nothing.
/// </summary>
public sealed class PaymentDesk(MutualAidDbContext db, TimeProvider clock)
{
    public static readonly string[] BankColumns = ["batch_id", "line_no", "payee_name", "id_number", "bank_account", "bank_name", "amount", "memo"];
    public static readonly string[] ReturnColumns = ["batch_id", "line_no", "status"];

    /// <summary>A batch of the approved claims not yet paid nor in a batch, up to <paramref name="max"/>, oldest first; members without a usable bank account are held back.</summary>
    public async Task<BatchResult> CreateBatchAsync(string by, int max, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(by))
            throw new InvalidInputException([new Problem("经办人", "须填写具名的财务人员")]);
        var queue = await (
                from claim in db.Claims
                where claim.State == ClaimState.Approved && !db.Payments.Any(p => p.ClaimId == claim.Id && p.State != PaymentState.Failed)
                join member in db.Members on claim.MemberId equals member.Id
                orderby claim.Id
                select new { Claim = claim, member.Name, member.IdNumber, member.BankAccount, member.BankName })
            .AsNoTracking().Take(max).ToListAsync(cancellationToken);
        var ids = queue.Select(q => q.Claim.Id).ToList();
        var plans = await db.ClaimLines.AsNoTracking().Where(l => ids.Contains(l.ClaimId) && l.Amount > Money.Zero)
            .Select(l => new { l.ClaimId, l.PlanCode }).Distinct().ToListAsync(cancellationToken);
        var names = await new Schemes.SchemeQueries(db).PlanNamesAsync(cancellationToken);

        var held = new List<Problem>();
        var payments = new List<Payment>();
        foreach (var q in queue)
        {
            if (q.BankAccount is not { } account || !Members.Member.IsBankAccount(account) || string.IsNullOrWhiteSpace(q.BankName))
            {
                held.Add(new Problem(q.Claim.Number, $"{q.Name}（{Common.IdNumber.Parse(q.IdNumber).Masked}）没有可用的银行账户（账号 8–30 位数字及开户行），留待补正"));
                continue;
            }
            var memo = $"互助金 {q.Claim.Number} {string.Join("+", plans.Where(p => p.ClaimId == q.Claim.Id).Select(p => names.GetValueOrDefault(p.PlanCode, p.PlanCode)))}";
            payments.Add(new Payment(q.Claim.Id, q.Claim.MemberId, q.Name, q.IdNumber, account, q.BankName!, q.Claim.Total, memo.Length > 200 ? memo[..200] : memo));
        }
        if (payments.Count == 0)
            return new BatchResult(null, held);
        var batch = new PaymentBatch(by, clock.GetUtcNow().UtcDateTime, payments);
        db.PaymentBatches.Add(batch);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            throw new InvalidInputException([new Problem("批次", "其中有理赔刚被另一个批次收入，请重新生成")]);
        }
        return new BatchResult(batch, held);
    }

    public Task<PaymentBatch> ApproveAsync(string code, string by, CancellationToken cancellationToken) =>
        ActAsync(code, batch => batch.Approve(by, clock.GetUtcNow().UtcDateTime), cancellationToken);

    /// <summary>
    /// Writes the bank file into <paramref name="folder"/> (whole, then renamed into place) and
    /// records that it was sent. Run again, it writes the same file: the bank knows it by its batch_id.
    /// </summary>
    public async Task<string> ExportAsync(string code, string folder, CancellationToken cancellationToken)
    {
        var batch = await LoadAsync(code, cancellationToken);
        if (batch.State == BatchState.Draft)
            throw new InvalidInputException([new Problem(code, "批次尚未审批，不能送银行")]);
        var text = new StringBuilder(string.Join(",", BankColumns) + "\n");
        foreach (var p in batch.Payments.OrderBy(p => p.LineNo))
        {
            string[] cells = [batch.Code, p.LineNo.ToString(CultureInfo.InvariantCulture), p.PayeeName, p.IdNumber, p.BankAccount, p.BankName, p.Amount.ToInvariantString(), p.Memo];
            text.Append(string.Join(",", cells.Select(Csv))).Append('\n');
        }
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, batch.FileName);
        await File.WriteAllTextAsync(path + ".part", text.ToString(), new UTF8Encoding(false), cancellationToken);
        File.Move(path + ".part", path, overwrite: true);
        var now = clock.GetUtcNow().UtcDateTime;
        if (batch.Exported(now))
            await new Ledger.Books(db).SentAsync(batch, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return path;
    }

    /// <summary>
    /// The bank's return file (回盘): a success marks the claim paid (and tells the member), a
    /// failure puts the claim back in the queue for a corrected account. Rows that cannot be
    /// matched are reported with their line; an answer already recorded changes nothing.
    /// </summary>
    public async Task<ReturnReport> ImportReturnAsync(string path, CancellationToken cancellationToken)
    {
        var file = TableFile.Open(path);
        file.RequireColumns(ReturnColumns);
        int batchColumn = file.Column("batch_id"), lineColumn = file.Column("line_no"), statusColumn = file.Column("status"), reasonColumn = file.Column("reason");
        var rows = file.Rows().Where(r => !r.IsBlank).ToList();
        var codes = rows.Select(r => r.Text(batchColumn) ?? "").Distinct().ToList();
        var ids = codes.Select(PaymentBatch.IdOf).ToList();
        var batches = (await db.PaymentBatches.Include(b => b.Payments).Where(b => ids.Contains(b.Id)).ToListAsync(cancellationToken))
            .ToDictionary(b => b.Code);

        var now = clock.GetUtcNow().UtcDateTime;
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
            else if (status is not ("success" or "failed"))
                rejected.Add(new RowProblem(row.Line, "status", status, "应为 success 或 failed"));
            else
            {
                try
                {
                    if (!payment.Answer(status == "success", row.Text(reasonColumn), now))
                        unchanged++;
                    else if (payment.State == PaymentState.Paid)
                        paid.Add(payment);
                    else
                        failed.Add(payment);
                }
                catch (InvalidOperationException e)
                {
                    rejected.Add(new RowProblem(row.Line, "status", status, e.Message));
                }
            }
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimIds = paid.Select(p => p.ClaimId).ToList();
        var claims = await db.Claims.Where(c => claimIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var members = await db.Members.AsNoTracking().Where(m => paid.Select(p => p.MemberId).Contains(m.Id))
            .ToDictionaryAsync(m => m.Id, m => (m.Name, m.Phone), cancellationToken);
        foreach (var payment in paid)
        {
            var claim = claims[payment.ClaimId];
            claim.MarkPaid("银行回盘", now, $"{batches.Values.First(b => b.Id == payment.BatchId).Code}-{payment.LineNo}");
            var (name, phone) = members[payment.MemberId];
            if (Notice.ForClaim(claim, name, phone, now) is { } notice)
                db.Notices.Add(notice);
        }
        foreach (var batch in batches.Values)
            batch.CloseIfAnswered();
        await new Ledger.Books(db).ReturnedAsync(paid, failed, $"回盘 {file.Name}", now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ReturnReport(file.Name, rows.Count, paid.Count, failed.Count, unchanged, rejected);
    }

    private async Task<PaymentBatch> ActAsync(string code, Action<PaymentBatch> act, CancellationToken cancellationToken)
    {
        var batch = await LoadAsync(code, cancellationToken);
        try
        {
            act(batch);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidInputException([new Problem(code, e.Message)]);
        }
        await db.SaveChangesAsync(cancellationToken);
        return batch;
    }

    private async Task<PaymentBatch> LoadAsync(string code, CancellationToken cancellationToken)
    {
        var id = PaymentBatch.IdOf(code);
        var batch = await db.PaymentBatches.Include(b => b.Payments).SingleOrDefaultAsync(b => b.Id == id, cancellationToken);
        return batch is not null && batch.Code == code ? batch : throw new InvalidInputException([new Problem(code, "没有这个批次")]);
    }

    /// <summary>A CSV cell, quoted as RFC 4180 asks when it holds a comma, a quote or a line break.</summary>
    private static string Csv(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") < 0 ? cell : $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
