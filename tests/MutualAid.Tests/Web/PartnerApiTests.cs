using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Common;
using MutualAid.Tests.Data;

namespace MutualAid.Tests.Web;

/// <summary>
/// <c>/api/v1/partners…</c> over a real server on the demo city: the administrator keeps the terms, a
/// city clerk sends a statement (refused whole with its rows named, then taken), a second person checks
/// it once; members are kept out.
/// </summary>
public sealed class PartnerApiTests(DemoServer demo) : IClassFixture<DemoServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpClient> AsAsync(string user)
    {
        var client = new HttpClient { BaseAddress = new Uri(demo.Server.Url) };
        var response = await client.PostAsJsonAsync("/api/v1/token", new { userName = user, password = Chromium.Password }, Ct);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task APartnersTermsAndStatement_ThroughTheApi_AreCheckedAsOnThePages()
    {
        await using var db = demo.Db();
        await UserAdmin.For(db).AddAsync(new UserInput("apiclerk", "市级经办员", Roles.Clerk, null, null, null), Chromium.Password, Ct);
        var code = TestIds.Unit(88);
        var today = DateOnly.FromDateTime(DateTime.UtcNow + BeijingTime.Offset);
        var month = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var visit = month.AddDays(6);
        var member = await db.Enrollments.AsNoTracking().Where(e => e.Status == MutualAid.Enrollment.EnrollmentStatus.Active && e.CoverageStart <= visit && e.End >= visit)
            .Join(db.Members, e => e.MemberId, m => m.Id, (e, m) => new { m.IdNumber, m.Name }).OrderBy(m => m.IdNumber).FirstAsync(Ct);
        object Statement(decimal discount) => new
        {
            month = month.ToString("yyyy-MM", CultureInfo.InvariantCulture), fileName = "api.csv",
            contentBase64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(
                string.Create(CultureInfo.InvariantCulture, $"id_number,name,visit_date,settlement_id,self_pay,discount\n{member.IdNumber},{member.Name},{visit:yyyy-MM-dd},API{month:yyyyMM}1,300,{discount}\n"))),
        };
        using var admin = await AsAsync("admin");
        using var clerk = await AsAsync("apiclerk");
        using var districtClerk = await AsAsync("clerk");
        using var reviewer = await AsAsync("reviewer");
        using var someone = await AsAsync("member");

        var saved = await admin.PutAsJsonAsync($"/api/v1/partners/{code}", new { name = "宁波市江北区妇幼保健院", kind = "hospital", ratePercent = 15, visitCap = 100, yearCap = 500 }, Ct);
        var notAdmin = await clerk.PutAsJsonAsync($"/api/v1/partners/{code}", new { name = "改名", ratePercent = 90, visitCap = 100, yearCap = 500 }, Ct);
        var hidden = await someone.GetAsync("/api/v1/partners", Ct);
        var outOfScope = await districtClerk.PostAsJsonAsync($"/api/v1/partners/{code}/statements", Statement(45), Ct);
        var badRow = await clerk.PostAsJsonAsync($"/api/v1/partners/{code}/statements", Statement(46), Ct);
        var taken = await clerk.PostAsJsonAsync($"/api/v1/partners/{code}/statements", Statement(45), Ct);
        var number = (await taken.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("number").GetString()!;
        var self = await clerk.PostAsync($"/api/v1/partner-statements/{number}/approve", null, Ct);
        var approved = await reviewer.PostAsync($"/api/v1/partner-statements/{number}/approve", null, Ct);
        var twice = await reviewer.PostAsync($"/api/v1/partner-statements/{number}/approve", null, Ct);
        var listed = await reviewer.GetFromJsonAsync<JsonElement>($"/api/v1/partner-statements?partner={code}", Ct);

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, hidden.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, outOfScope.StatusCode);
        Assert.Contains("只有市级经办人员", await outOfScope.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.BadRequest, badRow.StatusCode);
        var problems = await badRow.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(problems.EnumerateArray(), p => p.GetProperty("field").GetString() == "第 2 行 discount"
            && p.GetProperty("message").GetString()!.Contains("超过协议优惠 45.00 元", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Created, taken.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.OK, HttpStatusCode.BadRequest), (self.StatusCode, approved.StatusCode, twice.StatusCode));
        Assert.Equal("Approved", listed.EnumerateArray().Single().GetProperty("state").GetString());
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == "核准优惠结算单" && a.Subject == $"结算单 {number}" && a.From!.Contains("接口"), Ct));
    }
}
