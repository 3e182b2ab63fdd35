using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MutualAid.Common;

namespace MutualAid.Ledger;

/// <summary>
/// The fund's chart of accounts. Premium income and benefit expense are kept per payer and per
/// plan by a suffix: <c>6011.Unit</c>, <c>6401.INPATIENT</c>.
/// </summary>
public static class Accounts
{
    public const string Bank = "1002";
    public const string InTransit = "1131";
    public const string RecoveriesReceivable = "1221";
    public const string PayableToMembers = "2241";
    public const string Reserve = "4101";
    public const string PremiumIncome = "6011";
    public const string GovernmentSubsidy = "6012";
    public const string Donations = "6013";
    public const string Interest = "6051";
    public const string BenefitExpense = "6401";

    /// <summary>二次救助支出: second-round relief for hardship members, kept apart from the plans' benefits.</summary>
    public const string ReliefExpense = "6402";

    /// <summary>医疗优惠补助支出: the discounts partner institutions gave members, paid back to them.</summary>
    public const string PartnerExpense = "6403";

    /// <summary>应付合作医疗机构: approved partner statements not yet sent to the bank.</summary>
    public const string PayableToPartners = "2242";
    public const string DueFromPool = "1301";
    public const string DueToDistricts = "2301";
    public const string PoolingOut = "6901";
    public const string PoolingIn = "6902";

    public static string Income(Premiums.Payer payer) => payer switch
    {
        Premiums.Payer.Government => GovernmentSubsidy,
        Premiums.Payer.Donation => Donations,
        _ => $"{PremiumIncome}.{payer}",
    };

    public static string Expense(string plan) => $"{BenefitExpense}.{plan}";

    /// <summary>Expenditure: benefits paid, second-round relief, partners' discounts and the pool's share of districts' deficits.</summary>
    public static bool IsExpense(string account) => account.StartsWith(BenefitExpense, StringComparison.Ordinal) || account is ReliefExpense or PartnerExpense or PoolingOut;

    /// <summary>Income: premiums, subsidies, donations, interest and pooling received.</summary>
    public static bool IsIncome(string account) => account.StartsWith('6') && !IsExpense(account);

    public static bool IsPooling(string account) => account is PoolingIn or PoolingOut;

    /// <summary>The plan (or payer) of an account kept per plan: INPATIENT of 6401.INPATIENT.</summary>
    public static string PlanOf(string account) => account[(account.IndexOf('.', StringComparison.Ordinal) + 1)..];

    /// <summary>An account in words: its name, and for one kept per payer or plan, the payer's or the plan's (会费收入-单位, 互助金支出-在职职工住院医疗互助保障).</summary>
    public static string Name(string account, Schemes.PlanNames? plans = null) => account.Split('.')[0] switch
    {
        Bank => "银行存款（互助金专户）",
        InTransit => "在途发放款",
        RecoveriesReceivable => "应收追回款",
        PayableToMembers => "应付会员互助金",
        Reserve => "互助金结余",
        PremiumIncome => "会费收入",
        GovernmentSubsidy => "政府补助收入",
        Donations => "捐赠收入",
        Interest => "利息收入",
        BenefitExpense => "互助金支出",
        ReliefExpense => "二次救助支出",
        PartnerExpense => "医疗优惠补助支出",
        PayableToPartners => "应付合作医疗机构",
        DueFromPool => "应收统筹调剂款",
        DueToDistricts => "应付区县调剂款",
        PoolingOut => "统筹调剂支出",
        PoolingIn => "统筹调剂收入",
        _ => account,
    } + (!account.Contains('.', StringComparison.Ordinal) ? ""
        : "-" + (account.StartsWith(PremiumIncome, StringComparison.Ordinal) && Enum.TryParse<Premiums.Payer>(PlanOf(account), out var payer) ? Names.Of(payer)
            : plans?.Plan(PlanOf(account)) ?? PlanOf(account)));
}

public enum EntryKind
{
    PremiumReceived,
    ClaimsApproved,
    ClaimReversed,
    PaymentsSent,
    PaymentsReturned,
    RecoveryOpened,
    PoolingShare,
    RecoveryCollected,
    Reversal,

    /// <summary>期初余额: the fund's money brought forward from the books kept before this system.</summary>
    OpeningBalance,

    /// <summary>二次救助核准: a relief application checked and approved, owed to the member.</summary>
    ReliefApproved,

    /// <summary>优惠结算单核准: a partner's monthly statement checked and approved, owed to the institution.</summary>
    PartnerApproved,
}

/// <summary>A line of the books with its entry's id, date and district, as the checks and reports read them.</summary>
public sealed record LedgerLine(long EntryId, DateOnly Date, string? District, string Account, Money Debit, Money Credit)
{
    /// <summary>The lines of the given entries.</summary>
    public static IQueryable<LedgerLine> Of(IQueryable<JournalEntry> entries) =>
        entries.AsNoTracking().SelectMany(e => e.Lines, (e, l) => new LedgerLine(e.Id, e.Date, e.District, l.Account, l.Debit, l.Credit));
}

/// <summary>One debit or credit of an entry; exactly one of the two is non-zero.</summary>
public sealed record Posting(string Account, Money Debit, Money Credit)
{
    public static Posting Dr(string account, Money amount) => new(account, amount, Money.Zero);

    public static Posting Cr(string account, Money amount) => new(account, Money.Zero, amount);
}

/// <summary>
/// A journal entry (记账凭证): one business event, its date, its district (null for the city
/// pool) and balanced postings. Built only balanced; never edited or deleted; a correction is a
/// reversal, an entry of its own.
/// </summary>
public sealed class JournalEntry
{
    private readonly List<JournalLine> _lines = [];

    private JournalEntry()
    {
    }

    public JournalEntry(DateOnly date, EntryKind kind, string? district, string memo, IEnumerable<Posting> postings, DateTime postedAt, long? reverses = null)
    {
        Date = date;
        Kind = kind;
        District = district;
        Memo = memo.Length > 200 ? memo[..200] : memo;
        PostedAt = postedAt;
        Reverses = reverses;
        // Postings to the same account net into one line each side, so an entry reads as a voucher does.
        foreach (var group in postings.Where(p => !(p.Debit.IsZero && p.Credit.IsZero)).GroupBy(p => p.Account))
        {
            var debit = Money.Sum(group.Select(p => p.Debit));
            var credit = Money.Sum(group.Select(p => p.Credit));
            if (debit.IsNegative || credit.IsNegative)
                throw new ArgumentException($"科目 {group.Key} 的借贷金额不能为负数");
            _lines.Add(new JournalLine(group.Key, debit, credit));
        }
        var (debits, credits) = Totals;
        if (debits != credits)
            throw new ArgumentException($"凭证借方 {debits.ToDisplayString()} 与贷方 {credits.ToDisplayString()} 不平");
    }

    public long Id { get; private set; }

    public DateOnly Date { get; private set; }

    public EntryKind Kind { get; private set; }

    /// <summary>The district's 6-digit division code; null for the city pool.</summary>
    public string? District { get; private set; }

    public string Memo { get; private set; } = "";

    public DateTime PostedAt { get; private set; }

    /// <summary>The entry this one reverses.</summary>
    public long? Reverses { get; private set; }

    public IReadOnlyList<JournalLine> Lines => _lines;

    public (Money Debits, Money Credits) Totals =>
        (Money.Sum(_lines.Select(l => l.Debit)), Money.Sum(_lines.Select(l => l.Credit)));

    /// <summary>The reversal (红字冲销) of this entry: every posting the other way round.</summary>
    public JournalEntry Reversal(DateOnly date, string memo, DateTime postedAt) =>
        new(date, EntryKind.Reversal, District, memo, _lines.Select(l => new Posting(l.Account, l.Credit, l.Debit)), postedAt, Id);
}

public sealed class JournalLine
{
    private JournalLine()
    {
    }

    internal JournalLine(string account, Money debit, Money credit)
    {
        Account = account;
        Debit = debit;
        Credit = credit;
    }

    public long Id { get; private set; }

    public long EntryId { get; private set; }

    public string Account { get; private set; } = "";

    public Money Debit { get; private set; }

    public Money Credit { get; private set; }

    internal void BelongTo(long entryId) => EntryId = entryId;
}

/// <summary>A closed month (结账): no entry dated in it is posted any more.</summary>
public sealed class ClosedPeriod
{
    private ClosedPeriod()
    {
    }

    public ClosedPeriod(int year, int month, string closedBy, DateTime closedAt)
    {
        Year = year;
        Month = month;
        ClosedBy = closedBy;
        ClosedAt = closedAt;
    }

    public long Id { get; private set; }

    public int Year { get; private set; }

    public int Month { get; private set; }

    public string ClosedBy { get; private set; } = "";

    public DateTime ClosedAt { get; private set; }
}

internal sealed class LedgerConfiguration : IEntityTypeConfiguration<JournalEntry>, IEntityTypeConfiguration<ClosedPeriod>
{
    public void Configure(EntityTypeBuilder<JournalEntry> builder)
    {
        builder.ToTable("journal_entries");
        builder.Ignore(e => e.Totals);
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(30);
        builder.Property(e => e.District).HasMaxLength(6);
        builder.Property(e => e.Memo).HasMaxLength(200);
        builder.OwnsMany(e => e.Lines, l =>
        {
            l.ToTable("journal_lines");
            l.WithOwner().HasForeignKey(x => x.EntryId);
            l.HasKey(x => x.Id);
            l.Property(x => x.Account).HasMaxLength(40);
            l.HasIndex(x => x.Account);
        });
        builder.Navigation(e => e.Lines).HasField("_lines");
        builder.HasIndex(e => e.Date);
        builder.HasIndex(e => e.Reverses).IsUnique();
        // One opening balance, however many doors register it at once.
        builder.HasIndex(e => e.Kind).IsUnique().HasFilter("kind = 'OpeningBalance'").HasDatabaseName("ux_journal_entries_opening_balance");
    }

    public void Configure(EntityTypeBuilder<ClosedPeriod> builder)
    {
        builder.ToTable("closed_periods");
        builder.Property(p => p.ClosedBy).HasMaxLength(50);
        builder.HasIndex(p => new { p.Year, p.Month }).IsUnique();
    }
}
