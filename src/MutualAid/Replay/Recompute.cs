using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Schemes;

namespace MutualAid.Replay;

/// <summary>One line that differs: a stored line's amount (null: no such line stored) against the line computed again (null: none now).</summary>
public sealed record LineDifference(string Plan, string? Benefit, string Name, Money? Stored, Money? Recomputed, string? StoredReason, string? RecomputedReason);

/// <summary>A claim whose lines computed again differ from the stored ones; <see cref="Expected"/> says why that is to be expected, or null when nothing does.</summary>
public sealed record ClaimDifference(string Number, long MemberId, IReadOnlyList<LineDifference> Lines, string? Expected);

/// <summary>
/// What <see cref="Recompute"/> found: claims (and their lines) computed again, those differing (and how many of them
/// for a known reason), and those not computed (rejected, reversed, matched to a manual claim).
/// </summary>
public sealed record RecomputeSummary(int Claims, int Lines, int Differing, int Expected, int Rejected, int Reversed, int Matched)
{
    public string Text => $"重算理赔 {Claims} 件（明细 {Lines} 条）：{(Differing == 0 ? "无差异" : $"有差异 {Differing} 件（其中有原因可循 {Expected} 件，原因不明 {Differing - Expected} 件）")}；"
        + $"未重算：已驳回 {Rejected} 件，已冲销 {Reversed} 件，已匹配人工理赔 {Matched} 件";
}

/// <summary>
/// 重算: every stored claim (of a year's events, or of one member) adjudicated again from the stored
/// schemes, the member's stored enrollments and facts and the events as stored
/// (<see cref="ClaimReplay"/>), and compared line by line with what is stored; none is expected to
/// differ. A difference is reported with the reason it is expected when the member's history
/// changed after the claim was computed: an earlier claim rejected, reversed, reopened or corrected
/// later (补正), or the claim itself corrected when later claims already counted. Reads only.
/// </summary>
public sealed class Recompute(MutualAidDbContext db)
{
    /// <param name="year">Only claims of events in this year (the members' earlier claims are still replayed for their history).</param>
    /// <param name="idNumber">Only this member's claims.</param>
    /// <param name="found">Called for each claim that differs, as found.</param>
    public async Task<RecomputeSummary> RunAsync(int? year, string? idNumber, Action<ClaimDifference> found, CancellationToken cancellationToken)
    {
        var claims = db.Claims.AsNoTracking();
        if (year is { } y)
            claims = claims.Where(c => c.EventDate >= new DateOnly(y, 1, 1) && c.EventDate <= new DateOnly(y, 12, 31));
        if (idNumber is not null)
        {
            if (!IdNumber.TryParse(idNumber, out var id, out var error))
                throw new InvalidInputException([new Problem("--member", error)]);
            var memberId = await db.Members.Where(m => m.IdNumber == id.Value).Select(m => (long?)m.Id).SingleOrDefaultAsync(cancellationToken)
                ?? throw new InvalidInputException([new Problem("--member", $"{id.Masked} 不是已登记的会员")]);
            claims = claims.Where(c => c.MemberId == memberId);
        }
        var names = await PlanNames.LoadAsync(db, cancellationToken);
        var replay = new ClaimReplay(db, await StoredSchemes.LoadAsync(db, cancellationToken));
        int computed = 0, lines = 0, differing = 0, expected = 0, rejected = 0, reversed = 0, matched = 0;
        await foreach (var batch in replay.RunAsync(claims.Select(c => c.MemberId).Distinct(), year is { } last ? new DateOnly(last, 12, 31) : DateOnly.MaxValue, cancellationToken))
        {
            foreach (var member in batch.Claims.GroupBy(c => c.Claim.MemberId))
            {
                var history = member.Select(c => c.Claim).ToList();
                ILookup<long, (ClaimState From, ClaimState To)>? moves = null;
                foreach (var (claim, now, skipped) in member.Where(c => year is not { } y || c.Claim.EventDate.Year == y))
                {
                    if (skipped is not null)
                    {
                        if (claim.MatchedToId is not null)
                            matched++;
                        else if (claim.State == ClaimState.Rejected)
                            rejected++;
                        else
                            reversed++;
                        continue;
                    }
                    computed++;
                    lines += claim.Lines.Count;
                    var differences = Compare(claim, now!, names);
                    if (differences.Count == 0)
                        continue;
                    differing++;
                    moves ??= await TransitionsAsync(history, cancellationToken);
                    var why = Expected(claim, history, moves);
                    if (why is not null)
                        expected++;
                    found(new ClaimDifference(claim.Number, claim.MemberId, differences, why));
                }
            }
        }
        return new RecomputeSummary(computed, lines, differing, expected, rejected, reversed, matched);
    }

    /// <summary>The lines by plan and benefit (a plan's denial has no benefit): amounts or reasons that differ, and lines on one side only.</summary>
    private static List<LineDifference> Compare(StoredClaim claim, IReadOnlyList<ClaimLine> now, PlanNames names)
    {
        static string Key(StoredLine l) => $"{l.PlanCode}|{l.BenefitCode}";
        var before = claim.Lines.GroupBy(Key).ToDictionary(g => g.Key, g => g.ToList());
        var after = now.Select(l => new StoredLine(claim.Id, l.PlanCode, l.BenefitCode, l.Amount, l.Reason)).GroupBy(Key).ToDictionary(g => g.Key, g => g.ToList());
        var differences = new List<LineDifference>();
        foreach (var key in before.Keys.Union(after.Keys))
        {
            var (old, recomputed) = (before.GetValueOrDefault(key) ?? [], after.GetValueOrDefault(key) ?? []);
            for (var i = 0; i < Math.Max(old.Count, recomputed.Count); i++)
            {
                var (a, b) = (i < old.Count ? old[i] : null, i < recomputed.Count ? recomputed[i] : null);
                if (a is not null && b is not null && a.Amount == b.Amount && a.Reason == b.Reason)
                    continue;
                var line = a ?? b!;
                differences.Add(new LineDifference(line.PlanCode, line.BenefitCode, names.Line(line.PlanCode, line.BenefitCode), a?.Amount, b?.Amount, a?.Reason, b?.Reason));
            }
        }
        return differences;
    }

    /// <summary>The states each of the member's claims went through (from, to), read only for a member whose claim differs.</summary>
    private async Task<ILookup<long, (ClaimState From, ClaimState To)>> TransitionsAsync(List<StoredClaim> history, CancellationToken cancellationToken)
    {
        var ids = history.Select(c => c.Id).ToArray();
        var claims = await db.Claims.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, Moves = c.Transitions.Select(t => new { t.From, t.To }).ToList() }).ToListAsync(cancellationToken);
        return claims.SelectMany(c => c.Moves.Select(m => (c.Id, m.From, m.To))).ToLookup(m => m.Id, m => (m.From, m.To));
    }

    /// <summary>Why a difference is to be expected: the member's history changed after the claim was computed.</summary>
    private static string? Expected(StoredClaim claim, List<StoredClaim> history, ILookup<long, (ClaimState From, ClaimState To)> moves)
    {
        bool Corrected(StoredClaim c) => moves[c.Id].Any(m => m.From == ClaimState.Returned);
        var reasons = new List<string>();
        foreach (var earlier in history.Where(c => c.Id < claim.Id))
        {
            if (earlier.State is ClaimState.Rejected or ClaimState.Reversed && earlier.MatchedToId is null)
                reasons.Add($"较早的理赔 {earlier.Number} 已{Names.Of(earlier.State)}，本理赔计算时可能仍计入其给付，重算不再计入");
            else if (moves[earlier.Id].Any(m => m.To == ClaimState.Rejected))
                reasons.Add($"较早的理赔 {earlier.Number} 曾驳回后重新受理，驳回期间计算的理赔未计入其给付");
            else if (Corrected(earlier))
                reasons.Add($"较早的理赔 {earlier.Number} 经补正重新计算，本理赔计算时可能计入的是补正前的给付");
        }
        if (Corrected(claim) && history.Any(c => c.Id > claim.Id && ClaimReplay.Skipped(c) is null))
            reasons.Add("本理赔补正时重新计算，当时已计入编号在后的理赔；重算按编号顺序不计入");
        return reasons.Count == 0 ? null : string.Join("；", reasons);
    }
}
