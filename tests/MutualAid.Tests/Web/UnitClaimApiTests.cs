using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MutualAid.Data;
using MutualAid.Enrollment;

namespace MutualAid.Tests.Web;

/// <summary>
/// Through the API: a unit's officer files a claim for the unit's worker and is refused (403) for another
/// unit's; a clerk records a model worker of the district once, and a unit's officer may not.
/// </summary>
public sealed class UnitClaimApiTests : IAsyncLifetime
{
    private static readonly string[] Plans = ["INPATIENT"];
    private static readonly string[] StayDocuments = ["idCard", "dischargeSummary", "invoice", "expenseList"];

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

    private async Task<HttpClient> SignInAsync(string user)
    {
        var response = await _http.PostAsJsonAsync("/api/v1/token", new { userName = user, password = "Demo2026" }, Ct);
        response.EnsureSuccessStatusCode();
        var client = new HttpClient { BaseAddress = _http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString());
        return client;
    }

    [Fact]
    public async Task AUnitsOfficer_FilesForTheirWorker_AndIsRefusedForAnotherUnits()
    {
        await using var db = Database.Parse(_server!.ConnectionString).CreateContext();
        var (own, other, discharge) = await UnitMembersAsync(db);
        using var unit = await SignInAsync("unit");
        var pdf = Convert.ToBase64String(TestFiles.Pdf);
        object Submission() => new
        {
            kind = "hospitalization", date = discharge, admissionDate = discharge.AddDays(-4), dischargeDate = discharge, diagnoses = "I10",
            totalCost = 9000m, insurancePaid = 6000m, selfPayInScope = 0m, selfPayOutOfScope = 0m, loss = 0m, plans = Plans,
            documents = StayDocuments.Select(t => new { type = t, fileName = $"{t}.pdf", contentBase64 = pdf }).ToArray(),
        };

        var refused = await unit.PostAsJsonAsync($"/api/v1/members/{other}/claims", Submission(), Ct);
        var filed = await unit.PostAsJsonAsync($"/api/v1/members/{own}/claims", Submission(), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("不是本单位的职工", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.True(filed.StatusCode == HttpStatusCode.Created, await filed.Content.ReadAsStringAsync(Ct));
        var body = await filed.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(body.GetProperty("throughUnit").GetBoolean());
        var claim = await db.Claims.AsNoTracking().SingleAsync(c => c.Id == MutualAid.Claims.Claim.IdOf(body.GetProperty("number").GetString()!), Ct);
        var unitId = await db.Users.Where(u => u.UserName == "unit").Select(u => u.UnitId).SingleAsync(Ct);
        Assert.Equal(("unit", unitId, own), (claim.EnteredBy, claim.ThroughUnitId, claim.MemberId));
        Assert.False(await db.Claims.AnyAsync(c => c.MemberId == other && c.EnteredBy == "unit", Ct));
        Assert.True(await db.Notices.AnyAsync(n => n.ClaimId == claim.Id, Ct));
        Assert.Equal("接口 127.0.0.1", (await db.AuditEntries.SingleAsync(a => a.Subject == claim.Number && a.Action == "单位代办", Ct)).From);
    }

    [Fact]
    public async Task AClerk_RecordsAModelWorkerOnce_AndAUnitsOfficerMayNot()
    {
        await using var db = Database.Parse(_server!.ConnectionString).CreateContext();
        var district = await db.Users.Where(u => u.UserName == "clerk").Select(u => u.DistrictId).SingleAsync(Ct);
        var member = await db.Members.Where(m => db.Units.Any(u => u.Id == m.UnitId && u.DistrictId == district) && !db.ModelWorkers.Any(t => t.MemberId == m.Id))
            .OrderByDescending(m => m.Id).Select(m => m.Id).FirstAsync(Ct);
        using var clerk = await SignInAsync("clerk");
        using var unit = await SignInAsync("unit");
        var title = new { level = "市级", title = "宁波市劳动模范", year = 2021 };

        var byUnit = await unit.PostAsJsonAsync($"/api/v1/members/{member}/model-worker", title, Ct);
        var recorded = await clerk.PostAsJsonAsync($"/api/v1/members/{member}/model-worker", title, Ct);
        var twice = await clerk.PostAsJsonAsync($"/api/v1/members/{member}/model-worker", title with { level = "全国" }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, byUnit.StatusCode);
        Assert.True(recorded.IsSuccessStatusCode, await recorded.Content.ReadAsStringAsync(Ct));
        Assert.Equal("市级", (await recorded.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("levelName").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Contains("不能重复登记", await twice.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var stored = await db.ModelWorkers.AsNoTracking().SingleAsync(t => t.MemberId == member, Ct);
        Assert.Equal((MutualAid.ModelWorkers.ModelWorkerLevel.City, "clerk"), (stored.Level, stored.RecordedBy));
    }

    /// <summary>
    /// A worker of the demo unit's officer covered by INPATIENT on a recent day (the discharge), and a member of another unit.
    /// </summary>
    internal static async Task<(long Own, long Other, DateOnly Discharge)> UnitMembersAsync(MutualAidDbContext db)
    {
        var unitId = await db.Users.Where(u => u.UserName == "unit").Select(u => u.UnitId).SingleAsync(Ct);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var covered = await db.Enrollments.AsNoTracking()
            .Where(e => e.PlanCode == "INPATIENT" && e.Status == EnrollmentStatus.Active && e.CoverageStart != null && e.CoverageStart <= today.AddDays(-20)
                && db.Members.Any(m => m.Id == e.MemberId && m.UnitId == unitId && m.Phone != null) && !db.Claims.Any(c => c.MemberId == e.MemberId))
            .OrderByDescending(e => e.Start).ThenBy(e => e.MemberId).FirstAsync(Ct);
        var discharge = covered.End < today.AddDays(-3) ? covered.End : today.AddDays(-3);
        var other = await db.Members.Where(m => m.UnitId != null && m.UnitId != unitId).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(Ct);
        return (covered.MemberId, other, discharge);
    }
}
