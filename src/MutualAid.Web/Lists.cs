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
        app.MapGet("/export/claims.xlsx", (HttpContext http, CurrentUser current, Audit audit, ReadDb read, TimeProvider clock) =>
            ClaimsAsync(http, current, audit, read, clock, review: false)).RequireAuthorization(staff);
        app.MapGet("/export/review.xlsx", (HttpContext http, CurrentUser current, Audit audit, ReadDb read, TimeProvider clock) =>
            ClaimsAsync(http, current, audit, read, clock, review: true)).RequireAuthorization(staff);
        app.MapGet("/export/members.xlsx", async (HttpContext http, CurrentUser current, Audit audit, ReadDb read, TimeProvider clock) =>
        {
            var scope = await current.ScopeAsync();
            var query = ListQuery.Of(http.Request);
            var rows = MemberList.Sorting.Apply(MemberList.Query(read.Context, scope, MemberLists.Read(query), clock.Today()), query.Page);
            return await SendAsync(audit, "会员清单", rows,
            [
                new("姓名", r => r.Name), new("身份证号", r => IdNumber.Parse(r.IdNumber).Masked), new("类别", r => Names.Of(r.Type)),
                new("手机", r => Masks.Phone(r.Phone)), new("单位", r => r.Unit ?? "个人参保"), new("区县", r => r.District),
            ]);
        }).RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = $"{Roles.Admin},{Roles.Clerk},{Roles.Reviewer},{Roles.Finance},{Roles.UnitOfficer}" });
        MapAudit(app);
        OfficeListExports.Map(app);
    }

    private static void MapAudit(WebApplication app) =>
        app.MapGet("/export/audit.xlsx", async (HttpContext http, Audit audit, ReadDb read) =>
        {
            var query = ListQuery.Of(http.Request);
            var rows = Auditing.AuditList.Sorting.Apply(Auditing.AuditList.Query(read.Context, AuditLists.Read(query)), query.Page);
            return await SendAsync(audit, "操作日志", rows,
            [
                new("时间", a => BeijingTime.Local(a.At).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)), new("用户", a => a.User), new("操作", a => a.Action),
                new("对象", a => a.Subject), new("内容", a => a.Detail), new("来源", a => a.From),
            ]);
        }).RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = Roles.Admin });

    private static async Task<IResult> ClaimsAsync(HttpContext http, CurrentUser current, Audit audit, ReadDb read, TimeProvider clock, bool review)
    {
        var scope = await current.ScopeAsync();
        var query = ListQuery.Of(http.Request);
        var now = clock.Now();
        var (filter, sorting) = ClaimLists.Read(query, review);
        var rows = sorting.Apply(ClaimList.Query(read.Context, scope, filter, now), query.Page);
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
    internal static async Task<IResult> SendAsync<T>(Audit audit, string title, IQueryable<T> rows, IReadOnlyList<ExcelColumn<T>> columns)
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

/// <summary>The premiums received, payments, batches and SMS outbox lists' filters as the address carries them.</summary>
public static class OfficeLists
{
    public static Premiums.PremiumFilter Premiums(ListQuery query) =>
        new(query.Text("q"), query.Choice<Premiums.Payer>("payer"), query.Text("district"), query.Text("unit"), query.Date("period", "参保期间开始日"),
            query.Date("from", "到账日期（从）"), query.Date("to", "到账日期（至）"), query.Amount("min", "最低金额"), query.Amount("max", "最高金额"));

    public static Payments.PaymentFilter Payments(ListQuery query, string? batch = null) =>
        new(query.Text("q"), query.Choice<Payments.PaymentState>("state"), batch ?? query.Text("batch"), query.Text("district"),
            query.Date("from", "批次日期（从）"), query.Date("to", "批次日期（至）"), query.Amount("min", "最低金额"), query.Amount("max", "最高金额"));

    public static Payments.BatchFilter Batches(ListQuery query) =>
        new(query.Choice<Payments.BatchState>("state"), query.Date("from", "生成日期（从）"), query.Date("to", "生成日期（至）"));

    /// <summary>The outbox opens on the failed ones (what a person must look at); <c>state=all</c> shows every state.</summary>
    public static Notifications.NoticeFilter Notices(ListQuery query) =>
        new(query.Text("q"), query.Text("state") is null ? Notifications.NoticeState.Failed : query.Choice<Notifications.NoticeState>("state"),
            query.Choice<Notifications.NoticeTopic>("topic"), query.Date("from", "写入日期（从）"), query.Date("to", "写入日期（至）"));
}

/// <summary>The Excel exports of the premiums received, the payments, a batch's lines, the claims held back and the SMS outbox.</summary>
internal static class OfficeListExports
{
    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Time(DateTime utc) => BeijingTime.Local(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static void Map(WebApplication app)
    {
        var finance = new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = Roles.Finance };
        app.MapGet("/export/premiums.xlsx", async (HttpContext http, CurrentUser current, Audit audit, ReadDb read) =>
        {
            var query = ListQuery.Of(http.Request);
            var rows = Premiums.PremiumList.Sorting.Apply(Premiums.PremiumList.Query(read.Context, await current.ScopeAsync(), OfficeLists.Premiums(query)), query.Page);
            return await ListExports.SendAsync(audit, "会费到账清单", rows,
            [
                new("收据号", r => r.ReceiptNumber), new("到账日期", r => Day(r.PaidOn)), new("缴费方", r => Names.Of(r.Payer)),
                new("单位", r => r.Unit), new("统一社会信用代码", r => r.UnitCode), new("会员", r => r.MemberName),
                new("身份证号", r => r.IdNumber is { } id ? IdNumber.Parse(id).Masked : null), new("区县", r => r.District),
                new("期间开始", r => Day(r.PeriodStart)), new("金额（元）", r => r.Amount.Yuan, Summed: true), new("银行流水号", r => r.Reference),
            ]);
        }).RequireAuthorization(finance);
        app.MapGet("/export/payments.xlsx", async (HttpContext http, CurrentUser current, Audit audit, ReadDb read) =>
        {
            var query = ListQuery.Of(http.Request);
            var rows = Payments.PaymentList.Sorting.Apply(Payments.PaymentList.Query(read.Context, await current.ScopeAsync(), OfficeLists.Payments(query)), query.Page);
            return await ListExports.SendAsync(audit, "发放明细", rows, PaymentColumns);
        }).RequireAuthorization(finance);
        app.MapGet("/export/batch/{code}.xlsx", async (string code, HttpContext http, CurrentUser current, Audit audit, ReadDb read) =>
        {
            var query = ListQuery.Of(http.Request);
            var rows = Payments.PaymentList.Lines.Apply(Payments.PaymentList.Query(read.Context, await current.ScopeAsync(), OfficeLists.Payments(query, code)), query.Page);
            return await ListExports.SendAsync(audit, $"发放批次{code.Trim().ToUpperInvariant()}明细", rows, PaymentColumns);
        }).RequireAuthorization(finance);
        app.MapGet("/export/held.xlsx", async (Audit audit, ReadDb read, TimeProvider clock) =>
        {
            var held = await new Payments.PaymentDesk(read.Context, clock).HeldAsync(10_000, default); // the queue as a batch would take it, as the page shows it
            return await ListExports.SendAsync(audit, "暂缓发放的理赔和救助", held.AsQueryable(), [new("理赔或救助编号", h => h.Path), new("原因", h => h.Message)]);
        }).RequireAuthorization(finance);
        app.MapGet("/export/partners-report.xlsx", async (string? year, Audit audit, ReadDb read, TimeProvider clock) =>
        {
            var report = await new Partners.PartnerLists(read.Context).ReportAsync(Input.Year(year, clock.Today().Year).Year, default);
            return await ListExports.SendAsync(audit, $"医疗优惠补助统计{report.Year}", report.Months.AsQueryable(),
            [
                new("机构", r => r.Partner), new("统一社会信用代码", r => r.Code), new("月份", r => r.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture)),
                new("结算单", r => r.Number), new("状态", r => r.StateName), new("人次", r => r.Visits, Summed: true),
                new("自付（元）", r => r.SelfPay.Yuan, Summed: true), new("优惠（元）", r => r.Discount.Yuan, Summed: true), new("已付款（元）", r => r.Paid.Yuan, Summed: true),
            ]);
        }).RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = $"{Roles.Admin},{Roles.Finance}" });
        app.MapGet("/export/notices.xlsx", async (HttpContext http, CurrentUser current, Audit audit, ReadDb read) =>
        {
            var query = ListQuery.Of(http.Request);
            var rows = Notifications.NoticeList.Sorting.Apply(Notifications.NoticeList.Query(read.Context, await current.ScopeAsync(), OfficeLists.Notices(query)), query.Page);
            return await ListExports.SendAsync(audit, "短信通知", rows,
            [
                new("编号", r => r.Id), new("写入时间", r => Time(r.CreatedAt)), new("会员", r => r.MemberName), new("手机号", r => Masks.Phone(r.Phone)),
                new("事由", r => Names.Of(r.Topic)), new("内容", r => r.Text), new("状态", r => Names.Of(r.State)),
                new("发送时间", r => r.SentAt is { } sent ? Time(sent) : null), new("已试次数", r => r.Attempts), new("最近错误", r => r.LastError),
            ]);
        }).RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = $"{Roles.Admin},{Roles.Clerk}" });
    }

    private static readonly ExcelColumn<Payments.PaymentRow>[] PaymentColumns =
    [
        new("批次", r => r.BatchCode), new("序号", r => r.LineNo), new("理赔、救助或结算单编号", r => r.Subject), new("收款人", r => r.PayeeName),
        new("身份证号", r => r.ShownId), new("银行卡", r => Masks.Account(r.BankName, r.BankAccount)),
        new("新账户", r => r.NewAccount ? "是" : null), new("单位", r => r.MemberId is null ? "合作医疗机构" : r.Unit ?? "个人参保"), new("区县", r => r.District),
        new("金额（元）", r => r.Amount.Yuan, Summed: true), new("摘要", r => r.Memo), new("结果", r => Names.Of(r.State)), new("失败原因", r => r.Reason),
        new("回盘时间", r => r.AnsweredAt is { } at ? Time(at) : null),
    ];
}
