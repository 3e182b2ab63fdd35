using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Enrollment;
using MutualAid.ModelWorkers;
using MutualAid.Premiums;
using MutualAid.Schemes;

namespace MutualAid.Demo;

/// <summary>
/// The demo's model worker (劳模医疗补助, Xi'an style): the subsidy's scheme loaded beside the city's;
/// the clerk records a worker of the first district as a national model worker from the certificate,
/// enrols them in the national level's plan given by the union, which pays the premium; a stay is
/// claimed at the service point and approved by the reviewer, waiting for the next batch. Again, it
/// changes nothing.
/// </summary>
internal sealed class DemoModelWorker(Database database, TimeProvider clock)
{
    public const string Scheme = "XIAN-MODEL-WORKER";

    private static Auditing.Actor Demo(string user) => new(user, Auditing.Origin.System, "演示数据");

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        if (await db.ModelWorkers.AnyAsync(cancellationToken))
            return;
        await using (var scheme = typeof(DemoModelWorker).Assembly.GetManifestResourceStream("schemes/xian-model-worker.json")!)
            await new LoadScheme(db, clock).HandleAsync(await new StreamReader(scheme).ReadToEndAsync(cancellationToken), cancellationToken);
        var today = clock.Today();
        var district = await db.Districts.OrderBy(d => d.Code).Select(d => d.Id).FirstAsync(cancellationToken);
        // A worker of the first district (the demo clerk's) with a mobile number and no claim yet, who registers a bank card.
        var member = await db.Members.Where(m => m.Type == MemberType.InService && m.Phone != null && !m.Hardship
                && db.Units.Any(u => u.Id == m.UnitId && u.DistrictId == district) && !db.Claims.Any(c => c.MemberId == m.Id))
            .OrderBy(m => m.Id).FirstAsync(cancellationToken);
        (member.BankName, member.BankAccount) = ("中国工商银行宁波分行", $"6222023902{member.Id:D9}");
        await db.SaveChangesAsync(cancellationToken);
        var clerk = new Access.UserScope(0, DemoClaims.Clerk, DemoClaims.Clerk, new HashSet<string> { Access.Roles.Clerk }, null, null, null);
        await new RecordModelWorker(db, clock).HandleAsync(clerk, member.Id, "全国", "全国劳动模范", 2015, Demo(DemoClaims.Clerk), cancellationToken);

        var start = new DateOnly(today.Month >= 5 ? today.Year : today.Year - 1, 5, 1);
        await new EnrollmentCommands(db, clock).EnrolAsync(member.IdNumber, Scheme, "MW_NATIONAL", start, 1, gifted: true, null, Demo(DemoClaims.Clerk), cancellationToken);
        var desk = new PremiumDesk(db);
        var owed = (await desk.NoticeAsync(PayerRef.Union, start, cancellationToken)).Outstanding;
        await desk.RecordAsync(PayerRef.Union, start, Money.FromYuan(owed), today.AddDays(-20), $"DEMO-MW-{start:yyyy}", Demo(DemoClaims.Finance), cancellationToken);

        var pdf = DemoImage.Pdf();
        var stay = new ClaimEvent
        {
            AdmissionDate = today.AddDays(-12), DischargeDate = today.AddDays(-5), Diagnoses = "I25.1", Hospital = "宁波市第一医院",
            TotalCost = Money.FromYuan(26_000), InsurancePaid = Money.FromYuan(18_500),
        };
        var claim = await new ManualClaims(db, clock).SubmitAsync(new ManualClaimRequest(DemoClaims.Clerk, member.IdNumber, EventKinds.Hospitalization, today.AddDays(-5), stay, ["MW_NATIONAL"],
            [new("idCard", "身份证.png", DemoImage.Card()), new("dischargeSummary", "出院小结.pdf", pdf), new("invoice", "住院发票.pdf", pdf), new("expenseList", "费用清单.pdf", pdf)]),
            Demo(DemoClaims.Clerk), cancellationToken);
        await new ReviewClaims(db, clock).ApproveAsync(claim.Number, Demo(DemoClaims.Reviewer), "劳模证书、票据核对无误", cancellationToken);
    }
}
