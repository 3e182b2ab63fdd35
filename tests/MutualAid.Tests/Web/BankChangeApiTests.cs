using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MutualAid.Members;

namespace MutualAid.Tests.Web;

/// <summary>
/// <c>/api/v1/bank-changes/{id}/confirm | cancel</c> over a real server on the demo city: the same handler as
/// the member page, a clerk's only, for members in the clerk's scope, once however often sent at the same moment.
/// </summary>
public sealed class BankChangeApiTests(DemoServer demo) : IClassFixture<DemoServer>
{
    private readonly WebServer _server = demo.Server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpClient> AsAsync(string user)
    {
        var client = new HttpClient { BaseAddress = new Uri(_server.Url) };
        var response = await client.PostAsJsonAsync("/api/v1/token", new { userName = user, password = "Demo2026" }, Ct);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A change of a member's card made by finance (not the clerk), waiting; in the clerk's district or outside it.</summary>
    private async Task<(long Change, long Member)> WaitingChangeAsync(bool inClerksDistrict, string account)
    {
        await using var db = demo.Db();
        var district = await db.Users.Where(u => u.UserName == "clerk").Select(u => u.DistrictId!.Value).SingleAsync(Ct);
        var taken = db.BankAccountChanges.Select(c => c.MemberId);
        var member = await db.Members
            .Where(m => db.Units.Any(u => u.Id == m.UnitId && (u.DistrictId == district) == inClerksDistrict) && !taken.Contains(m.Id))
            .OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(Ct);
        var change = await new ChangeBankAccount(db, TimeProvider.System).HandleAsync(member, "中国农业银行", account, "原卡遗失",
            BankChangeSource.Clerk, new Auditing.Actor("finance", Auditing.Origin.Web, "10.0.0.5"), Ct);
        return (change.Id, member);
    }

    private async Task<(BankChangeState State, string? By, string? Account)> StateAsync(long change, long member)
    {
        await using var db = demo.Db();
        var c = await db.BankAccountChanges.SingleAsync(x => x.Id == change, Ct);
        return (c.State, c.DecidedBy, await db.Members.Where(m => m.Id == member).Select(m => m.BankAccount).SingleAsync(Ct));
    }

    [Fact]
    public async Task AClerk_ConfirmsByTheApi_Once_WhenSentTwiceAtTheSameMoment()
    {
        var (change, member) = await WaitingChangeAsync(inClerksDistrict: true, "6228480000000101");
        using var clerk = await AsAsync("clerk");

        var listed = await clerk.GetFromJsonAsync<JsonElement>($"/api/v1/members/{member}/bank-changes", Ct);
        var twice = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => clerk.PostAsync($"/api/v1/bank-changes/{change}/confirm", null, Ct)));

        Assert.Equal(change, listed[0].GetProperty("id").GetInt64());
        Assert.Equal("Pending", listed[0].GetProperty("state").GetString());
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.BadRequest], twice.Select(r => r.StatusCode).Order());
        var ok = await twice.Single(r => r.IsSuccessStatusCode).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(("Confirmed", "clerk"), (ok.GetProperty("state").GetString(), ok.GetProperty("decidedBy").GetString()));
        var lost = Assert.Single((await twice.Single(r => !r.IsSuccessStatusCode).Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray());
        Assert.Equal($"银行卡变更 {change}", lost.GetProperty("field").GetString());
        Assert.Equal((BankChangeState.Confirmed, "clerk", "6228480000000101"), await StateAsync(change, member));
        await using var db = demo.Db();
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "复核银行卡变更" && e.Subject == $"会员 {member}", Ct));
        Assert.StartsWith("接口", await db.AuditEntries.Where(e => e.Action == "复核银行卡变更" && e.Subject == $"会员 {member}").Select(e => e.From).SingleAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClerk_CancelsByTheApi_WithAReason_PuttingTheOldCardBack()
    {
        var (change, member) = await WaitingChangeAsync(inClerksDistrict: true, "6228480000000102");
        using var clerk = await AsAsync("clerk");
        string? before;
        await using (var db = demo.Db())
            before = await db.BankAccountChanges.Where(c => c.Id == change).Select(c => c.OldAccount).SingleAsync(Ct);

        var noReason = await clerk.PostAsJsonAsync($"/api/v1/bank-changes/{change}/cancel", new { reason = "" }, Ct);
        var cancelled = await clerk.PostAsJsonAsync($"/api/v1/bank-changes/{change}/cancel", new { reason = "会员来电：非本人办理" }, Ct);
        var missing = await clerk.PostAsJsonAsync("/api/v1/bank-changes/999999999/cancel", new { reason = "会员来电" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var problem = Assert.Single((await noReason.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray());
        Assert.Equal(($"银行卡变更 {change}", "撤销须写明原因（200 字以内）"), (problem.GetProperty("field").GetString(), problem.GetProperty("message").GetString()));
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal((BankChangeState.Cancelled, "clerk", before), await StateAsync(change, member));
    }

    [Fact]
    public async Task OutsideTheClerksScope_OrNotAClerk_IsRefused_AndNothingChanges()
    {
        var (change, member) = await WaitingChangeAsync(inClerksDistrict: false, "6228480000000103");
        var (own, ownMember) = await WaitingChangeAsync(inClerksDistrict: true, "6228480000000104");
        using var clerk = await AsAsync("clerk");
        using var reviewer = await AsAsync("reviewer");
        using var unit = await AsAsync("unit");

        var outside = await clerk.PostAsync($"/api/v1/bank-changes/{change}/confirm", null, Ct);
        var outsideCancel = await clerk.PostAsJsonAsync($"/api/v1/bank-changes/{change}/cancel", new { reason = "会员来电" }, Ct);
        var outsideList = await clerk.GetAsync($"/api/v1/members/{member}/bank-changes", Ct);
        var notClerk = await reviewer.PostAsync($"/api/v1/bank-changes/{own}/confirm", null, Ct);
        var officer = await unit.PostAsJsonAsync($"/api/v1/bank-changes/{own}/cancel", new { reason = "会员来电" }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        Assert.Contains("不在您的范围内", await outside.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, outsideCancel.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, outsideList.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notClerk.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, officer.StatusCode);
        Assert.Equal((BankChangeState.Pending, (string?)null, "6228480000000103"), await StateAsync(change, member));
        Assert.Equal((BankChangeState.Pending, (string?)null, "6228480000000104"), await StateAsync(own, ownMember));
    }
}
