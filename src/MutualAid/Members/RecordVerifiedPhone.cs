using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Members;

/// <summary>
/// 核验身份并登记手机号: at a service point a clerk checks the person against their ID card and
/// records their mobile number, the number registration and password reset send codes to. Only a
/// clerk, only for a member in their scope, and only with a word on how they checked; the audit line
/// says the number before and after (masked) and why.
/// </summary>
public sealed class RecordVerifiedPhone(MutualAidDbContext db, TimeProvider clock)
{
    public async Task<string> HandleAsync(UserScope clerk, long memberId, string? phone, string? reason, Actor actor, CancellationToken cancellationToken)
    {
        if (!clerk.Roles.Contains(Roles.Clerk))
            throw new InvalidInputException("经办", "只有经办人员可以核验身份并登记手机号");
        var member = await clerk.Members(db).SingleOrDefaultAsync(m => m.Id == memberId, cancellationToken)
            ?? throw new InvalidInputException("会员", "没有这个会员，或不在您的范围内");
        phone = phone?.Trim();
        reason = reason?.Trim();
        var problems = new List<Problem>();
        if (!Member.IsMobile(phone))
            problems.Add(new Problem("手机号", $"“{phone}”应为 11 位手机号码"));
        if (string.IsNullOrEmpty(reason))
            problems.Add(new Problem("核验说明", "请写明如何核验了身份，例如：本人持身份证原件到网点办理"));
        if (problems.Count > 0)
            throw new InvalidInputException(problems);
        var change = $"{Masks.Phone(member.Phone)} → {Masks.Phone(phone)}";
        member.Phone = phone;
        db.Audit(actor, clock.Now(), "核验身份登记手机号", $"会员 {memberId}", $"{change}；{reason}");
        await db.SaveChangesAsync(cancellationToken);
        return change;
    }
}
