using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MutualAid.Data;

namespace MutualAid.Tests.Web;

/// <summary>The HTTP API for a union's app, over a real server on the demo city: tokens, a member's own data, scope, submission, OpenAPI.</summary>
public sealed class ApiTests : IAsyncLifetime
{
    private WebServer? _server;
    private readonly HttpClient _http = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await WebServer.StartAsync();
        _http.BaseAddress = new Uri(_server.Url);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }

    private async Task<HttpClient> AsAsync(string user)
    {
        var response = await _http.PostAsJsonAsync("/api/v1/token", new { userName = user, password = "Demo2026" }, Ct);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString();
        var client = new HttpClient { BaseAddress = _http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private MutualAidDbContext Db() => Database.Parse(_server!.ConnectionString).CreateContext();

    [Fact]
    public async Task AMember_ReadsTheirOwnClaimsWithTheExplanation_AndNobodyElses()
    {
        using var member = await AsAsync("member");
        await using var db = Db();
        var own = await db.Users.Where(u => u.UserName == "member").Select(u => u.MemberId!.Value).SingleAsync(Ct);
        var other = await db.Claims.Where(c => c.MemberId != own).Select(c => c.MemberId).FirstAsync(Ct);

        var claims = await member.GetFromJsonAsync<JsonElement>("/api/v1/me/claims", Ct);
        var plans = await member.GetFromJsonAsync<JsonElement>("/api/v1/me/plans", Ct);
        var others = await member.GetAsync($"/api/v1/members/{other}/claims", Ct);

        Assert.Contains(claims.EnumerateArray(), c => c.GetProperty("state").GetString() == "Paid"
            && c.GetProperty("lines").EnumerateArray().Any(l => l.GetProperty("explanation").GetString()!.Contains("本次给付", StringComparison.Ordinal)));
        Assert.NotEqual(0, plans.GetArrayLength());
        Assert.All(plans.EnumerateArray(), p => Assert.Contains(" 元/年", p.GetProperty("priceRule").GetString(), StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, others.StatusCode);
    }

    [Fact]
    public async Task TheApi_RefusesWithoutAToken_AndAWrongPassword()
    {
        var anonymous = await _http.GetAsync("/api/v1/me/claims", Ct);
        var wrong = await _http.PostAsJsonAsync("/api/v1/token", new { userName = "member", password = "nope" }, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task AUnitOfficer_ReadsTheirUnitsMembers_AndNotAnotherUnits()
    {
        using var unit = await AsAsync("unit");
        await using var db = Db();
        var unitId = await db.Users.Where(u => u.UserName == "unit").Select(u => u.UnitId!.Value).SingleAsync(Ct);
        var mine = await db.Members.Where(m => m.UnitId == unitId).Select(m => m.Id).FirstAsync(Ct);
        var theirs = await db.Members.Where(m => m.UnitId != unitId).Select(m => m.Id).FirstAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, (await unit.GetAsync($"/api/v1/members/{mine}/claims", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await unit.GetAsync($"/api/v1/members/{theirs}/claims", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await unit.GetAsync("/api/v1/me/claims", Ct)).StatusCode);
    }

    [Fact]
    public async Task AMember_SubmitsAClaim_OnlyWithEveryDocument()
    {
        using var member = await AsAsync("member");
        var discharge = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3);
        var pdf = Convert.ToBase64String(TestFiles.Pdf);
        object Submission(params string[] types) => new
        {
            kind = "hospitalization", date = discharge, admissionDate = discharge.AddDays(-4), dischargeDate = discharge, diagnoses = "J18.9",
            hospital = "上海市第六人民医院", totalCost = 8000m, insurancePaid = 0m, selfPayInScope = 0m, selfPayOutOfScope = 0m, loss = 0m,
            documents = types.Select(t => new { type = t, fileName = $"{t}.pdf", contentBase64 = pdf }).ToArray(),
        };

        var incomplete = await member.PostAsJsonAsync("/api/v1/me/claims", Submission("idCard"), Ct);
        var complete = await member.PostAsJsonAsync("/api/v1/me/claims", Submission("idCard", "dischargeSummary", "invoice", "expenseList", "diagnosisCertificate"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
        var refused = await incomplete.Content.ReadAsStringAsync(Ct);
        Assert.True(refused.Contains("缺少出院小结", StringComparison.Ordinal), refused);
        Assert.True(complete.StatusCode == HttpStatusCode.Created, await complete.Content.ReadAsStringAsync(Ct));
        var number = (await complete.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("number").GetString()!;
        await using var db = Db();
        var claim = await db.Claims.AsNoTracking().Include(c => c.Documents).SingleAsync(c => c.Id == MutualAid.Claims.Claim.IdOf(number), Ct);
        Assert.Equal((MutualAid.Claims.ClaimSource.Manual, "会员 member", 5), (claim.Source, claim.EnteredBy, claim.Documents.Count));
    }

    /// <summary>The attack of issue #12: one stay sent five times at once gives one claim; the other four are told which.</summary>
    [Fact]
    public async Task AMember_SubmittingOneStayFiveTimesAtOnce_GetsOneClaim_AndFourRefusalsNamingIt()
    {
        using var member = await AsAsync("member");
        var discharge = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3);
        var pdf = Convert.ToBase64String(TestFiles.Pdf);
        string[] types = ["idCard", "dischargeSummary", "invoice", "expenseList", "diagnosisCertificate"];
        var submission = new
        {
            kind = "hospitalization", date = discharge, admissionDate = discharge.AddDays(-4), dischargeDate = discharge, diagnoses = "J18.9",
            hospital = "上海市第六人民医院", totalCost = 8000m, insurancePaid = 0m, selfPayInScope = 0m, selfPayOutOfScope = 0m, loss = 0m,
            documents = types.Select(t => new { type = t, fileName = $"{t}.pdf", contentBase64 = pdf }).ToArray(),
        };

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => member.PostAsJsonAsync("/api/v1/me/claims", submission, Ct)));

        var created = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var number = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("number").GetString()!;
        var refused = responses.Where(r => r != created).ToList();
        Assert.Equal(4, refused.Count);
        foreach (var response in refused)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray());
            Assert.Equal("admissionDate", problem.GetProperty("field").GetString());
            Assert.StartsWith($"与已受理的理赔 {number}（人工受理", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        await using var db = Db();
        var own = await db.Users.Where(u => u.UserName == "member").Select(u => u.MemberId!.Value).SingleAsync(Ct);
        Assert.Equal(1, await db.Claims.CountAsync(c => c.MemberId == own && c.EventDate == discharge, Ct));
    }

    [Fact]
    public async Task AReviewer_RejectsByTheApi_WithACodeOfTheSameListAsTheWebs_Once()
    {
        using var reviewer = await AsAsync("reviewer");
        using var clerk = await AsAsync("clerk");
        await using var db = Db();
        var id = await db.Claims.Where(c => c.State == MutualAid.Claims.ClaimState.PendingReview && c.Source == MutualAid.Claims.ClaimSource.Automatic)
            .OrderBy(c => c.Id).Select(c => c.Id).FirstAsync(Ct);
        var number = (await db.Claims.SingleAsync(c => c.Id == id, Ct)).Number;

        var reasons = await reviewer.GetFromJsonAsync<JsonElement>("/api/v1/claims/reasons", Ct);
        var badCode = await reviewer.PostAsJsonAsync($"/api/v1/claims/{number}/review", new { action = "reject", code = "R42" }, Ct);
        var byClerk = await clerk.PostAsJsonAsync($"/api/v1/claims/{number}/review", new { action = "reject", code = "R02" }, Ct);
        var twice = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            reviewer.PostAsJsonAsync($"/api/v1/claims/{number}/review", new { action = "reject", code = "R02", note = "属工伤保险支付范围" }, Ct)));

        Assert.Contains(reasons.GetProperty("reject").EnumerateArray(), r => r.GetProperty("code").GetString() == "R02" && r.GetProperty("name").GetString() == "不属于保障范围");
        Assert.Equal(HttpStatusCode.BadRequest, badCode.StatusCode);
        Assert.Contains("R42", await badCode.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.Forbidden, byClerk.StatusCode);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.BadRequest], twice.Select(r => r.StatusCode).Order());
        db.ChangeTracker.Clear();
        var claim = await db.Claims.SingleAsync(c => c.Id == id, Ct);
        Assert.Equal(MutualAid.Claims.ClaimState.Rejected, claim.State);
        Assert.Single(claim.Transitions, t => t.To == MutualAid.Claims.ClaimState.Rejected && t.Reason == "[R02] 不属于保障范围：属工伤保险支付范围");
    }

    [Fact]
    public async Task TheOpenApiDocument_DescribesTheApi()
    {
        var document = await _http.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/token", paths);
        Assert.Contains("/api/v1/me/claims", paths);
        Assert.Contains("/api/v1/members/{id}/claims", paths);
    }

    [Fact]
    public async Task AClerk_ReadsTheirDistrictsMembers_AndNotAnotherDistricts()
    {
        using var clerk = await AsAsync("clerk");
        await using var db = Db();
        var district = await db.Users.Where(u => u.UserName == "clerk").Select(u => u.DistrictId!.Value).SingleAsync(Ct);
        var mine = await db.Members.Where(m => db.Units.Any(u => u.Id == m.UnitId && u.DistrictId == district)).Select(m => m.Id).FirstAsync(Ct);
        var theirs = await db.Members.Where(m => db.Units.Any(u => u.Id == m.UnitId && u.DistrictId != district)).Select(m => m.Id).FirstAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, (await clerk.GetAsync($"/api/v1/members/{mine}/claims", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await clerk.GetAsync($"/api/v1/members/{theirs}/claims", Ct)).StatusCode);
    }

    [Fact]
    public async Task ADisabledAccount_GetsNoToken()
    {
        await using (var db = Db())
            await MutualAid.Access.UserAdmin.For(db).SetDisabledAsync("finance2", disabled: true, Ct);

        var response = await _http.PostAsJsonAsync("/api/v1/token", new { userName = "finance2", password = "Demo2026" }, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TheGatewaysNotification_IsRecordedOnceWhenSigned_AndRefusedWhenForged()
    {
        var retiree = MutualAid.Tests.Data.TestIds.Person(951, new DateOnly(1957, 9, 9), MutualAid.Common.Gender.Male);
        MutualAid.Premiums.PremiumOrder order;
        await using (var db = Db())
        {
            var user = await TestSms.RegisterAsync(db,
                new MutualAid.Members.Registration(retiree, "郑退休", "13900000951", MutualAid.Benefits.MemberType.Retired, null, null, null), "Pension2026", TimeProvider.System, Ct);
            var online = new MutualAid.Premiums.OnlinePremiums(db, TimeProvider.System);
            var enrollment = await online.EnrolAsync(user.MemberId!.Value, "RETIREE", TestActors.Tester, Ct);
            order = await online.OrderAsync(user.MemberId.Value, enrollment.Start, Ct);
        }
        var payment = new MutualAid.Premiums.GatewayPayment(order.Number, order.Amount, "UP20261123000001", DateTime.UtcNow);
        var signed = new MutualAid.Premiums.StubPaymentGateway(System.Text.Encoding.UTF8.GetBytes(WebServer.StubKey)).Notify(payment);
        var forged = new MutualAid.Premiums.StubPaymentGateway("guessed"u8.ToArray()).Notify(payment);

        var refused = await _http.PostAsync("/api/v1/payments/notify", new FormUrlEncodedContent(forged), Ct);
        var first = await _http.PostAsync("/api/v1/payments/notify", new FormUrlEncodedContent(signed), Ct);
        var repeated = await _http.PostAsync("/api/v1/payments/notify", new FormUrlEncodedContent(signed), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(("success", "success"), (await first.Content.ReadAsStringAsync(Ct), await repeated.Content.ReadAsStringAsync(Ct)));
        await using var check = Db();
        Assert.Equal(["网关UP20261123000001"], await check.PremiumPayments.Where(p => p.MemberId == order.MemberId).Select(p => p.Reference).ToListAsync(Ct));
        Assert.Equal(MutualAid.Enrollment.EnrollmentStatus.Active, (await check.Enrollments.SingleAsync(e => e.MemberId == order.MemberId, Ct)).Status);
    }

    [Fact]
    public async Task WithoutTheStub_NoNotificationIsTaken()
    {
        await using var production = await WebServer.StartAsync(("Payments__Gateway", "none"));
        using var http = new HttpClient { BaseAddress = new Uri(production.Url) };
        var signed = new MutualAid.Premiums.StubPaymentGateway(System.Text.Encoding.UTF8.GetBytes(WebServer.StubKey))
            .Notify(new MutualAid.Premiums.GatewayPayment("MA1", MutualAid.Common.Money.FromYuan(130), "T1", DateTime.UtcNow));

        var response = await http.PostAsync("/api/v1/payments/notify", new FormUrlEncodedContent(signed), Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }
}
