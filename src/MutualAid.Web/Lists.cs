using System.Globalization;
using MutualAid.Access;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Members;
using MutualAid.Reports;

namespace MutualAid.Web;

/// <summary>The claims list's and the review queue's filter as the address carries it; the page and the export read it here.</summary>
public static class ClaimLists
{
    public static (ClaimFilter Filter, Sorting<ClaimRow> Sorting) Read(ListQuery query, bool review) =>
        (new ClaimFilter(
            query.Text("q"), review ? ClaimState.PendingReview : query.Choice<ClaimState>("state"), query.Choice<ClaimSource>("source"),
            query.Text("district"), query.Text("unit"), query.Text("plan"), query.Date("from", "事件日期（从）"), query.Date("to", "事件日期（至）"),
            query.Amount("min", "最低金额"), query.Amount("max", "最高金额"), query.Number("waiting", "已等待天数"), query.Text("overdue") is "1"),
         review ? ClaimList.Queue : ClaimList.Sorting);
}

/// <summary>The members list's filter as the address carries it.</summary>
public static class MemberLists
{
    public static MemberFilter Read(ListQuery query) =>
        new(query.Text("q"), query.Choice<Benefits.MemberType>("type"), query.Text("district"), query.Text("unit"), query.Text("plan"));
}

/// <summary>The audit log's filter as the address carries it.</summary>
public static class AuditLists
{
    public static Auditing.AuditFilter Read(ListQuery query) =>
        new(query.Text("q"), query.Text("user"), query.Text("action"), query.Date("from", "日期（从）"), query.Date("to", "日期（至）"));
}

/// <summary>
/// Each list's Excel export: what its filter shows, in its order, every row (not only the page),
/// ID and mobile numbers masked as in every list, with a totals row; each export is an audit line.
/// </summary>
internal static class ListExports
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static void Map(WebApplication app)
    {
        var staff = new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = $"{Roles.Admin},{Roles.Clerk},{Roles.Reviewer},{Roles.Finance}" };
        app.MapGet("/export/claims.xlsx", (HttpContext http, CurrentUser current, Audit audit, MutualAidDbContext db, TimeProvider clock) =>
            ClaimsAsync(http, current, audit, db, clock, review: false)).RequireAuthorization(staff);
        app.MapGet("/export/review.xlsx", (HttpContext http, CurrentUser current, Audit audit, MutualAidDbContext db, TimeProvider clock) =>
            ClaimsAsync(http, current, audit, db, clock, review: true)).RequireAuthorization(staff);
        app.MapGet("/export/members.xlsx", async (HttpContext http, CurrentUser current, Audit audit, MutualAidDbContext db, TimeProvider clock) =>
        {
            var scope = await current.ScopeAsync();
            var query = ListQuery.Of(http.Request);
            var rows = MemberList.Sorting.Apply(MemberList.Query(db, scope, MemberLists.Read(query), clock.Today()), query.Page);
            return await SendAsync(audit, "会员清单", rows,
            [
                new("姓名", r => r.Name), new("身份证号", r => IdNumber.Parse(r.IdNumber).Masked), new("类别", r => Names.Of(r.Type)),
                new("手机", r => Masks.Phone(r.Phone)), new("单位", r => r.Unit ?? "个人参保"), new("区县", r => r.District),
            ]);
        }).RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = $"{Roles.Admin},{Roles.Clerk},{Roles.Reviewer},{Roles.Finance},{Roles.UnitOfficer}" });
        MapAudit(app);
    }

    private static void MapAudit(WebApplication app) =>
        app.MapGet("/export/audit.xlsx", async (HttpContext http, Audit audit, MutualAidDbContext db) =>
        {
            var query = ListQuery.Of(http.Request);
            var rows = Auditing.AuditList.Sorting.Apply(Auditing.AuditList.Query(db, AuditLists.Read(query)), query.Page);
            return await SendAsync(audit, "操作日志", rows,
            [
                new("时间", a => BeijingTime.Local(a.At).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)), new("用户", a => a.User), new("操作", a => a.Action),
                new("对象", a => a.Subject), new("内容", a => a.Detail), new("来源", a => a.From),
            ]);
        }).RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = Roles.Admin });

    private static async Task<IResult> ClaimsAsync(HttpContext http, CurrentUser current, Audit audit, MutualAidDbContext db, TimeProvider clock, bool review)
    {
        var scope = await current.ScopeAsync();
        var query = ListQuery.Of(http.Request);
        var now = clock.Now();
        var (filter, sorting) = ClaimLists.Read(query, review);
        var rows = sorting.Apply(ClaimList.Query(db, scope, filter, now), query.Page);
        return await SendAsync(audit, review ? "待复核理赔清单" : "理赔清单", rows,
        [
            new("理赔编号", r => r.Number), new("会员", r => r.MemberName), new("身份证号", r => IdNumber.Parse(r.IdNumber).Masked),
            new("事件日期", r => r.EventDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), new("事件", r => Names.Of(r.Kind)), new("来源", r => Names.Of(r.Source)),
            new("状态", r => Names.Of(r.State)), new("单位", r => r.Unit ?? "个人参保"), new("区县", r => r.District),
            new("金额（元）", r => r.Total.Yuan, Summed: true), new("受理日期", r => BeijingTime.Day(r.CreatedAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            new("已等待天数", r => Claim.Open.Contains(r.State) ? r.DaysWaiting(now) : null),
        ]);
    }

    /// <summary>Writes the sheet to a temporary file (rows streamed from the database), records the export, and sends it.</summary>
    private static async Task<IResult> SendAsync<T>(Audit audit, string title, IQueryable<T> rows, IReadOnlyList<ExcelColumn<T>> columns)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mutualaid-{Guid.NewGuid():N}.xlsx");
        try
        {
            var count = ExcelExport.Write(path, rows.AsEnumerable(), columns);
            await audit.RecordAsync("导出", title, $"{count} 条", save: true);
            var name = $"{title}{BeijingTime.Day(DateTime.UtcNow):yyyyMMdd}.xlsx";
            return Results.File(await File.ReadAllBytesAsync(path), Xlsx, name);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
