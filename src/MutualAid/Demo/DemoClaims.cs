using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Enrollment;
using MutualAid.Settlements;

namespace MutualAid.Demo;

/// <summary>
/// The demo city's claims, made the way real ones are: two settlement files from the insurance
/// centre (the first imported 25 days ago, so some claims are past the promise), one with a
/// refund; then a clerk's manual claims and a reviewer's day of approving, rejecting, returning
/// and reopening; then finance pays a batch through the bank, one payment failing, and closes an
/// earlier month. Claims end in every state, a hardship member's second-round relief and a partner
/// hospital's statement (<see cref="DemoPartners"/>) are paid in the same batch, and the books pass <c>ledger check</c>.
/// </summary>
internal sealed class DemoClaims(Database database, TimeProvider clock)
{
    // The demo accounts' user names (the web application makes the accounts): records keep the
    // user name, and the pages show the person (经办员王芳, 复核员李强, 财务张敏, 财务主管赵磊).
    public const string Clerk = "clerk";
    public const string Reviewer = "reviewer";
    public const string Finance = "finance";
    public const string FinanceHead = "finance2";

    /// <summary>A demo person acting: the demo's events carry an actor like any other.</summary>
    private static Auditing.Actor Demo(string user) => new(user, Auditing.Origin.System, "演示数据");

    private static readonly string[] Diagnoses = ["I10", "J18.9", "I63.9", "K35.8", "N18.5", "C50.9", "C34.9", "E11.9", "M17.1", "S72.0"];

    public async Task RunAsync(Random random, CancellationToken cancellationToken)
    {
        await using (var db = database.CreateContext())
        {
            if (await db.Settlements.AnyAsync(cancellationToken))
                return;
        }
        var now = clock.GetUtcNow();
        var earlier = new Shifted(clock, TimeSpan.FromDays(25));
        var cut = earlier.Today().AddDays(-3);
        var rows = await SettlementsAsync(random, DateOnly.FromDateTime(now.UtcDateTime).AddDays(-7), cancellationToken);
        var first = rows.Where(r => r.Discharge <= cut).ToList();
        var refund = first[0] with { SetlId = "R" + first[0].SetlId[1..], RefundsSetlId = first[0].SetlId };
        await ImportAsync(first, earlier, cancellationToken);
        await ImportAsync([.. rows.Where(r => r.Discharge > cut), refund], clock, cancellationToken);
        await ManualAsync(cancellationToken);
        await ReviewAsync(cancellationToken);
        await PayAsync(cancellationToken);
    }

    private sealed record Row(string SetlId, string IdNumber, string Name, Gender Gender, DateOnly Discharge, int Days, string Diagnosis, long TotalFen, long FundFen, string? RefundsSetlId = null);

    /// <summary>About one stay for every twelve members, most of the enrolled, some of those who are not (answered not_enrolled).</summary>
    private async Task<List<Row>> SettlementsAsync(Random random, DateOnly last, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var members = await db.Members.AsNoTracking().OrderBy(m => m.Id).Select(m => new { m.IdNumber, m.Name, m.Gender }).ToListAsync(cancellationToken);
        var first = new DateOnly(2025, 6, 1);
        var span = last.DayNumber - first.DayNumber;
        return
        [
            .. Enumerable.Range(1, members.Count / 12).Select(i =>
            {
                var member = members[random.Next(members.Count)];
                // Mostly modest stays, a few large ones that a person must review.
                var total = random.Next(20) == 0 ? random.Next(40_000, 150_000) : random.Next(1_500, 16_000);
                var fund = total * random.Next(45, 85) / 100;
                return new Row($"S{i:D6}", member.IdNumber, member.Name, member.Gender, first.AddDays(random.Next(span)), random.Next(2, 21),
                    Diagnoses[random.Next(Diagnoses.Length)], total * 100L, fund * 100L);
            }),
        ];
    }

    private async Task ImportAsync(List<Row> rows, TimeProvider at, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetTempPath(), $"mutualaid-demo-setl-{Guid.NewGuid():N}.csv");
        var text = new StringBuilder(string.Join(",", ImportSettlements.Required.Concat(ImportSettlements.Optional)) + "\n");
        foreach (var r in rows)
        {
            var sign = r.RefundsSetlId is null ? 1 : -1;
            var personal = Yuan(sign * (r.TotalFen - r.FundFen));
            text.Append(CultureInfo.InvariantCulture,
                $"{r.SetlId},{r.IdNumber},{r.Name},{(r.Gender == Gender.Male ? 1 : 2)},310,21,{r.Discharge.AddDays(-r.Days):yyyy-MM-dd},{r.Discharge:yyyy-MM-dd},330200,{r.Diagnosis},");
            text.Append(CultureInfo.InvariantCulture,
                $"{Yuan(sign * r.TotalFen)},{Yuan(sign * r.FundFen)},0.00,0.00,{personal},{personal},宁波市第一医院,,{(r.RefundsSetlId is null ? 0 : 1)},{r.RefundsSetlId}\n");
        }
        await File.WriteAllTextAsync(file, text.ToString(), cancellationToken);
        try
        {
            await using var db = database.CreateContext();
            await new SettlementFeed(db, at).HandleAsync(file, cancellationToken);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Yuan(long fen) => new Money(fen).ToInvariantString();

    /// <summary>Three first diagnoses of a critical illness taken at a service point, with their documents.</summary>
    private async Task ManualAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var today = clock.Today();
        var holders = await db.Enrollments.AsNoTracking()
            .Where(e => e.PlanCode == "CRITICAL" && e.Status == EnrollmentStatus.Active && e.Start <= today.AddDays(-100) && e.End >= today)
            .OrderBy(e => e.Id).Join(db.Members, e => e.MemberId, m => m.Id, (e, m) => m.IdNumber).Take(3).ToListAsync(cancellationToken);
        // A picture of a card, and a PDF.
        var pdf = DemoImage.Pdf();
        var card = DemoImage.Card();
        foreach (var (id, i) in holders.Select((id, i) => (id, i)))
        {
            var details = new ClaimEvent { Diagnoses = i == 0 ? "C50.9" : i == 1 ? "N18.5" : "I71.0", Hospital = "宁波市第一医院" };
            await new ManualClaims(db, clock).SubmitAsync(new ManualClaimRequest(Clerk, id, EventKinds.Diagnosis, today.AddDays(-10 - i), details, ["CRITICAL"],
                [new("idCard", "身份证.png", card), new("diagnosisCertificate", "诊断证明.pdf", pdf), new("dischargeSummary", "出院小结.pdf", pdf)]), Demo(Clerk), cancellationToken);
        }
    }

    /// <summary>The reviewer's day: approves some claims waiting for review, rejects two, returns a manual one, reopens a rejection.</summary>
    private async Task ReviewAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var waiting = await db.Claims.AsNoTracking().Where(c => c.State == ClaimState.PendingReview).OrderBy(c => c.Id).ToListAsync(cancellationToken);
        var automatic = waiting.Where(c => c.Source == ClaimSource.Automatic).Select(c => c.Number).ToList();
        var manual = waiting.Where(c => c.Source == ClaimSource.Manual).Select(c => c.Number).ToList();
        var review = new ReviewClaims(db, clock);
        foreach (var number in automatic.Take(3))
            await review.ApproveAsync(number, Demo(Reviewer), "核对无误", cancellationToken);
        foreach (var number in automatic.Skip(3).Take(2))
            await review.RejectAsync(number, Demo(Reviewer), "R02", "住院费用属工伤保险支付范围", cancellationToken);
        if (automatic.Count > 4)
            await review.ReopenAsync(automatic[4], Demo(Clerk), "单位补交了非工伤证明", cancellationToken);
        if (manual.Count > 0)
            await review.ReturnAsync(manual[0], Demo(Reviewer), "B04", "诊断证明缺少医院盖章", cancellationToken);
        if (manual.Count > 1)
            await review.ApproveAsync(manual[1], Demo(Reviewer), "材料齐全", cancellationToken);
    }

    /// <summary>
    /// Members register their bank cards (one in ten has not yet); finance makes a batch, a second
    /// person approves it, the bank pays all but one (户名不符), and the month before last is closed.
    /// </summary>
    private async Task PayAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var owed = await db.Claims.Where(c => c.State == ClaimState.Approved).Select(c => c.MemberId).Distinct().ToListAsync(cancellationToken);
        foreach (var member in await db.Members.Where(m => owed.Contains(m.Id) && m.BankAccount == null).OrderBy(m => m.Id).ToListAsync(cancellationToken))
        {
            if (member.Id % 10 != 0)
                (member.BankName, member.BankAccount) = ("中国工商银行宁波分行", $"6222023901{member.Id:D9}");
        }
        await db.SaveChangesAsync(cancellationToken);
        await ReliefAsync(db, owed, cancellationToken);
        await new DemoPartners(clock).RunAsync(db, cancellationToken);

        var desk = new Payments.PaymentDesk(db, clock);
        if ((await desk.CreateBatchAsync(Demo(Finance), 10_000, cancellationToken)).Batch is not { } batch)
            return;
        await desk.ApproveAsync(batch.Code, Demo(FinanceHead), cancellationToken);
        await desk.SendAsync(batch.Code, Demo(Finance), cancellationToken);
        var folder = Directory.CreateTempSubdirectory("mutualaid-demo-bank").FullName;
        try
        {
            var answers = new StringBuilder("batch_id,line_no,status,reason\n");
            foreach (var payment in batch.Payments.OrderBy(p => p.LineNo))
                answers.Append(CultureInfo.InvariantCulture, $"{batch.Code},{payment.LineNo},{(payment.LineNo == 2 ? "failed,户名不符" : "success,")}\n");
            var returned = Path.Combine(folder, $"{batch.Code}_return.csv");
            await File.WriteAllTextAsync(returned, answers.ToString(), cancellationToken);
            await desk.ImportReturnAsync(returned, Demo(Finance), cancellationToken);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        var closed = clock.Today().AddMonths(-2);
        await new Ledger.Books(db).CloseAsync(closed.Year, closed.Month, Demo(FinanceHead), clock.Now(), cancellationToken);
    }

    /// <summary>
    /// Second-round relief (二次救助): finance sets the year's budget; the clerk opens hardship files for
    /// two hardship members of the first district who have a claim to be paid, the reviewer approves
    /// them; the first gets relief decided by the committee and checked, paid by the batch that follows
    /// with the claims; the second's application waits for its check.
    /// </summary>
    private async Task ReliefAsync(MutualAidDbContext db, List<long> owed, CancellationToken cancellationToken)
    {
        static Access.UserScope As(string user, string role) => new(0, user, user, new HashSet<string> { role }, null, null, null);
        var year = clock.Today().Year;
        var district = await db.Districts.OrderBy(d => d.Code).Select(d => d.Id).FirstAsync(cancellationToken);
        var members = await db.Members.Where(m => owed.Contains(m.Id) && m.BankAccount != null && m.Hardship
                && db.Units.Any(u => u.Id == m.UnitId && u.DistrictId == district))
            .OrderBy(m => m.Id).Select(m => m.IdNumber).Take(2).ToListAsync(cancellationToken);
        if (members.Count == 0)
            return;
        var desk = new Relief.ReliefDesk(db, clock);
        await desk.SetBudgetAsync(As(Finance, Access.Roles.Finance), year, Money.FromYuan(2_600_000), Demo(Finance), cancellationToken);
        var files = new Relief.HardshipFiles(db, clock);
        string[] reasons = ["本人患恶性肿瘤，长期治疗，家庭人均收入低于当地最低工资标准", "配偶重病、子女在读，家庭人均收入低于当地最低生活保障标准"];
        for (var i = 0; i < members.Count; i++)
        {
            var file = await files.OpenAsync(As(Clerk, Access.Roles.Clerk), members[i], reasons[i], "医院诊断证明、社区困难证明、家庭收入证明",
                clock.Today().AddYears(1), Demo(Clerk), cancellationToken);
            await files.ApproveAsync(As(Reviewer, Access.Roles.Reviewer), file.Number, Demo(Reviewer), cancellationToken);
            var application = await desk.ApplyAsync(As(Clerk, Access.Roles.Clerk), members[i], year, Money.FromYuan(i == 0 ? 3000 : 2000),
                $"救助委员会 {year} 年第 {clock.Today().Month} 次会议", null, Demo(Clerk), cancellationToken);
            if (i == 0)
                await desk.ApproveAsync(As(Reviewer, Access.Roles.Reviewer), application.Number, Demo(Reviewer), cancellationToken);
        }
    }

    /// <summary>The clock some days back: for what happened earlier.</summary>
    private sealed class Shifted(TimeProvider clock, TimeSpan back) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => clock.GetUtcNow() - back;
    }
}
