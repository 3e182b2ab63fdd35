using Microsoft.EntityFrameworkCore;
using MutualAid.Claims;
using MutualAid.Data;

namespace MutualAid.Documents;

/// <summary>
/// <c>mutualaid documents move</c> and <c>check</c>: the bytes that rows from before the file store
/// still hold are moved into it, and every row is checked to have its file, whole.
/// </summary>
public sealed class DocumentUpkeep(MutualAidDbContext db)
{
    /// <summary>Rows read at a time; a move reads the bytes of one row at a time (up to 10 MB each).</summary>
    public const int BatchSize = 200;

    /// <param name="Moved">Rows whose bytes are now only in the store.</param>
    /// <param name="Bad">Rows left as they are, each with why (their bytes do not match their hash, or the store did not give them back whole).</param>
    public sealed record MoveReport(int Moved, IReadOnlyList<string> Bad);

    /// <param name="Stored">Rows whose file is in the store with the registered hash.</param>
    /// <param name="InDatabase">Rows that still hold their bytes (not moved yet: readable, from the row).</param>
    /// <param name="Bad">Rows whose file is missing or altered, each with why.</param>
    public sealed record CheckReport(int Stored, int InDatabase, IReadOnlyList<string> Bad);

    private sealed record Row(long Id, long ClaimId, DateOnly EventDate, string FileName, string Sha256, bool InDatabase)
    {
        public string Describe(string why) => $"理赔 {Claim.NumberOf(EventDate, ClaimId)} 材料 {FileName}（#{Id}，{Sha256[..12]}…）：{why}";
    }

    /// <summary>
    /// Copies each row's bytes to the store, reads them back, checks the hash, and only then empties
    /// the row's column, a batch at a time. Run again, it finds only what is left.
    /// </summary>
    public async Task<MoveReport> MoveAsync(CancellationToken cancellationToken)
    {
        var (moved, bad) = (0, new List<string>());
        var store = db.Documents();
        await foreach (var batch in BatchesAsync(inDatabaseOnly: true, cancellationToken))
        {
            var emptied = new List<long>();
            foreach (var row in batch)
            {
                var content = await db.ClaimDocuments.Where(d => d.Id == row.Id).Select(d => d.Content).SingleAsync(cancellationToken);
                if (content is null)
                    continue;
                if (DocumentFiles.Hash(content) != row.Sha256)
                {
                    bad.Add(row.Describe("库中的内容与登记的校验值不符，未移动"));
                    continue;
                }
                await store.PutAsync(row.Sha256, content, cancellationToken);
                if (await store.StoredWholeAsync(row.Sha256, cancellationToken))
                    emptied.Add(row.Id);
                else
                    bad.Add(row.Describe("写入文件库后读回的内容不符，未移动"));
            }
            moved += await db.ClaimDocuments.Where(d => emptied.Contains(d.Id) && d.Content != null)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Content, (byte[]?)null), cancellationToken);
        }
        return new MoveReport(moved, bad);
    }

    /// <summary>Every row's file read from the store and its hash computed again.</summary>
    public async Task<CheckReport> CheckAsync(CancellationToken cancellationToken)
    {
        var (stored, inDatabase, bad) = (0, 0, new List<string>());
        var store = db.Documents();
        await foreach (var batch in BatchesAsync(inDatabaseOnly: false, cancellationToken))
        {
            foreach (var row in batch)
            {
                if (row.InDatabase)
                    inDatabase++;
                else if (await store.GetAsync(row.Sha256, cancellationToken) is not { } content)
                    bad.Add(row.Describe("文件库中没有这个文件"));
                else if (DocumentFiles.Hash(content) != row.Sha256)
                    bad.Add(row.Describe("文件与登记的校验值不符（已被改动或损坏）"));
                else
                    stored++;
            }
        }
        return new CheckReport(stored, inDatabase, bad);
    }

    /// <summary>The rows in id order, <see cref="BatchSize"/> at a time, without their bytes.</summary>
    private async IAsyncEnumerable<List<Row>> BatchesAsync(bool inDatabaseOnly, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (long after = 0; ;)
        {
            var batch = await (
                from d in db.ClaimDocuments.AsNoTracking()
                join c in db.Claims on d.ClaimId equals c.Id
                where d.Id > after && (!inDatabaseOnly || d.Content != null)
                orderby d.Id
                select new Row(d.Id, d.ClaimId, c.EventDate, d.FileName, d.Sha256, d.Content != null))
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
                yield break;
            after = batch[^1].Id;
            yield return batch;
        }
    }
}
