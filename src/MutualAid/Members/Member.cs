using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MutualAid.Benefits;
using MutualAid.Common;

namespace MutualAid.Members;

/// <summary>
/// A worker covered by the fund (会员). One person is one member whatever their employer:
/// a worker who changes unit keeps their history and so their continuity. Birth date and
/// gender always agree with the ID number.
/// </summary>
public sealed class Member
{
    private Member()
    {
    }

    public Member(IdNumber idNumber, string name, MemberType type, long? unitId)
    {
        IdNumber = idNumber.Value;
        BirthDate = idNumber.BirthDate;
        Gender = idNumber.Gender;
        Rename(name);
        Type = type;
        UnitId = unitId;
    }

    public long Id { get; private set; }

    /// <summary>居民身份证号码, 18 characters, checked.</summary>
    public string IdNumber { get; private set; } = "";

    public string Name { get; private set; } = "";

    public Gender Gender { get; private set; }

    public DateOnly BirthDate { get; private set; }

    public string? Phone { get; set; }

    public MemberType Type { get; set; }

    /// <summary>
    /// The basic medical insurance the member holds (城镇职工/城乡居民/其他), as the unit's roster or
    /// the latest settlement says; null until one of them does. Benefits with an insuranceTypes
    /// filter respond only to a member whose type is known and listed.
    /// </summary>
    public InsuranceType? InsuranceType { get; set; }

    /// <summary>The employer unit; none for individual new-form workers.</summary>
    public long? UnitId { get; set; }

    public string? BankName { get; set; }

    /// <summary>Digits only.</summary>
    public string? BankAccount { get; set; }

    /// <summary>困难职工建档.</summary>
    public bool Hardship { get; set; }

    /// <summary>劳动模范.</summary>
    public bool ModelWorker { get; set; }

    /// <summary>An account number a bank takes: 8–30 digits.</summary>
    public static bool IsBankAccount(string? account) => account is { Length: >= 8 and <= 30 } && account.All(char.IsAsciiDigit);

    /// <summary>A mainland mobile number: 11 digits starting with 1.</summary>
    public static bool IsMobile(string? phone) => phone is { Length: 11 } && phone[0] == '1' && phone.All(char.IsAsciiDigit);

    public void Rename(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("姓名不能为空", nameof(name));
        Name = name.Trim();
    }
}

internal sealed class MemberConfiguration : IEntityTypeConfiguration<Member>
{
    public void Configure(EntityTypeBuilder<Member> builder)
    {
        builder.ToTable("members");
        builder.Property(m => m.IdNumber).HasMaxLength(18);
        builder.HasIndex(m => m.IdNumber).IsUnique();
        builder.Property(m => m.Name).HasMaxLength(50);
        builder.Property(m => m.Phone).HasMaxLength(20);
        builder.Property(m => m.BankAccount).HasMaxLength(40);
        builder.Property(m => m.Gender).HasConversion<string>().HasMaxLength(10);
        builder.Property(m => m.Type).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.InsuranceType).HasConversion<string>().HasMaxLength(20);
        builder.HasOne<Units.Unit>().WithMany().HasForeignKey(m => m.UnitId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => m.UnitId);
        // Hardship members are a few hundred among a million: the relief report starts from them.
        builder.HasIndex(m => m.Hardship).HasFilter("hardship").HasDatabaseName("ix_members_hardship");
    }
}
