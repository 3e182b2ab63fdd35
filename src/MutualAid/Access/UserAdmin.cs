using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MutualAid.Benefits;
using MutualAid.Data;

namespace MutualAid.Access;

/// <summary>A user to create: a role and, for it, where they work (a district's code, a unit's credit code, a member's ID number).</summary>
public sealed record UserInput(string UserName, string DisplayName, string Role, string? District, string? Unit, string? Member);

public sealed record UserRow(long Id, string UserName, string DisplayName, string Roles, string Scope, bool Disabled);

/// <summary>
/// Accounts and their scope (用户管理), for the CLI and the administrator's page. A role says
/// what a user may do, the scope where: a clerk, reviewer or finance officer works for the whole
/// city or one district, a unit officer for one unit, a member for themselves.
/// </summary>
public sealed class UserAdmin(MutualAidDbContext db, UserManager<User> users)
{
    /// <summary>The password and lockout rules, the same for the web app and the CLI.</summary>
    public static void Configure(IdentityOptions options)
    {
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        options.Password.RequiredLength = 8;
        options.Password.RequireNonAlphanumeric = false;
        options.User.RequireUniqueEmail = false;
    }

    /// <summary>An administrator over <paramref name="db"/> without a web host (the CLI, tests).</summary>
    public static UserAdmin For(MutualAidDbContext db)
    {
        var options = new IdentityOptions();
        Configure(options);
        var errors = new ChineseIdentityErrors();
        var users = new UserManager<User>(new UserStore<User, IdentityRole<long>, MutualAidDbContext, long>(db), Options.Create(options),
            new PasswordHasher<User>(), [new UserValidator<User>(errors)], [new PasswordValidator<User>(errors)],
            new UpperInvariantLookupNormalizer(), errors, null!, NullLogger<UserManager<User>>.Instance);
        return new UserAdmin(db, users);
    }

    /// <summary>A first password to hand over: 12 letters and digits without look-alikes, with an upper, a lower and a digit.</summary>
    public static string NewPassword()
    {
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", lower = "abcdefghijkmnpqrstuvwxyz", digits = "23456789";
        char[] chars = [.. RandomNumberGenerator.GetItems<char>(upper + lower + digits, 9),
            .. RandomNumberGenerator.GetItems<char>(upper, 1), .. RandomNumberGenerator.GetItems<char>(lower, 1), .. RandomNumberGenerator.GetItems<char>(digits, 1)];
        RandomNumberGenerator.Shuffle<char>(chars);
        return new string(chars);
    }

    /// <summary>Inside the caller's unit when there is one (a member registering themselves).</summary>
    /// <param name="office">For an office user, their office; a region's users belong to the region's office (<see cref="Organisation.RegionDirectory"/>).</param>
    public Task<User> AddAsync(UserInput input, string password, CancellationToken cancellationToken, string? office = null) =>
        db.InTransactionAsync(ct => AddAttemptAsync(input, password, office, ct), cancellationToken);

    private async Task<User> AddAttemptAsync(UserInput input, string password, string? office, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        if (!Roles.Names.ContainsKey(input.Role))
            problems.Add(new Problem("角色", $"“{input.Role}”应为 {string.Join("、", Roles.Names.Select(r => $"{r.Key}（{r.Value}）"))} 之一"));
        if (string.IsNullOrWhiteSpace(input.DisplayName))
            problems.Add(new Problem("姓名", "不能为空"));
        var user = new User { UserName = input.UserName.Trim(), DisplayName = input.DisplayName.Trim() };
        await ScopeAsync(user, input, problems, cancellationToken);
        if (problems.Count > 0)
            throw new InvalidInputException(problems);

        if (!await db.Roles.AnyAsync(r => r.Name == input.Role, cancellationToken))
        {
            db.Roles.Add(new IdentityRole<long>(input.Role) { NormalizedName = input.Role.ToUpperInvariant(), ConcurrencyStamp = Guid.NewGuid().ToString() });
            await db.SaveChangesAsync(cancellationToken);
        }
        await Organisation.RegionDirectory.ClaimLoginAsync(db, user.UserName, office, cancellationToken);
        Check(await users.CreateAsync(user, password), $"用户 {input.UserName}");
        Check(await users.AddToRoleAsync(user, input.Role), $"用户 {input.UserName}");
        return user;
    }

    public async Task<List<UserRow>> ListAsync(CancellationToken cancellationToken)
    {
        var roles = await db.UserRoles.Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        var districts = await db.Districts.ToDictionaryAsync(d => d.Id, d => d.Name, cancellationToken);
        var units = await db.Units.Where(u => db.Users.Any(x => x.UnitId == u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        var members = await db.Members.Where(m => db.Users.Any(x => x.MemberId == m.Id)).ToDictionaryAsync(m => m.Id, m => m.Name, cancellationToken);
        return [.. (await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken)).Select(u => new UserRow(u.Id, u.UserName ?? "", u.DisplayName,
            string.Join("、", roles.Where(r => r.UserId == u.Id).Select(r => Roles.Names.GetValueOrDefault(r.Name ?? "", r.Name ?? ""))),
            u.MemberId is { } m ? $"会员 {members[m]}" : u.UnitId is { } unit ? units[unit] : u.DistrictId is { } d ? districts[d] : "全市",
            IsDisabled(u)))];
    }

    /// <summary>Disabled rather than locked out for a while: locked out until the end of time.</summary>
    public static bool IsDisabled(User user) => user.LockoutEnd is { } end && end > DateTimeOffset.UtcNow.AddYears(10);

    /// <summary>Sets a new password (a forgotten one, or the first one handed over); unlocks a locked-out account.</summary>
    public async Task SetPasswordAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var user = await FindAsync(userName, cancellationToken);
        // Checked first, so a refused password leaves the old one in place.
        foreach (var validator in users.PasswordValidators)
            Check(await validator.ValidateAsync(users, user, password), "密码");
        Check(await users.RemovePasswordAsync(user), $"用户 {userName}");
        Check(await users.AddPasswordAsync(user, password), $"用户 {userName}");
        Check(await users.SetLockoutEndDateAsync(user, null), $"用户 {userName}");
        Check(await users.ResetAccessFailedCountAsync(user), $"用户 {userName}");
    }

    /// <summary>Disables (stops every sign-in, kept for the audit trail) or enables an account.</summary>
    public async Task SetDisabledAsync(string userName, bool disabled, CancellationToken cancellationToken)
    {
        var user = await FindAsync(userName, cancellationToken);
        Check(await users.SetLockoutEnabledAsync(user, true), $"用户 {userName}");
        Check(await users.SetLockoutEndDateAsync(user, disabled ? DateTimeOffset.MaxValue : null), $"用户 {userName}");
        // Signed-in sessions and bearer tokens end at their next check of the security stamp.
        Check(await users.UpdateSecurityStampAsync(user), $"用户 {userName}");
    }

    private async Task<User> FindAsync(string userName, CancellationToken cancellationToken) =>
        await users.FindByNameAsync(userName.Trim()) ?? throw new InvalidInputException([new Problem("用户", $"没有用户名为 {userName} 的用户")]);

    private async Task ScopeAsync(User user, UserInput input, List<Problem> problems, CancellationToken cancellationToken)
    {
        void Refuse(string field, string message) => problems.Add(new Problem(field, message));
        if (!Roles.Names.ContainsKey(input.Role))
            return;
        var needs = input.Role switch
        {
            Roles.UnitOfficer => "单位",
            Roles.Member => "会员",
            _ => null,
        };
        if (needs != "单位" && input.Unit is not null)
            Refuse("单位", $"{Roles.Names.GetValueOrDefault(input.Role, input.Role)}不属于某个单位");
        if (needs != "会员" && input.Member is not null)
            Refuse("会员", $"{Roles.Names.GetValueOrDefault(input.Role, input.Role)}不对应某个会员");
        if (needs is not null && input.District is not null || input.Role == Roles.Admin && input.District is not null)
            Refuse("区县", $"{Roles.Names.GetValueOrDefault(input.Role, input.Role)}不按区县划分");
        if (input.District is { } district)
        {
            user.DistrictId = await db.Districts.Where(d => d.Code == district).Select(d => (long?)d.Id).SingleOrDefaultAsync(cancellationToken);
            if (user.DistrictId is null)
                Refuse("区县", $"没有代码为 {district} 的区县");
        }
        if (needs == "单位")
        {
            user.UnitId = input.Unit is null ? null : await db.Units.Where(u => u.Code == input.Unit).Select(u => (long?)u.Id).SingleOrDefaultAsync(cancellationToken);
            if (user.UnitId is null)
                Refuse("单位", input.Unit is null ? "单位经办须指定单位（统一社会信用代码）" : $"没有统一社会信用代码为 {input.Unit} 的单位");
        }
        if (needs == "会员")
        {
            var idNumber = input.Member?.Trim().ToUpperInvariant();
            user.MemberId = idNumber is null ? null : await db.Members.Where(m => m.IdNumber == idNumber).Select(m => (long?)m.Id).SingleOrDefaultAsync(cancellationToken);
            if (user.MemberId is null)
                Refuse("会员", idNumber is null ? "会员账号须指定会员（身份证号）" : $"没有身份证号为 {idNumber} 的会员");
            else if (await db.Users.AnyAsync(u => u.MemberId == user.MemberId, cancellationToken))
                Refuse("会员", $"身份证号为 {idNumber} 的会员已有账号");
        }
    }

    private static void Check(IdentityResult result, string subject)
    {
        if (!result.Succeeded)
            throw new InvalidInputException([.. result.Errors.Select(e => new Problem(subject, e.Description))]);
    }
}

/// <summary>Identity's messages in Chinese, for the rules this system uses.</summary>
public sealed class ChineseIdentityErrors : IdentityErrorDescriber
{
    public override IdentityError DuplicateUserName(string userName) => new() { Code = nameof(DuplicateUserName), Description = $"用户名 {userName} 已被使用" };

    public override IdentityError InvalidUserName(string? userName) => new() { Code = nameof(InvalidUserName), Description = $"用户名“{userName}”只能由字母、数字和 -._@+ 组成" };

    public override IdentityError PasswordTooShort(int length) => new() { Code = nameof(PasswordTooShort), Description = $"密码至少 {length} 位" };

    public override IdentityError PasswordRequiresDigit() => new() { Code = nameof(PasswordRequiresDigit), Description = "密码须含数字" };

    public override IdentityError PasswordRequiresLower() => new() { Code = nameof(PasswordRequiresLower), Description = "密码须含小写字母" };

    public override IdentityError PasswordRequiresUpper() => new() { Code = nameof(PasswordRequiresUpper), Description = "密码须含大写字母" };
}
