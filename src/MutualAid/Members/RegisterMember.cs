using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Members;

public sealed record MemberInput(string IdNumber, string Name, MemberType Type, string? Phone, string? UnitCode, string? BankName, string? BankAccount, bool Hardship, bool ModelWorker);

/// <summary>
/// Registers one person (a retiree or a delivery rider enrolling themselves), or updates their
/// details; a member on file changes unit only by <see cref="TransferMember"/> and bank card only
/// through <see cref="ChangeBankAccount"/>.
/// </summary>
public sealed class RegisterMember(MutualAidDbContext db)
{
    public async Task<Member> HandleAsync(MemberInput input, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        if (!Common.IdNumber.TryParse(input.IdNumber, out var id, out var idError))
            problems.Add(new Problem("身份证号", $"“{input.IdNumber}”：{idError}"));
        if (string.IsNullOrWhiteSpace(input.Name))
            problems.Add(new Problem("姓名", "不能为空"));
        if (input.Phone is { } phone && !Member.IsMobile(phone))
            problems.Add(new Problem("手机号", $"“{phone}”应为 11 位手机号码"));
        if (input.BankAccount is { } account && !Member.IsBankAccount(account))
            problems.Add(new Problem("银行账号", $"“{account}”应为 8–30 位数字"));
        long? unitId = null;
        if (input.UnitCode is { } code)
        {
            unitId = await db.Units.Where(u => u.Code == code).Select(u => (long?)u.Id).SingleOrDefaultAsync(cancellationToken);
            if (unitId is null)
                problems.Add(new Problem("单位", $"没有统一社会信用代码为 {code} 的单位"));
        }
        if (problems.Count > 0)
            throw new InvalidInputException(problems);

        var member = await db.Members.SingleOrDefaultAsync(m => m.IdNumber == id!.Value, cancellationToken);
        if (member is null)
        {
            member = new Member(id!, input.Name, input.Type, unitId);
            db.Members.Add(member);
        }
        else if (member.Name != input.Name.Trim())
        {
            throw new InvalidInputException([new Problem("姓名", $"“{input.Name}”与已登记的姓名“{member.Name}”不一致")]);
        }
        else if (unitId is not null && member.UnitId != unitId)
        {
            throw new InvalidInputException([new Problem("单位", $"{member.Name} 已登记在另一单位（或个人参保）：转移单位须经办办理（会员页“转移单位”或 mutualaid member transfer）")]);
        }
        else if ((input.BankAccount is not null && input.BankAccount != member.BankAccount) || (input.BankName is not null && input.BankName != member.BankName))
        {
            throw new InvalidInputException([new Problem("银行账号", $"会员 {member.Name} 已登记，更换银行卡须办理银行卡变更（经办复核或等待期满后生效）")]);
        }
        member.Type = input.Type;
        member.UnitId = unitId ?? member.UnitId;
        member.Phone = input.Phone ?? member.Phone;
        member.BankName = input.BankName ?? member.BankName;
        member.BankAccount = input.BankAccount ?? member.BankAccount;
        member.Hardship = input.Hardship;
        member.ModelWorker = input.ModelWorker;
        await db.SaveChangesAsync(cancellationToken);
        return member;
    }
}
