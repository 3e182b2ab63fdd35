using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MutualAid.Access;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Members;
using MutualAid.Tests.Data;

namespace MutualAid.Tests.Enrollment;

/// <summary>
/// Registration and password reset prove who the person is by an SMS code to the mobile number the
/// fund holds (issue #12, point 3): knowing someone's ID number and name is not enough.
/// </summary>
public sealed class RegistrationTests
{
    private const string Attacker = "13911112222";
    private static readonly string Retiree = TestIds.Person(81, new DateOnly(1958, 2, 3), Gender.Female);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static FakeTimeProvider Clock() => new(new DateTimeOffset(2024, 6, 10, 2, 0, 0, TimeSpan.Zero));

    private static Registration Newcomer(string? code = null, string phone = "13900000081") =>
        new(Retiree, "钱退休", phone, MemberType.Retired, "中国工商银行", "6222020000000081", code);

    private static Task<string> AskAsync(MutualAidDbContext db, TestSms sms, TimeProvider clock, CodeRequest request) =>
        new RequestCode(db, sms, clock).HandleAsync(request, TestActors.Tester, Ct);

    private static Task<User> RegisterAsync(MutualAidDbContext db, TimeProvider clock, Registration input) =>
        new SelfRegistration(db, UserAdmin.For(db), clock).RegisterAsync(input, "Retire2024", TestActors.Tester, Ct);

    private static Task ResetAsync(MutualAidDbContext db, TimeProvider clock, string idNumber, string? code, string password = "NewPass2026") =>
        new ResetPassword(db, UserAdmin.For(db), clock).HandleAsync(idNumber, code, password, TestActors.Tester, Ct);

    /// <summary>Unit A's workers from the roster, worker 1 without a mobile number on file.</summary>
    private static async Task<TestDatabase> WorkerWithoutPhoneAsync(string provider)
    {
        var database = await Seed.CityAsync(provider);
        await Seed.RosterAsync(database);
        await using var db = database.NewContext();
        await db.Members.Where(m => m.IdNumber == Seed.Worker(1)).ExecuteUpdateAsync(s => s.SetProperty(m => m.Phone, (string?)null), Ct);
        return database;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Register_KnowingOnlyTheIdNumberAndName_WithoutAMobileOnFile_IsSentToAServicePoint(string provider)
    {
        await using var database = await WorkerWithoutPhoneAsync(provider);
        await using var db = database.NewContext();
        var sms = new TestSms();
        var clock = Clock();

        var asked = await Assert.ThrowsAsync<InvalidInputException>(() => AskAsync(db, sms, clock, new CodeRequest(CodePurpose.Register, Seed.Worker(1), "职工1", Attacker)));
        var registered = await Assert.ThrowsAsync<InvalidInputException>(() =>
            RegisterAsync(db, clock, new Registration(Seed.Worker(1), "职工1", Attacker, MemberType.Retired, "中国银行", "6217000000009999", "123456")));

        Assert.Equal("手机号", asked.Problems.Single().Path);
        Assert.Contains("服务网点", asked.Problems.Single().Message);
        Assert.Equal("手机号", registered.Problems.Single().Path);
        Assert.Contains("服务网点", registered.Problems.Single().Message);
        Assert.Empty(sms.Sent);
        await using var check = database.NewContext();
        Assert.Empty(await check.Users.ToListAsync(Ct));
        var member = await check.Members.SingleAsync(m => m.IdNumber == Seed.Worker(1), Ct);
        Assert.Equal((null, null), (member.Phone, member.BankAccount));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Register_AMemberOnFile_GetsTheCodeOnTheNumberOnFile_NotTheOneTyped(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        await Seed.RosterAsync(database);
        await using var db = database.NewContext();
        var sms = new TestSms();
        var clock = Clock();

        var answer = await AskAsync(db, sms, clock, new CodeRequest(CodePurpose.Register, Seed.Worker(1), "职工1", Attacker));
        var wrongName = await Assert.ThrowsAsync<InvalidInputException>(() => AskAsync(db, sms, clock, new CodeRequest(CodePurpose.Register, Seed.Worker(2), "别人", Attacker)));
        var user = await RegisterAsync(db, clock, new Registration(Seed.Worker(1), "职工1", Attacker, MemberType.Retired, null, null, sms.CodeTo("13800000001")));

        Assert.Equal("验证码已发送到您登记的手机号，10 分钟内有效", answer);
        Assert.Equal("13800000001", sms.Sent.Single().Phone);
        Assert.Matches(@"^【职工互助保障】您的验证码为 \d{6}，用于自助注册，10 分钟内有效。", sms.Sent.Single().Text);
        Assert.Equal("姓名", wrongName.Problems.Single().Path);
        await using var check = database.NewContext();
        Assert.Equal("13800000001", (await check.Members.SingleAsync(m => m.Id == user.MemberId, Ct)).Phone);
        var code = await check.OneTimeCodes.SingleAsync(Ct);
        Assert.DoesNotContain(sms.CodeTo("13800000001"), code.Hash + code.Salt);
        Assert.NotNull(code.UsedAt);
        Assert.Equal(["获取验证码", "自助注册"], await check.AuditEntries.Where(a => a.User == "tester").OrderBy(a => a.Id).Select(a => a.Action).ToListAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Register_ANewcomer_GetsTheCodeOnTheirOwnPhone_AndKeepsThatNumber(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        await using var db = database.NewContext();
        var sms = new TestSms();
        var clock = Clock();

        var answer = await AskAsync(db, sms, clock, new CodeRequest(CodePurpose.Register, Retiree, "钱退休", "13900000081"));
        var code = sms.CodeTo("13900000081");
        var otherPhone = await Assert.ThrowsAsync<InvalidInputException>(() => RegisterAsync(db, clock, Newcomer(code, Attacker)));
        db.ChangeTracker.Clear();
        var user = await RegisterAsync(db, clock, Newcomer(code));

        Assert.Equal("验证码已发送到 13900000081，10 分钟内有效", answer);
        Assert.Equal("手机号", otherPhone.Problems.Single().Path);
        var member = await db.Members.AsNoTracking().SingleAsync(m => m.Id == user.MemberId, Ct);
        Assert.Equal(("13900000081", "6222020000000081"), (member.Phone, member.BankAccount));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Code_FiveWrongTries_BurnIt(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        await using var db = database.NewContext();
        var sms = new TestSms();
        var clock = Clock();
        await AskAsync(db, sms, clock, new CodeRequest(CodePurpose.Register, Retiree, "钱退休", "13900000081"));
        var right = sms.CodeTo("13900000081");
        var wrong = right == "000000" ? "111111" : "000000";

        var messages = new List<string>();
        for (var i = 0; i < 5; i++)
            messages.Add((await Assert.ThrowsAsync<InvalidInputException>(() => RegisterAsync(db, clock, Newcomer(wrong)))).Problems.Single().Message);
        var burnt = await Assert.ThrowsAsync<InvalidInputException>(() => RegisterAsync(db, clock, Newcomer(right)));

        Assert.Equal(["验证码不正确，还可再试 4 次", "验证码不正确，还可再试 3 次", "验证码不正确，还可再试 2 次", "验证码不正确，还可再试 1 次", "验证码不正确，错误次数过多，已作废，请重新获取"], messages);
        Assert.Equal(new Problem("验证码", "验证码错误次数过多，已作废，请重新获取"), burnt.Problems.Single());
        Assert.Empty(await db.Users.ToListAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Code_AfterTenMinutes_IsRefused(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        await using var db = database.NewContext();
        var sms = new TestSms();
        var clock = Clock();
        await AskAsync(db, sms, clock, new CodeRequest(CodePurpose.Register, Retiree, "钱退休", "13900000081"));

        clock.Advance(TimeSpan.FromMinutes(10));
        var expired = await Assert.ThrowsAsync<InvalidInputException>(() => RegisterAsync(db, clock, Newcomer(sms.CodeTo("13900000081"))));

        Assert.Equal(new Problem("验证码", "验证码已过期，请重新获取"), expired.Problems.Single());
        Assert.Empty(await db.Users.ToListAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Code_UsedOnce_IsRefusedTheSecondTime(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        await using var db = database.NewContext();
        var sms = new TestSms();
        var clock = Clock();
        await AskAsync(db, sms, clock, new CodeRequest(CodePurpose.Register, Retiree, "钱退休", "13900000081"));
        var code = sms.CodeTo("13900000081");
        await RegisterAsync(db, clock, Newcomer(code));
        db.ChangeTracker.Clear();

        var again = await Assert.ThrowsAsync<InvalidInputException>(() => RegisterAsync(db, clock, Newcomer(code)));

        Assert.Equal(new Problem("验证码", "验证码已使用，请重新获取"), again.Problems.Single());
        Assert.Single(await db.Users.ToListAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Code_UsedTwiceAtTheSameMoment_TakesEffectOnce(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        var clock = Clock();
        await using (var db = database.NewContext())
            await TestSms.RegisterAsync(db, Newcomer(), "Retire2024", clock, Ct);
        clock.Advance(TimeSpan.FromMinutes(1));
        var sms = new TestSms();
        await using (var db = database.NewContext())
            await AskAsync(db, sms, clock, new CodeRequest(CodePurpose.ResetPassword, Retiree));
        var code = sms.CodeTo("13900000081");

        async Task<bool> ResetOnceAsync(string password)
        {
            await using var db = database.NewContext();
            try
            {
                await ResetAsync(db, clock, Retiree, code, password);
                return true;
            }
            catch (InvalidInputException e) when (e.Problems.Single().Path == "验证码")
            {
                return false;
            }
        }
        var outcomes = await Task.WhenAll(ResetOnceAsync("FirstPass2026"), ResetOnceAsync("OtherPass2026"));

        Assert.Single(outcomes, ok => ok);
        await using var check = database.NewContext();
        Assert.Single(await check.AuditEntries.Where(a => a.Action == "重置密码").ToListAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ResetPassword_WithTheCodeToTheNumberOnFile_SetsItEndsSessionsAndIsAudited(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        await using var db = database.NewContext();
        var clock = Clock();
        var user = await TestSms.RegisterAsync(db, Newcomer(), "Retire2024", clock, Ct);
        var stamp = user.SecurityStamp;
        clock.Advance(TimeSpan.FromMinutes(1));
        var sms = new TestSms();
        var unknown = TestIds.Person(82, new DateOnly(1957, 1, 1), Gender.Male);

        var answer = await AskAsync(db, sms, clock, new CodeRequest(CodePurpose.ResetPassword, Retiree));
        var answerUnknown = await AskAsync(db, sms, clock, new CodeRequest(CodePurpose.ResetPassword, unknown));
        var wrong = await Assert.ThrowsAsync<InvalidInputException>(() => ResetAsync(db, clock, Retiree, sms.CodeTo("13900000081") == "000000" ? "111111" : "000000"));
        var wrongUnknown = await Assert.ThrowsAsync<InvalidInputException>(() => ResetAsync(db, clock, unknown, "000000"));
        var weak = await Assert.ThrowsAsync<InvalidInputException>(() => ResetAsync(db, clock, Retiree, sms.CodeTo("13900000081"), "short"));
        db.ChangeTracker.Clear();
        await ResetAsync(db, clock, Retiree, sms.CodeTo("13900000081"));

        Assert.Equal(RequestCode.ResetAnswer, answer);
        Assert.Equal(answer, answerUnknown);
        Assert.Equal("13900000081", sms.Sent.Single().Phone);
        Assert.Contains("用于找回密码", sms.Sent.Single().Text);
        Assert.Equal(wrong.Problems, wrongUnknown.Problems);
        Assert.Equal("密码", weak.Problems[0].Path);
        await using var check = database.NewContext();
        var stored = await check.Users.SingleAsync(u => u.Id == user.Id, Ct);
        Assert.Equal(PasswordVerificationResult.Success, new PasswordHasher<User>().VerifyHashedPassword(stored, stored.PasswordHash!, "NewPass2026"));
        Assert.NotEqual(stamp, stored.SecurityStamp);
        var audit = await check.AuditEntries.SingleAsync(a => a.Action == "重置密码", Ct);
        Assert.Equal(($"用户 {Retiree}", "tester", $"会员 {user.MemberId}，短信验证码发到 139****0081"), (audit.Subject, audit.User, audit.Detail));
        Assert.Equal(["找回密码：已发送到 139****0081", "找回密码：未发送（无账号、无手机号或发送过于频繁）"],
            await check.AuditEntries.Where(a => a.Action == "获取验证码" && a.Detail!.StartsWith("找回密码")).OrderBy(a => a.Id).Select(a => a.Detail).ToListAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RecordVerifiedPhone_ByAClerkOfTheDistrict_LetsTheMemberRegister(string provider)
    {
        await using var database = await WorkerWithoutPhoneAsync(provider);
        await using var db = database.NewContext();
        var clock = Clock();
        var member = await db.Members.SingleAsync(m => m.IdNumber == Seed.Worker(1), Ct);
        var district = await db.Districts.Select(d => d.Id).SingleAsync(Ct);
        var clerk = new UserScope(1, "clerk1", "海曙区经办", new HashSet<string> { Roles.Clerk }, district, null, null);
        var otherClerk = clerk with { DistrictId = district + 1 };
        var reviewer = clerk with { Roles = new HashSet<string> { Roles.Reviewer } };
        var record = new RecordVerifiedPhone(db, clock);

        var outOfScope = await Assert.ThrowsAsync<InvalidInputException>(() => record.HandleAsync(otherClerk, member.Id, "13900001111", "本人持身份证原件到网点办理", TestActors.As("clerk2"), Ct));
        var notAClerk = await Assert.ThrowsAsync<InvalidInputException>(() => record.HandleAsync(reviewer, member.Id, "13900001111", "本人持身份证原件到网点办理", TestActors.As("reviewer"), Ct));
        var noReason = await Assert.ThrowsAsync<InvalidInputException>(() => record.HandleAsync(clerk, member.Id, "1390000111", " ", TestActors.As("clerk1"), Ct));
        var change = await record.HandleAsync(clerk, member.Id, "13900001111", "本人持身份证原件到网点办理", TestActors.As("clerk1"), Ct);
        var sms = new TestSms();
        await AskAsync(db, sms, clock, new CodeRequest(CodePurpose.Register, Seed.Worker(1), "职工1"));
        var user = await RegisterAsync(db, clock, new Registration(Seed.Worker(1), "职工1", null, MemberType.Retired, null, null, sms.CodeTo("13900001111")));

        Assert.Equal("会员", outOfScope.Problems.Single().Path);
        Assert.Equal("经办", notAClerk.Problems.Single().Path);
        Assert.Equal(["手机号", "核验说明"], noReason.Problems.Select(p => p.Path));
        Assert.Equal("未登记 → 139****1111", change);
        Assert.Equal(member.Id, user.MemberId);
        await using var check = database.NewContext();
        var audit = await check.AuditEntries.SingleAsync(a => a.Action == "核验身份登记手机号", Ct);
        Assert.Equal(("clerk1", $"会员 {member.Id}", "未登记 → 139****1111；本人持身份证原件到网点办理"), (audit.User, audit.Subject, audit.Detail));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RequestCode_OneAMinuteAndTenADayToAPhone(string provider)
    {
        await using var database = await Seed.CityAsync(provider);
        var sms = new TestSms();
        var clock = Clock();
        var request = new CodeRequest(CodePurpose.Register, Retiree, "钱退休", "13900000081");

        async Task<bool> AskOnceAsync()
        {
            await using var db = database.NewContext();
            try
            {
                await AskAsync(db, sms, clock, request);
                return true;
            }
            catch (InvalidInputException e) when (e.Problems.Single().Path == "验证码")
            {
                return false;
            }
        }
        var atOnce = await Task.WhenAll(AskOnceAsync(), AskOnceAsync());
        await using var db = database.NewContext();
        clock.Advance(TimeSpan.FromSeconds(30));
        var soon = await Assert.ThrowsAsync<InvalidInputException>(() => AskAsync(db, sms, clock, request));
        for (var i = 0; i < 9; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(61));
            await AskAsync(db, sms, clock, request);
        }
        clock.Advance(TimeSpan.FromSeconds(61));
        var capped = await Assert.ThrowsAsync<InvalidInputException>(() => AskAsync(db, sms, clock, request));

        Assert.Single(atOnce, ok => ok);
        Assert.Equal(new Problem("验证码", "请 30 秒后再获取验证码"), soon.Problems.Single());
        Assert.Contains("24 小时内已获取 10 次", capped.Problems.Single().Message);
        Assert.Equal(10, sms.Sent.Count);
    }
}
