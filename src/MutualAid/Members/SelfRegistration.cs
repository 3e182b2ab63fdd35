using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Members;

/// <summary>Someone opening their own account: who they are, how to reach them, where to pay them.</summary>
public sealed record Registration(string IdNumber, string Name, string Phone, MemberType Type, string? BankName, string? BankAccount);

/// <summary>
/// 自助注册: a retiree or a new-form worker (delivery rider, driver…) opens an account to enrol
/// and pay themselves; a worker their unit has enrolled opens one to follow their claims. The
/// user name is the ID number. A member already on file keeps their type and unit, and must give
/// the mobile number on file, so that knowing someone's ID number and name is not enough to read
/// their record.
/// </summary>
public sealed class SelfRegistration(MutualAidDbContext db, UserAdmin users, TimeProvider clock)
{
    public static readonly IReadOnlyList<MemberType> Types = [MemberType.Retired, MemberType.Flexible];

    /// <summary>Opens the account; <paramref name="from"/> is the person's address, for the audit line saved with it.</summary>
    public async Task<User> RegisterAsync(Registration input, string password, string? from, CancellationToken cancellationToken)
    {
        var idNumber = input.IdNumber.Trim().ToUpperInvariant();
        var phone = input.Phone.Trim();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var known = await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.IdNumber == idNumber, cancellationToken);
        if (known is null && !Types.Contains(input.Type))
            throw new InvalidInputException([new Problem("人员类别", "自助注册限退休人员和新就业形态劳动者；在职职工由所在单位参保")]);
        if (phone.Length == 0)
            throw new InvalidInputException([new Problem("手机号", "不能为空：参保、理赔的短信发到这个号码")]);
        if (known?.Phone is { } onFile && onFile != phone)
            throw new InvalidInputException([new Problem("手机号", "与登记的手机号不一致；请到服务网点核实身份后开通")]);
        // A member on file who gives a card changes theirs: recorded, told to the mobile on file, and paid once in effect.
        var newCard = known is not null && input.BankAccount is not null && (input.BankAccount != known.BankAccount || input.BankName != known.BankName);
        var member = await new RegisterMember(db).HandleAsync(new MemberInput(idNumber, input.Name, known?.Type ?? input.Type, phone, null,
            known is null ? input.BankName : null, known is null ? input.BankAccount : null, known?.Hardship ?? false, known?.ModelWorker ?? false), cancellationToken);
        var user = await users.AddAsync(new UserInput(idNumber, member.Name, Roles.Member, null, null, idNumber), password, cancellationToken);
        var actor = new Actor(user.UserName!, Origin.Web, from);
        var now = clock.Now();
        if (newCard)
        {
            if (!Member.IsBankAccount(input.BankAccount))
                throw new InvalidInputException("银行账号", $"“{input.BankAccount}”应为 8–30 位数字");
            await ChangeBankAccount.RecordAsync(db, member, known!.Phone, input.BankName, input.BankAccount!, BankChangeSource.Member, "自助注册时填写",
                actor, now, await ChangeBankAccount.WaitDaysAsync(db, cancellationToken), cancellationToken);
        }
        db.Audit(actor, now, "自助注册", $"会员 {member.Id}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return user;
    }
}
