using Microsoft.EntityFrameworkCore;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Notifications;

namespace MutualAid.Members;

/// <summary>Who asks for a code: for registration the name and, for a newcomer, their own mobile number.</summary>
public sealed record CodeRequest(CodePurpose Purpose, string IdNumber, string? Name = null, string? Phone = null);

/// <summary>
/// 获取验证码: sends a one-time code by SMS, for registration or a password reset. A member on file
/// gets it on the mobile number the fund holds, never on one they type; one without a number on file
/// is sent to a service point, where a clerk checks who they are and records it
/// (<see cref="RecordVerifiedPhone"/>). A newcomer not on file gets it on the number they give, which
/// proves they hold that phone. A password reset answers the same whether or not the ID number has an
/// account, so the page cannot be used to find out who is a member. The request is audited.
/// </summary>
public sealed class RequestCode(MutualAidDbContext db, ISmsSender sms, TimeProvider clock)
{
    public const string ResetAnswer = "如该身份证号已开通账号并登记了手机号，验证码已发送到登记的手机号，10 分钟内有效；未收到的请 1 分钟后再试，或到服务网点办理。";

    /// <summary>Returns the sentence for the person.</summary>
    public async Task<string> HandleAsync(CodeRequest request, Actor actor, CancellationToken cancellationToken)
    {
        if (!Common.IdNumber.TryParse(request.IdNumber?.Trim().ToUpperInvariant(), out var id, out var error))
            throw new InvalidInputException("身份证号", $"“{request.IdNumber}”：{error}");
        var now = clock.Now();
        if (request.Purpose == CodePurpose.ResetPassword)
        {
            var phone = await ResetPassword.AccountOf(db, id.Value).Select(a => a.Phone).SingleOrDefaultAsync(cancellationToken);
            var sent = phone is not null && await WaitAsync(phone, now, cancellationToken) is null
                && await SendAsync(CodePurpose.ResetPassword, id, phone, now, actor, cancellationToken);
            if (!sent)
            {
                db.Audit(actor, now, "获取验证码", $"身份证号 {id.Masked}", "找回密码：未发送（无账号、无手机号或发送过于频繁）");
                await db.SaveChangesAsync(cancellationToken);
            }
            return ResetAnswer;
        }

        var (to, known) = await RegistrationPhoneAsync(request, id, cancellationToken);
        if (await WaitAsync(to, now, cancellationToken) is { } wait)
            throw new InvalidInputException(OneTimeCode.Field, wait);
        if (!await SendAsync(CodePurpose.Register, id, to, now, actor, cancellationToken))
            throw new InvalidInputException(OneTimeCode.Field, "请 1 分钟后再获取验证码");
        return known ? "验证码已发送到您登记的手机号，10 分钟内有效" : $"验证码已发送到 {to}，10 分钟内有效";
    }

    private async Task<(string Phone, bool Known)> RegistrationPhoneAsync(CodeRequest request, IdNumber id, CancellationToken cancellationToken)
    {
        if (await db.Users.AnyAsync(u => u.UserName == id.Value, cancellationToken) || await ResetPassword.AccountOf(db, id.Value).AnyAsync(cancellationToken))
            throw new InvalidInputException("身份证号", "该身份证号已开通账号，请直接登录；忘记密码的请点“忘记密码”");
        if (string.IsNullOrWhiteSpace(request.Name))
            throw new InvalidInputException("姓名", "不能为空");
        var member = await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.IdNumber == id.Value, cancellationToken);
        if (member is null)
        {
            var phone = request.Phone?.Trim();
            return Member.IsMobile(phone) ? (phone!, false)
                : throw new InvalidInputException("手机号", string.IsNullOrEmpty(phone) ? "不能为空：验证码和参保、理赔的短信发到这个号码" : $"“{phone}”应为 11 位手机号码");
        }
        if (member.Name != request.Name.Trim())
            throw new InvalidInputException("姓名", $"“{request.Name}”与登记的姓名不一致");
        return member.Phone is { } onFile ? (onFile, true)
            : throw new InvalidInputException("手机号", "系统中没有您的手机号，无法发送验证码：请携带身份证到服务网点，经办人员核验身份并登记手机号后再注册");
    }

    /// <summary>Why the phone must wait, or null: one code a minute, <see cref="OneTimeCode.DailyCap"/> in 24 hours.</summary>
    private async Task<string?> WaitAsync(string phone, DateTime now, CancellationToken cancellationToken)
    {
        var recent = await db.OneTimeCodes.Where(c => c.Phone == phone && c.CreatedAt > now.AddDays(-1)).Select(c => c.CreatedAt).ToListAsync(cancellationToken);
        if (recent.Count > 0 && now - recent.Max() < OneTimeCode.Interval)
            return $"请 {Math.Ceiling((OneTimeCode.Interval - (now - recent.Max())).TotalSeconds)} 秒后再获取验证码";
        return recent.Count >= OneTimeCode.DailyCap ? $"该手机号 24 小时内已获取 {OneTimeCode.DailyCap} 次验证码，请明天再试或到服务网点办理" : null;
    }

    /// <summary>Stores the code with its audit line and sends it; false when another code to the phone was stored in the same minute.</summary>
    private async Task<bool> SendAsync(CodePurpose purpose, IdNumber id, string phone, DateTime now, Actor actor, CancellationToken cancellationToken)
    {
        var (code, digits) = OneTimeCode.New(purpose, id.Value, phone, now);
        db.OneTimeCodes.Add(code);
        var use = purpose == CodePurpose.Register ? "自助注册" : "找回密码";
        db.Audit(actor, now, "获取验证码", $"身份证号 {id.Masked}", $"{use}：已发送到 {Masks.Phone(phone)}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique index on phone and minute let one of two requests at the same moment through.
            db.ChangeTracker.Clear();
            return false;
        }
        try
        {
            await sms.SendAsync(new OutgoingSms($"code-{code.Id}", phone,
                $"【职工互助保障】您的验证码为 {digits}，用于{use}，10 分钟内有效。请勿告诉他人，工作人员不会向您索要。"), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidInputException(OneTimeCode.Field, "短信发送失败，请 1 分钟后再试");
        }
        return true;
    }
}
