using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MutualAid.Data;

namespace MutualAid.Tests.Web;

/// <summary>A member's claim through the API names its treatments (<c>procedures</c>), checked and kept with their record.</summary>
public sealed class TreatmentApiTests : IAsyncLifetime
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

    [Fact]
    public async Task AMember_NamesTheTreatments_AndTheClaimIsTakenOnlyWithTheirRecord()
    {
        var response = await _http.PostAsJsonAsync("/api/v1/token", new { userName = "member", password = "Demo2026" }, Ct);
        response.EnsureSuccessStatusCode();
        using var member = new HttpClient { BaseAddress = _http.BaseAddress };
        member.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString());
        var discharge = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3);
        var pdf = Convert.ToBase64String(TestFiles.Pdf);
        string[] stay = ["idCard", "dischargeSummary", "invoice", "expenseList", "diagnosisCertificate"];
        object Submission(string[] procedures, params string[] types) => new
        {
            kind = "hospitalization", date = discharge, admissionDate = discharge.AddDays(-4), dischargeDate = discharge, diagnoses = "C18.7",
            totalCost = 8000m, insurancePaid = 4000m, selfPayInScope = 0m, selfPayOutOfScope = 0m, loss = 0m, procedures,
            documents = types.Select(t => new { type = t, fileName = $"{t}.pdf", contentBase64 = pdf }).ToArray(),
        };

        var unknown = await member.PostAsJsonAsync("/api/v1/me/claims", Submission(["针灸"], stay), Ct);
        var withoutRecord = await member.PostAsJsonAsync("/api/v1/me/claims", Submission(["化疗"], stay), Ct);
        var complete = await member.PostAsJsonAsync("/api/v1/me/claims", Submission(["chemotherapy", "手术"], [.. stay, "procedureRecord"]), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("未知的治疗“针灸”", await unknown.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, withoutRecord.StatusCode);
        Assert.Contains("须附手术或放化疗记录", await withoutRecord.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.True(complete.StatusCode == HttpStatusCode.Created, await complete.Content.ReadAsStringAsync(Ct));
        var number = (await complete.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("number").GetString()!;
        await using var db = Database.Parse(_server!.ConnectionString).CreateContext();
        var claim = await db.Claims.AsNoTracking().Include(c => c.Documents).SingleAsync(c => c.Id == MutualAid.Claims.Claim.IdOf(number), Ct);
        Assert.Equal(MutualAid.Benefits.Procedures.Surgery | MutualAid.Benefits.Procedures.Chemotherapy, claim.Details!.Procedures);
        Assert.Contains(claim.Documents, d => d.Type == "procedureRecord");
    }
}
