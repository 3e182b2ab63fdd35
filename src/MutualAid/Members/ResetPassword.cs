using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Members;

/// <summary>
/// 找回密码: a member sets a new password with the SMS code sent to the mobile number on file. Every
/// refusal of the code reads the same, so that an ID number without an account cannot be told apart.
/// The new password changes the account's security stamp, so sessions signed in before end at their
/// next check; a locked-out account is unlocked. Audited with the change.
/// </summary>
public sealed class ResetPassword(MutualAidDbContext db, UserAdmin users, TimeProvider clock)
{
    public async Task HandleAsync(string idNumber, string? code, string password, Actor actor, CancellationToken cancellationToken)
    {
        idNumber = idNumber.Trim().ToUpperInvariant();
        var now = clock.Now();
        OneTimeCode used;
        try
        {
            used = await OneTimeCode.TryAsync(db, CodePurpose.ResetPassword, idNumber, code, now, cancellationToken);
        }
        catch (InvalidInputException) when (!string.IsNullOrWhiteSpace(code))
        {
            throw new InvalidInputException(OneTimeCode.Field, "验证码不正确或已失效，请重新获取");
        }
        var account = await AccountOf(db, idNumber).SingleOrDefaultAsync(cancellationToken);
        if (account?.Phone != used.Phone)
            throw new InvalidInputException(OneTimeCode.Field, "验证码不正确或已失效，请重新获取");

        // The try above counts even when the rest fails; the rest is one unit, run again whole after a transient fault.
        await db.InTransactionAsync(async ct =>
        {
            await OneTimeCode.UseAsync(db, used, now, ct);
            await users.SetPasswordAsync(account!.UserName, password, ct);
            db.Audit(actor, now, "重置密码", $"用户 {account.UserName}", $"会员 {account.MemberId}，短信验证码发到 {Masks.Phone(used.Phone)}");
            await db.SaveChangesAsync(ct);
        }, cancellationToken);
    }

    /// <summary>The member account of an ID number (its user name is the ID number when self-registered, any name when made by the administrator).</summary>
    internal static IQueryable<UserOfMember> AccountOf(MutualAidDbContext db, string idNumber) =>
        db.Members.Where(m => m.IdNumber == idNumber).Join(db.Users, m => (long?)m.Id, u => u.MemberId, (m, u) => new UserOfMember { UserName = u.UserName!, MemberId = m.Id, Phone = m.Phone });

    internal sealed record UserOfMember
    {
        public required string UserName { get; init; }

        public required long MemberId { get; init; }

        public required string? Phone { get; init; }
    }
}
