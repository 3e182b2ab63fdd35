using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Partners;

namespace MutualAid.Web;

/// <summary>A partner's terms as the API takes them: amounts in yuan, the kind <c>hospital</c> or <c>pharmacy</c>.</summary>
public sealed record PartnerApiTerms(string? Name, string? Kind, int? RatePercent, decimal? VisitCap, decimal? YearCap, string? Plan, string? BankName, string? BankAccount, bool Active = true);

/// <summary>A monthly statement sent by API: the month (YYYY-MM) and the file (.csv or .xlsx, Base64), as docs/imports.md describes it.</summary>
public sealed record StatementApi(string? Month, string? FileName, string? ContentBase64);

/// <summary>Why a statement is refused (不予核准原因).</summary>
public sealed record StatementRefusalApi(string? Reason);

/// <summary>
/// <c>/api/v1/partners</c>: partner institutions and their terms (a city administrator), their monthly
/// statements (imported by a city clerk, checked by a second person) and the year's report, through
/// the same handlers as the pages; refused input is 400 with every problem named.
/// </summary>
internal static class PartnerApi
{
    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/v1").WithTags("MutualAid")
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = IdentityConstants.BearerScheme });
        api.MapGet("/partners", (CurrentUser current, MutualAidDbContext db) => StaffAsync(current, async () => Results.Ok((await new PartnerLists(db).PartnersAsync(default)).Select(p => new
        {
            p.Code, p.Name, Kind = p.Kind.ToString(), p.KindName, p.RatePercent, VisitCap = p.VisitCap.Yuan, YearCap = p.YearCap.Yuan, p.Plan, p.Account, p.Active,
        })))).WithSummary("合作医疗机构及其优惠协议（工作人员）");
        api.MapPut("/partners/{code}", (string code, PartnerApiTerms body, CurrentUser current, Audit audit, MutualAidDbContext db, TimeProvider clock) =>
            RunAsync(async () =>
            {
                PartnerKind? kind = body.Kind is null ? PartnerKind.Hospital : Enum.TryParse<PartnerKind>(body.Kind, ignoreCase: true, out var k) && !int.TryParse(body.Kind, out _) ? k : null;
                var terms = new PartnerTerms(code, body.Name, kind ?? throw new InvalidInputException("kind", $"“{body.Kind}”应为 hospital（医院）或 pharmacy（药店）"),
                    body.RatePercent, Yuan(body.VisitCap, "visitCap"), Yuan(body.YearCap, "yearCap"), body.Plan, body.BankName, body.BankAccount, body.Active);
                var partner = await new PartnerDesk(db, clock).SaveAsync(await current.ScopeAsync(), terms, await audit.ActorAsync(Auditing.Origin.Api), default);
                return Results.Ok(new { partner.Code, partner.Name, Kind = partner.Kind.ToString(), partner.RatePercent, VisitCap = partner.VisitCap.Yuan, YearCap = partner.YearCap.Yuan, partner.Active });
            })).WithSummary("新增合作医疗机构或修改其优惠协议、银行账户（市级管理员）");
        api.MapPost("/partners/{code}/statements", (string code, StatementApi body, CurrentUser current, Audit audit, MutualAidDbContext db, TimeProvider clock) =>
            RunAsync(async () =>
            {
                var problems = new List<Problem>();
                if (!DateOnly.TryParseExact($"{body.Month}-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
                    problems.Add(new Problem("month", $"“{body.Month}”不是 YYYY-MM 格式的月份"));
                byte[] content = [];
                try
                {
                    content = Convert.FromBase64String(body.ContentBase64 ?? "");
                }
                catch (FormatException)
                {
                    problems.Add(new Problem("contentBase64", "内容不是 Base64"));
                }
                if (string.IsNullOrWhiteSpace(body.FileName) || content.Length == 0)
                    problems.Add(new Problem("fileName", "须有文件名和内容"));
                if (problems.Count > 0)
                    throw new InvalidInputException(problems);
                var statement = await new PartnerDesk(db, clock).ImportAsync(await current.ScopeAsync(), code, month, body.FileName!, () => new MemoryStream(content),
                    await audit.ActorAsync(Auditing.Origin.Api), default);
                return Results.Created($"/api/v1/partner-statements/{statement.Number}",
                    new { statement.Number, statement.Rows, Discount = statement.Discount.Yuan, State = statement.State.ToString() });
            })).WithSummary("导入合作医疗机构的月度优惠结算单（市级经办）：逐行核对，有一行不符则整单不导入");
        api.MapGet("/partner-statements", (string? partner, int? year, string? state, CurrentUser current, MutualAidDbContext db) => StaffAsync(current, async () =>
        {
            StatementState? wanted = Enum.TryParse<StatementState>(state, ignoreCase: true, out var s) ? s : null;
            var rows = await new PartnerLists(db).StatementsAsync(partner, year, wanted, default);
            return Results.Ok(rows.Select(r => new
            {
                r.Number, r.Partner, r.PartnerCode, Month = r.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture), r.Rows, SelfPay = r.SelfPay.Yuan, Discount = r.Discount.Yuan,
                State = r.State.ToString(), r.StateName, r.ImportedBy, r.CheckedBy, r.RefusalReason, r.PaidBy,
            }));
        })).WithSummary("月度优惠结算单，最新的在前（工作人员）");
        api.MapPost("/partner-statements/{number}/approve", (string number, CurrentUser current, Audit audit, MutualAidDbContext db, TimeProvider clock) =>
            RunAsync(async () => Statement(await new PartnerDesk(db, clock).ApproveAsync(await current.ScopeAsync(), number, await audit.ActorAsync(Auditing.Origin.Api), default))))
            .WithSummary("复核核准结算单（导入人以外的另一人）：记入医疗优惠补助支出，待发放批次付至机构");
        api.MapPost("/partner-statements/{number}/refuse", (string number, StatementRefusalApi body, CurrentUser current, Audit audit, MutualAidDbContext db, TimeProvider clock) =>
            RunAsync(async () => Statement(await new PartnerDesk(db, clock).RefuseAsync(await current.ScopeAsync(), number, body.Reason, await audit.ActorAsync(Auditing.Origin.Api), default))))
            .WithSummary("复核不予核准结算单，须写明原因");
        api.MapGet("/partners/report", (int? year, CurrentUser current, MutualAidDbContext db, TimeProvider clock) => StaffAsync(current, async () =>
        {
            var report = await new PartnerLists(db).ReportAsync(year ?? clock.Today().Year, default);
            return Results.Ok(new
            {
                report.Year,
                Months = report.Months.Select(m => new { m.Partner, m.Code, Month = m.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture), m.Number, State = m.State.ToString(), m.Visits, SelfPay = m.SelfPay.Yuan, Discount = m.Discount.Yuan, Paid = m.Paid.Yuan }),
                Partners = report.Partners.Select(p => new { p.Partner, p.Code, p.Visits, p.Members, Discount = p.Discount.Yuan, Paid = p.Paid.Yuan }),
                report.Visits, Discount = report.Discount.Yuan, Paid = report.Paid.Yuan,
            });
        })).WithSummary("医疗优惠补助统计：按机构和月份（工作人员）");
    }

    /// <summary>Partners are the city's business: their lists for staff only, members and units answered 403.</summary>
    private static async Task<IResult> StaffAsync(CurrentUser current, Func<Task<IResult>> act) =>
        (await current.ScopeAsync()).IsStaff ? await act() : Results.Problem("只有工作人员可以查看合作医疗机构", statusCode: StatusCodes.Status403Forbidden);

    private static IResult Statement(PartnerStatement s) => Results.Ok(new { s.Number, State = s.State.ToString(), StateName = Names.Of(s.State), s.CheckedBy });

    private static Money? Yuan(decimal? yuan, string field) =>
        yuan is not { } value ? null : Money.TryFromYuan(value, out var money) ? money : throw new InvalidInputException(field, $"{value} 不是金额（元，最多两位小数）");

    private static async Task<IResult> RunAsync(Func<Task<IResult>> act)
    {
        try
        {
            return await act();
        }
        catch (InvalidInputException e)
        {
            return Results.BadRequest(e.Problems.Select(p => new ProblemApi(p.Path, p.Message)));
        }
    }
}
