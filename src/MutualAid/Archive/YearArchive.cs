using Microsoft.EntityFrameworkCore;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Ledger;
using MutualAid.Payments;

namespace MutualAid.Archive;

/// <summary>What an archive run moved: claims (with their rows) in how many batches, and what of the year is left live.</summary>
public sealed record ArchiveOutcome(int Year, int Claims, int Batches, int Left)
{
    public string Text => $"{Year} 年归档理赔 {Claims} 件（{Batches} 批）" + (Left > 0 ? $"；仍有 {Left} 件未归档" : "；该年度理赔已全部归档");
}

/// <summary>A year in the archive: its claims archived and those still live.</summary>
public sealed record ArchivedYear(int Year, long Archived, long Live);

/// <summary>
/// 归档: a closed year's claims, with every row that belongs to them (lines, transitions, the
/// event entered, documents, recoveries, notices), moved into the <c>archive_</c> tables in
/// batches, each batch one transaction, so a run cut short is completed by running it again and
/// two runs at once move each claim once. Only a year whose books are closed, whose claims are all
/// final and whose members' periods covering it have ended; otherwise refused, naming what blocks.
/// Settlements, payments and the journal stay: they are the feed's and the money's record.
/// </summary>
public sealed class YearArchive(MutualAidDbContext db, TimeProvider clock)
{
    public const int BatchSize = 1000;

    /// <summary>The tables moved, children first (the order they are emptied), with the column naming their claim (the entered event's is its key, id).</summary>
    internal static readonly (string Name, string Key)[] Tables =
    [
        ("notices", "claim_id"), ("recoveries", "claim_id"), ("claim_documents", "claim_id"), ("claim_lines", "claim_id"),
        ("claim_transitions", "claim_id"), ("claim_events", "id"), ("claims", "id"),
    ];

    /// <summary>How many blocking claims or periods a refusal names.</summary>
    private const int Named = 5;

    public static string ArchiveOf(string table) => "archive_" + table;

    public static string ViewOf(string table) => "all_" + table;

    /// <summary>Checks the year, then moves its claims batch after batch until none is left.</summary>
    public async Task<ArchiveOutcome> RunAsync(int year, Actor actor, CancellationToken cancellationToken, int batchSize = BatchSize)
    {
        await CheckAsync(year, cancellationToken);
        int claims = 0, batches = 0;
        while (await MoveBatchAsync(year, batchSize, actor, cancellationToken) is { } moved)
        {
            claims += moved;
            batches += moved > 0 ? 1 : 0;
        }
        return new ArchiveOutcome(year, claims, batches, await OfYear(year).CountAsync(cancellationToken));
    }

    /// <summary>The years in the archive, with what of them is still live.</summary>
    public async Task<IReadOnlyList<ArchivedYear>> ListAsync(CancellationToken cancellationToken)
    {
        var archived = await db.Database.SqlQueryRaw<YearCount>(
                "SELECT CAST(substr(CAST(event_date AS TEXT), 1, 4) AS INTEGER) AS \"Year\", COUNT(*) AS \"Claims\" FROM archive_claims GROUP BY 1")
            .ToListAsync(cancellationToken);
        var years = archived.Select(a => a.Year).ToList();
        var live = await db.Claims.Where(c => years.Contains(c.EventDate.Year)).GroupBy(c => c.EventDate.Year)
            .Select(g => new { g.Key, Count = g.LongCount() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return [.. archived.OrderBy(a => a.Year).Select(a => new ArchivedYear(a.Year, a.Claims, live.GetValueOrDefault(a.Year)))];
    }

    /// <summary>Refuses a year that may still change, naming the month, the first claims and the first periods that block it.</summary>
    public async Task CheckAsync(int year, CancellationToken cancellationToken)
    {
        var today = clock.Today();
        var subject = $"{year} 年归档";
        if (year >= today.Year)
            throw new InvalidInputException(subject, $"{year} 年尚未结束，不能归档");
        var problems = new List<Problem>();
        var closed = await new Books(db).ClosedThroughAsync(cancellationToken);
        if (closed is not { } through || through < new DateOnly(year, 12, 1))
            problems.Add(new Problem($"{year}-12", $"尚未结账（{(closed is { } c ? $"已结账至 {c:yyyy-MM}" : "尚未结过账")}），须先结账至 {year} 年 12 月方可归档"));

        var unfinished = await States(year).Where(s => !(s.Final && !s.Recovering && !s.Paying && !s.Notifying))
            .OrderBy(s => s.Id).Take(Named).ToListAsync(cancellationToken);
        problems.AddRange(unfinished.Select(s => new Problem(Claim.NumberOf(s.EventDate, s.Id),
            !s.Final ? $"现为“{Names.Of(s.State)}”，尚未办结" : s.Recovering ? "有待追回的款项" : s.Paying ? "支付在途，银行尚未回盘" : "短信通知尚未发完")));

        var (from, to) = Span(year);
        var running = await db.Enrollments.Where(e => e.End >= today && (e.WithdrawnOn == null || e.WithdrawnOn >= today)
                && db.ClaimLines.Any(l => l.EnrollmentId == e.Id && db.Claims.Any(c => c.Id == l.ClaimId && c.EventDate >= from && c.EventDate <= to)))
            .OrderBy(e => e.Id).Take(Named)
            .Join(db.Members, e => e.MemberId, m => m.Id, (e, m) => new { m.Name, e.PlanCode, e.Start, e.End })
            .ToListAsync(cancellationToken);
        problems.AddRange(running.Select(e => new Problem($"{e.Name} {e.PlanCode} 参保期 {e.Start:yyyy-MM-dd}～{e.End:yyyy-MM-dd}",
            "尚未结束：该期内的理赔仍计入封顶额，期满后方可归档")));

        var across = await db.Claims.Where(c => c.MatchedToId != null
                && ((c.EventDate >= from && c.EventDate <= to && !db.Claims.Any(m => m.Id == c.MatchedToId && m.EventDate >= from && m.EventDate <= to))
                    || ((c.EventDate < from || c.EventDate > to) && db.Claims.Any(m => m.Id == c.MatchedToId && m.EventDate >= from && m.EventDate <= to))))
            .OrderBy(c => c.Id).Take(Named).Select(c => new { c.Id, c.EventDate, c.MatchedToId }).ToListAsync(cancellationToken);
        problems.AddRange(across.Select(c => new Problem(Claim.NumberOf(c.EventDate, c.Id), $"与另一年度的理赔（编号 {c.MatchedToId}）为同一事件，须同年归档")));
        if (problems.Count > 0)
            throw new InvalidInputException([new Problem(subject, "不能归档，原因如下"), .. problems]);
    }

    /// <summary>
    /// One batch in one transaction: the first archivable claims of the year (and the settlement
    /// claims matched to them), locked, copied into the archive and deleted. Null when none is
    /// left; 0 when another run took them first.
    /// </summary>
    internal Task<int?> MoveBatchAsync(int year, int size, Actor actor, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            var first = await Archivable(year).OrderBy(s => s.Id).Select(s => s.Id).Take(size).ToListAsync(ct);
            if (first.Count == 0)
                return (int?)null;
            var matched = await db.Claims.Where(c => c.MatchedToId != null && first.Contains(c.MatchedToId.Value)).Select(c => c.Id).ToListAsync(ct);
            long[] ids = [.. first.Union(matched).Order()];
            // PostgreSQL: held until the batch ends, so a review or a second run waits and then finds them gone.
            if (db.Database.IsNpgsql())
                await db.Database.SqlQuery<long>($"SELECT id AS \"Value\" FROM claims WHERE id = ANY({ids}) ORDER BY id FOR UPDATE").ToListAsync(ct);
            ids = [.. await Archivable(year).Where(s => ids.Contains(s.Id)).OrderBy(s => s.Id).Select(s => s.Id).ToListAsync(ct)];
            if (ids.Length == 0)
                return 0;
            // The ids are the claims' own (numbers read above), the names this class's: nothing of a person's goes into the SQL.
            var list = string.Join(",", ids);
            foreach (var (table, key) in Tables)
            {
                var columns = Columns(table);
                var copy = $"INSERT INTO {ArchiveOf(table)} ({columns}) SELECT {columns} FROM {table} WHERE {key} IN ({list})";
                await db.Database.ExecuteSqlRawAsync(copy, ct);
                // A settlement's claim matched to a manual one goes first: the foreign key restricts deleting the manual one.
                if (table == "claims")
                {
                    var matchedFirst = $"DELETE FROM claims WHERE matched_to_id IS NOT NULL AND id IN ({list})";
                    await db.Database.ExecuteSqlRawAsync(matchedFirst, ct);
                }
                var delete = $"DELETE FROM {table} WHERE {key} IN ({list})";
                await db.Database.ExecuteSqlRawAsync(delete, ct);
            }
            db.Audit(actor, clock.GetUtcNow().UtcDateTime, "归档", $"{year} 年理赔", $"{ids.Length} 件（编号 {ids[0]}–{ids[^1]}）");
            await db.SaveChangesAsync(ct);
            return ids.Length;
        }, cancellationToken);

    private static (DateOnly From, DateOnly To) Span(int year) => (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));

    private IQueryable<Claim> OfYear(int year)
    {
        var (from, to) = Span(year);
        return db.Claims.Where(c => c.EventDate >= from && c.EventDate <= to);
    }

    /// <summary>Each claim of the year with what keeps it from being archived.</summary>
    private IQueryable<ClaimStanding> States(int year) =>
        OfYear(year).Select(c => new ClaimStanding
        {
            Id = c.Id,
            EventDate = c.EventDate,
            State = c.State,
            Final = c.State == ClaimState.Paid || c.State == ClaimState.Rejected || c.State == ClaimState.Reversed || c.State == ClaimState.NothingPayable,
            Recovering = db.Recoveries.Any(r => r.ClaimId == c.Id && r.State == RecoveryState.Open),
            Paying = db.Payments.Any(p => p.ClaimId == c.Id && p.State == PaymentState.Pending),
            Notifying = db.Notices.Any(n => n.ClaimId == c.Id && n.SentAt == null && n.GaveUpAt == null),
        });

    private IQueryable<ClaimStanding> Archivable(int year) => States(year).Where(s => s.Final && !s.Recovering && !s.Paying && !s.Notifying);

    /// <summary>The table's columns as the model maps them, quoted (claim_transitions has "from" and "to").</summary>
    private string Columns(string table) =>
        string.Join(", ", db.Model.GetRelationalModel().Tables.Single(t => t.Name == table && t.Schema is null).Columns.Select(c => "\"" + c.Name + "\""));

    private sealed class ClaimStanding
    {
        public long Id { get; init; }

        public DateOnly EventDate { get; init; }

        public ClaimState State { get; init; }

        public bool Final { get; init; }

        public bool Recovering { get; init; }

        public bool Paying { get; init; }

        public bool Notifying { get; init; }
    }

    private sealed record YearCount(int Year, long Claims);
}
