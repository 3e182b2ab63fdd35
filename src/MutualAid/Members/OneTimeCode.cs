using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MutualAid.Benefits;
using MutualAid.Data;

namespace MutualAid.Members;

/// <summary>What a one-time code proves the person may do.</summary>
public enum CodePurpose
{
    /// <summary>自助注册.</summary>
    Register,
    /// <summary>找回密码.</summary>
    ResetPassword,
}

/// <summary>
/// 短信验证码: six random digits sent to a mobile number for one ID number and one purpose. Only a
/// salted SHA-256 hash is kept. A code lives <see cref="Lifetime"/>, allows <see cref="MaxTries"/>
/// tries (each try counts, the right one too, so concurrent guesses cannot get past the limit) and
/// is used once, by a conditional update in the transaction of what it opens. Only the latest code
/// of an ID number and purpose counts. A phone gets at most one code a minute (the unique index on
/// phone and minute stops two sent at the same moment) and <see cref="DailyCap"/> a day.
/// </summary>
public sealed class OneTimeCode
{
    public const int MaxTries = 5;
    public const int DailyCap = 10;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(60);

    /// <summary>The field every code problem names.</summary>
    public const string Field = "验证码";

    private OneTimeCode()
    {
    }

    private OneTimeCode(CodePurpose purpose, string idNumber, string phone, string salt, string hash, DateTime at)
    {
        Purpose = purpose;
        IdNumber = idNumber;
        Phone = phone;
        Salt = salt;
        Hash = hash;
        CreatedAt = at;
        Minute = (long)(at - DateTime.UnixEpoch).TotalMinutes;
        ExpiresAt = at + Lifetime;
    }

    public long Id { get; private set; }

    public CodePurpose Purpose { get; private set; }

    public string IdNumber { get; private set; } = "";

    /// <summary>Where the code went: the number on file, or a newcomer's own.</summary>
    public string Phone { get; private set; } = "";

    public string Salt { get; private set; } = "";

    public string Hash { get; private set; } = "";

    public DateTime CreatedAt { get; private set; }

    /// <summary>Minutes since 1970 when sent: unique with the phone.</summary>
    public long Minute { get; private set; }

    public DateTime ExpiresAt { get; private set; }

    public int Tries { get; private set; }

    public DateTime? UsedAt { get; private set; }

    /// <summary>A new code and its digits, which are sent and never stored.</summary>
    public static (OneTimeCode Code, string Digits) New(CodePurpose purpose, string idNumber, string phone, DateTime at)
    {
        var digits = RandomNumberGenerator.GetInt32(1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        var salt = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        return (new OneTimeCode(purpose, idNumber, phone, salt, HashOf(salt, digits), at), digits);
    }

    /// <summary>
    /// Spends one try of the latest code of <paramref name="idNumber"/> for <paramref name="purpose"/>
    /// and returns it when <paramref name="digits"/> are right; refuses otherwise. Call it before the
    /// transaction of what the code opens: a wrong try must stay counted when that rolls back.
    /// </summary>
    internal static async Task<OneTimeCode> TryAsync(MutualAidDbContext db, CodePurpose purpose, string idNumber, string? digits, DateTime now, CancellationToken cancellationToken)
    {
        digits = digits?.Replace(" ", "", StringComparison.Ordinal) ?? "";
        if (digits.Length == 0)
            throw new InvalidInputException(Field, "请填写短信验证码");
        var code = await db.OneTimeCodes.AsNoTracking().Where(c => c.IdNumber == idNumber && c.Purpose == purpose)
            .OrderByDescending(c => c.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw new InvalidInputException(Field, "请先获取验证码");
        var spent = await db.OneTimeCodes.Where(c => c.Id == code.Id && c.UsedAt == null && c.Tries < MaxTries && c.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Tries, c => c.Tries + 1), cancellationToken);
        if (spent == 0)
            throw new InvalidInputException(Field, code.UsedAt is not null ? "验证码已使用，请重新获取"
                : code.ExpiresAt <= now ? "验证码已过期，请重新获取"
                : "验证码错误次数过多，已作废，请重新获取");
        var left = MaxTries - code.Tries - 1;
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashOf(code.Salt, digits)), Encoding.ASCII.GetBytes(code.Hash)))
            throw new InvalidInputException(Field, left > 0 ? $"验证码不正确，还可再试 {left} 次" : "验证码不正确，错误次数过多，已作废，请重新获取");
        return code;
    }

    /// <summary>Marks the code used, inside the caller's transaction; of two uses at once one gets through.</summary>
    internal static async Task UseAsync(MutualAidDbContext db, OneTimeCode code, DateTime now, CancellationToken cancellationToken)
    {
        if (await db.OneTimeCodes.Where(c => c.Id == code.Id && c.UsedAt == null).ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), cancellationToken) == 0)
            throw new InvalidInputException(Field, "验证码已使用，请重新获取");
    }

    private static string HashOf(string salt, string digits) => Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(salt + digits)));
}

internal sealed class OneTimeCodeConfiguration : IEntityTypeConfiguration<OneTimeCode>
{
    public void Configure(EntityTypeBuilder<OneTimeCode> builder)
    {
        builder.ToTable("one_time_codes");
        builder.Property(c => c.Purpose).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.IdNumber).HasMaxLength(18);
        builder.Property(c => c.Phone).HasMaxLength(20);
        builder.Property(c => c.Salt).HasMaxLength(32);
        builder.Property(c => c.Hash).HasMaxLength(64);
        builder.HasIndex(c => new { c.IdNumber, c.Purpose });
        builder.HasIndex(c => new { c.Phone, c.Minute }).IsUnique();
    }
}
