using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MutualAid.Data;

namespace MutualAid.Tests.Web;

/// <summary>
/// No role changes a member outside its scope through a form: every form of the member page (as a
/// clerk sees it, filled as a clerk would fill it) is posted at a member the user may not touch,
/// by each role, and the member, their history and the audit log stay as they were. A form added
/// to the page later is posted too. The imports' scope is proven by <c>RosterScopeTests</c>; the
/// API changes no member but by the member's own claims.
/// </summary>
public sealed partial class ScopeTests(DemoServer demo) : IClassFixture<DemoServer>
{
    private readonly WebServer _server = demo.Server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MutualAidDbContext Db() => demo.Db();

    [Fact]
    public async Task EveryFormOfTheMemberPage_PostedAtAMemberOutsideTheScope_ChangesNothing()
    {
        long ownMember, otherDistrict, otherUnit, someoneElse;
        string unitCode;
        await using (var db = Db())
        {
            var clerk = await db.Users.SingleAsync(u => u.UserName == "clerk", Ct);
            var officer = await db.Users.SingleAsync(u => u.UserName == "unit", Ct);
            var member = await db.Users.SingleAsync(u => u.UserName == "member", Ct);
            var inDistrict = db.Units.Where(u => u.DistrictId == clerk.DistrictId).Select(u => (long?)u.Id);
            ownMember = await db.Members.Where(m => inDistrict.Contains(m.UnitId) && m.UnitId != officer.UnitId).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(Ct);
            otherDistrict = await db.Members.Where(m => m.UnitId != null && !inDistrict.Contains(m.UnitId)).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(Ct);
            otherUnit = await db.Members.Where(m => m.UnitId != officer.UnitId && m.Id != member.MemberId).OrderByDescending(m => m.Id).Select(m => m.Id).FirstAsync(Ct);
            someoneElse = await db.Members.Where(m => m.Id != member.MemberId).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(Ct);
            unitCode = await db.Units.Where(u => u.DistrictId == clerk.DistrictId).OrderByDescending(u => u.Id).Select(u => u.Code).FirstAsync(Ct);
        }
        using var clerkBrowser = await PlainBrowser.SignInAsync(_server.Url, "clerk");
        var forms = Forms(await (await clerkBrowser.GetAsync($"/members/{ownMember}")).Content.ReadAsStringAsync(Ct));
        Assert.True(forms.Count >= 3, $"the clerk's member page has {forms.Count} forms");

        var attempts = new (string User, long Member)[] { ("clerk", otherDistrict), ("unit", otherUnit), ("member", someoneElse), ("reviewer", otherUnit), ("admin", otherUnit) };
        foreach (var (user, target) in attempts)
        {
            var before = await SnapshotAsync(target);
            using var browser = user == "clerk" ? null : await PlainBrowser.SignInAsync(_server.Url, user);
            var poster = browser ?? clerkBrowser;
            // The user's own antiforgery token, from a page they may open.
            var theirs = Token().Match(await (await poster.GetAsync("/")).Content.ReadAsStringAsync(Ct)).Groups[1].Value;
            foreach (var form in forms)
            {
                using var response = await poster.PostAsync($"/members/{target}", Filled(form, theirs, unitCode));
                Assert.True((int)response.StatusCode < 500, $"{user} posting {form.First(f => f.Key == "_handler").Value}: {(int)response.StatusCode}");
            }
            Assert.Equal(before, await SnapshotAsync(target));
        }

        // The same posts reach the page: the bank-card form, posted at the clerk's own member, changes them.
        var own = await SnapshotAsync(ownMember);
        var token = Token().Match(await (await clerkBrowser.GetAsync("/")).Content.ReadAsStringAsync(Ct)).Groups[1].Value;
        var card = forms.Single(f => f.Any(i => i.Key == "_handler" && i.Value == "card"));
        using var changed = await clerkBrowser.PostAsync($"/members/{ownMember}", Filled(card, token, unitCode));
        Assert.NotEqual(own, await SnapshotAsync(ownMember));
    }

    /// <summary>The member as stored, their transfers, and every audit line of a change to them (a look is no change).</summary>
    private async Task<string> SnapshotAsync(long member)
    {
        await using var db = Db();
        var m = await db.Members.AsNoTracking().SingleAsync(x => x.Id == member, Ct);
        var transfers = await db.MemberTransfers.CountAsync(t => t.MemberId == member, Ct);
        var audit = await db.AuditEntries.CountAsync(a => a.Subject == $"会员 {member}" && a.Action != "查看会员完整资料", Ct);
        return $"{m.UnitId}|{m.Type}|{m.Phone}|{m.BankName}|{m.BankAccount}|{transfers}|{audit}";
    }

    /// <summary>The form as a clerk would fill it, with the poster's own antiforgery token.</summary>
    private static FormUrlEncodedContent Filled(List<KeyValuePair<string, string>> form, string token, string unitCode) =>
        new(form.Select(f => new KeyValuePair<string, string>(f.Key, f.Key == "__RequestVerificationToken" ? WebUtility.HtmlDecode(token) : Fill(f.Key, f.Value, unitCode))));

    /// <summary>What a clerk would type: a bank account, a mobile number, a unit of the district, a reason.</summary>
    private static string Fill(string name, string value, string unitCode) =>
        name.Contains("Account", StringComparison.Ordinal) ? "6222020000000009999"
        : name.Contains("Phone", StringComparison.Ordinal) ? "13912345678"
        : name.Contains("Unit", StringComparison.Ordinal) ? unitCode
        : name.Contains("Bank", StringComparison.Ordinal) ? "中国建设银行"
        : name.StartsWith('_') ? value
        : "核验无误";

    private static List<List<KeyValuePair<string, string>>> Forms(string page) =>
        [.. FormElement().Matches(page).Select(f => InputElement().Matches(f.Groups[1].Value)
            .Select(i => new KeyValuePair<string, string>(i.Groups[1].Value, WebUtility.HtmlDecode(i.Groups[2].Value))).ToList())
            .Where(f => f.Any(i => i.Key == "_handler") && !f.Any(i => i.Key == "_handler" && i.Value == "logout"))];

    [GeneratedRegex("<form[^>]*method=\"post\"[^>]*>(.*?)</form>", RegexOptions.Singleline)]
    private static partial Regex FormElement();

    [GeneratedRegex("<input[^>]*name=\"([^\"]+)\"(?:[^>]*value=\"([^\"]*)\")?")]
    private static partial Regex InputElement();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
