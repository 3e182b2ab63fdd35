using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Members;

/// <summary>
/// Someone opening their own account: who they are, where to pay them, and the SMS code that proves
/// they hold the phone (<see cref="RequestCode"/>). <see cref="Phone"/> counts only for a newcomer
/// not on file, and must be the number the code went to.
/// </summary>
public sealed record Registration(string IdNumber, string Name, string? Phone, MemberType Type, string? BankName, string? BankAccount, string? Code);

/// <summary>
/// 自助注册: a retiree or a new-form worker (delivery rider, driver…) opens an account to enrol
/// and pay themselves; a worker their unit has enrolled opens one to follow their claims. The
/// user name is the ID number. It takes the SMS code sent for the ID number: a member on file
/// received it on the mobile number the fund holds, so knowing someone's ID number and name is not
/// enough to open their account (and then change where their money goes). A member already on file
/// keeps their type and unit.
/// </summary>
public sealed class SelfRegistration(MutualAidDbContext db, UserAdmin users, TimeProvider clock)
{
    public static readonly IReadOnlyList<MemberType> Types = [MemberType.Retired, MemberType.Flexible];

    public async Task<User> RegisterAsync(Registration input, string password, Actor actor, CancellationToken cancellationToken)
    {
        var idNumber = input.IdNumber.Trim().ToUpperInvariant();
        var known = await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.IdNumber == idNumber, cancellationToken);
        if (known is null && !Types.Contains(input.Type))
            throw new InvalidInputException("人员类别", "自助注册限退休人员和新就业形态劳动者；在职职工由所在单位参保");
        if (known is { Phone: null })
            throw new InvalidInputException("手机号", "系统中没有您的手机号：请携带身份证到服务网点，经办人员核验身份并登记手机号后再注册");
        var now = clock.Now();
        var code = await OneTimeCode.TryAsync(db, CodePurpose.Register, idNumber, input.Code, now, cancellationToken);
        if (known is not null && code.Phone != known.Phone)
            throw new InvalidInputException(OneTimeCode.Field, "登记的手机号已变更，请重新获取验证码");
        if (known is null && input.Phone?.Trim() is { Length: > 0 } typed && typed != code.Phone)
            throw new InvalidInputException("手机号", $"与接收验证码的手机号 {code.Phone} 不一致");
        // A member on file who gives a card changes theirs: recorded, told to the mobile on file, and paid once in effect.
        var newCard = known is not null && input.BankAccount is not null && (input.BankAccount != known.BankAccount || input.BankName != known.BankName);
        if (newCard && !Member.IsBankAccount(input.BankAccount))
            throw new InvalidInputException("银行账号", $"“{input.BankAccount}”应为 8–30 位数字");

        // The code's try above counts even when the rest fails; the rest is one unit, run again whole after a transient fault.
        return await db.InTransactionAsync(async ct =>
        {
            await OneTimeCode.UseAsync(db, code, now, ct);
            var member = await new RegisterMember(db).HandleAsync(new MemberInput(idNumber, input.Name, known?.Type ?? input.Type, code.Phone, null,
                known is null ? input.BankName : null, known is null ? input.BankAccount : null, known?.Hardship ?? false, known?.ModelWorker ?? false), ct);
            var user = await users.AddAsync(new UserInput(idNumber, member.Name, Roles.Member, null, null, idNumber), password, ct);
            if (newCard)
            {
                await ChangeBankAccount.RecordAsync(db, member, known!.Phone, input.BankName, input.BankAccount!, BankChangeSource.Member, "自助注册时填写",
                    actor, now, await ChangeBankAccount.WaitDaysAsync(db, ct), ct);
            }
            db.Audit(actor, now, "自助注册", $"会员 {member.Id}", $"用户 {user.UserName}，验证码发到 {Masks.Phone(code.Phone)}");
            await db.SaveChangesAsync(ct);
            return user;
        }, cancellationToken);
    }
}
