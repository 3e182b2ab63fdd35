using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Partners;

namespace MutualAid.Demo;

/// <summary>
/// Partner-hospital discounts in the demo city: the administrator signs up a partner hospital (自付 20%,
/// 每次 200 元, 每人每年 1,000 元) and a pharmacy; the hospital's statement of last month, a visit for
/// each of twelve members covered then, is imported by a city clerk and checked by the reviewer, so
/// the batch that follows pays it to the hospital's account with the claims.
/// </summary>
internal sealed class DemoPartners(TimeProvider clock)
{
    public const string Hospital = "宁波市第六医院";

    public async Task RunAsync(MutualAidDbContext db, CancellationToken cancellationToken)
    {
        static Access.UserScope As(string user, string role) => new(0, user, user, new HashSet<string> { role }, null, null, null);
        static Auditing.Actor Demo(string user) => new(user, Auditing.Origin.System, "演示数据");
        var desk = new PartnerDesk(db, clock);
        var admin = As("系统管理员", Access.Roles.Admin);
        var hospital = await desk.SaveAsync(admin, new PartnerTerms(Code("MB0000061"), Hospital, PartnerKind.Hospital, 20, Money.FromYuan(200), Money.FromYuan(1000), null,
            "中国银行宁波分行", "3710580000000061"), Demo("系统管理员"), cancellationToken);
        await desk.SaveAsync(admin, new PartnerTerms(Code("MB0000062"), "宁波海曙大药房", PartnerKind.Pharmacy, 10, Money.FromYuan(50), Money.FromYuan(300), null,
            "宁波银行海曙支行", "5101220000000062"), Demo("系统管理员"), cancellationToken);

        var today = clock.Today();
        var month = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var visit = month.AddDays(9);
        var members = await db.Enrollments.AsNoTracking()
            .Where(e => e.Status == Enrollment.EnrollmentStatus.Active && e.CoverageStart <= visit && e.End >= visit)
            .Join(db.Members, e => e.MemberId, m => m.Id, (e, m) => new { m.Id, m.IdNumber, m.Name })
            .Distinct().OrderBy(m => m.Id).Take(12).ToListAsync(cancellationToken);
        if (members.Count == 0)
            return;
        var file = new StringBuilder(string.Join(",", PartnerDesk.Columns.Select(c => c.Name)) + "\n");
        for (var i = 0; i < members.Count; i++)
        {
            var selfPay = Money.FromYuan(180 + 95.5m * i);
            var discount = Money.Min(Money.RoundFen(selfPay.Fen * 0.2m), Money.FromYuan(200));
            file.Append(CultureInfo.InvariantCulture,
                $"{members[i].IdNumber},{members[i].Name},{visit:yyyy-MM-dd},NB{month:yyyyMM}{i + 1:D6},{selfPay.ToInvariantString()},{discount.ToInvariantString()}\n");
        }
        var content = Encoding.UTF8.GetBytes(file.ToString());
        var statement = await desk.ImportAsync(As(DemoClaims.Clerk, Access.Roles.Clerk), hospital.Code, month, $"{Hospital}{month:yyyy年M月}优惠结算单.csv",
            () => new MemoryStream(content), Demo(DemoClaims.Clerk), cancellationToken);
        await desk.ApproveAsync(As(DemoClaims.Reviewer, Access.Roles.Reviewer), statement.Number, Demo(DemoClaims.Reviewer), cancellationToken);
    }

    /// <summary>A public institution's credit code in the city's division (12 … 330203 …).</summary>
    private static string Code(string organisation)
    {
        var body = "12330203" + organisation;
        return body + UnitCode.CheckCharacter(body);
    }
}
