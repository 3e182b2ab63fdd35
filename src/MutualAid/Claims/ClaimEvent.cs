using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MutualAid.Benefits;
using MutualAid.Common;

namespace MutualAid.Claims;

/// <summary>
/// What a clerk enters for a manual claim: the stay, the diagnosis, the accident grade or the
/// fire loss, with the amounts of the paper invoices (yuan, as the spec's event names them).
/// </summary>
public sealed class ClaimEvent
{
    public DateOnly? AdmissionDate { get; init; }

    public DateOnly? DischargeDate { get; init; }

    /// <summary>ICD-10 codes joined by ';'.</summary>
    public string Diagnoses { get; init; } = "";

    public string? Grade { get; init; }

    public string? Hospital { get; init; }

    public Money TotalCost { get; init; }

    public Money InsurancePaid { get; init; }

    public Money SelfPayInScope { get; init; }

    public Money SelfPayOutOfScope { get; init; }

    public Money? SelfPay { get; init; }

    public Money? CashPay { get; init; }

    public Money Loss { get; init; }

    /// <summary>A copy for a claim to own: EF tracks an owned value by the instance, so two claims never share one.</summary>
    public ClaimEvent Copy() => (ClaimEvent)MemberwiseClone();

    public BenefitEvent ToEvent(string id, string memberKey, EventKinds kind, DateOnly date) => new()
    {
        Id = id,
        MemberId = memberKey,
        Kind = kind,
        Date = date,
        AdmissionDate = AdmissionDate,
        DischargeDate = DischargeDate,
        Diagnoses = Diagnoses.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        Grade = Grade,
        Amounts = new EventAmounts(TotalCost, InsurancePaid, SelfPayInScope, SelfPayOutOfScope, SelfPay, CashPay, Loss),
    };

    /// <summary>
    /// The clerk's figures checked against each other and the event's kind: no negative amount,
    /// the parts add up to the total, the dates in order and not in the future.
    /// </summary>
    public IReadOnlyList<Problem> Check(EventKinds kind, DateOnly date, DateOnly today)
    {
        var problems = new List<Problem>();
        void Add(string field, string message) => problems.Add(new Problem(field, message));
        foreach (var (field, value) in new (string, Money?)[]
        {
            ("totalCost", TotalCost), ("insurancePaid", InsurancePaid), ("selfPayInScope", SelfPayInScope),
            ("selfPayOutOfScope", SelfPayOutOfScope), ("selfPay", SelfPay), ("cashPay", CashPay), ("loss", Loss),
        })
        {
            if (value is { IsNegative: true } negative)
                Add(field, $"金额 {negative.ToDisplayString()} 不能为负数");
        }
        if (date > today)
            Add("date", $"事件日期 {date:yyyy-MM-dd} 晚于今天");
        if (kind is EventKinds.Hospitalization or EventKinds.OutpatientSpecial)
        {
            if (TotalCost.IsZero)
                Add("totalCost", "须填写医疗总费用");
            if (InsurancePaid > TotalCost)
                Add("insurancePaid", $"统筹支付 {InsurancePaid.ToDisplayString()} 大于医疗总费用 {TotalCost.ToDisplayString()}");
            var selfPay = SelfPay ?? Money.Max(Money.Zero, TotalCost - InsurancePaid);
            if (SelfPay is { } given && given != TotalCost - InsurancePaid)
                Add("selfPay", $"个人负担 {given.ToDisplayString()} 应等于医疗总费用减统筹支付 {(TotalCost - InsurancePaid).ToDisplayString()}");
            if (SelfPayInScope + SelfPayOutOfScope > selfPay)
                Add("selfPayInScope", $"政策范围内自付与自费之和 {(SelfPayInScope + SelfPayOutOfScope).ToDisplayString()} 大于个人负担 {selfPay.ToDisplayString()}");
            if (CashPay is { } cash && cash > selfPay)
                Add("cashPay", $"个人现金支付 {cash.ToDisplayString()} 大于个人负担 {selfPay.ToDisplayString()}");
        }
        if (kind == EventKinds.Hospitalization)
        {
            if (AdmissionDate is null || DischargeDate is null)
                Add("admissionDate", "住院须填写入院和出院日期");
            else if (DischargeDate < AdmissionDate)
                Add("dischargeDate", $"出院日期 {DischargeDate:yyyy-MM-dd} 早于入院日期 {AdmissionDate:yyyy-MM-dd}");
            else if (DischargeDate != date)
                Add("date", $"住院以出院日期 {DischargeDate:yyyy-MM-dd} 为事件日期");
        }
        if (kind is EventKinds.Diagnosis && Diagnoses.Length == 0)
            Add("diagnoses", "须填写诊断（ICD-10 编码）");
        if (kind == EventKinds.Accident && (Grade is null || !SpecNames.Grades.Contains(Grade)))
            Add("grade", $"伤残等级“{Grade}”应为 1–10、fracture 或 death");
        if (kind == EventKinds.Fire && Loss.IsZero)
            Add("loss", "须填写核定的火灾财产损失");
        return problems;
    }
}

/// <summary>
/// A document attached to a manual claim (a photo or scan): its checklist type, the file as
/// uploaded and its SHA-256. Only PDF, JPEG and PNG, recognised by their first bytes, up to
/// <see cref="MaxBytes"/>.
/// </summary>
public sealed class ClaimDocument
{
    public const int MaxBytes = 10 * 1024 * 1024;

    private ClaimDocument()
    {
    }

    private ClaimDocument(string type, string fileName, string contentType, byte[] content, string addedBy, DateTime addedAt)
    {
        Type = type;
        FileName = fileName;
        ContentType = contentType;
        Content = content;
        Size = content.Length;
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        AddedBy = addedBy;
        AddedAt = addedAt;
    }

    public long Id { get; private set; }

    public long ClaimId { get; private set; }

    /// <summary>A code of <see cref="SpecNames.Documents"/>.</summary>
    public string Type { get; private set; } = "";

    public string FileName { get; private set; } = "";

    public string ContentType { get; private set; } = "";

    public int Size { get; private set; }

    public string Sha256 { get; private set; } = "";

    public byte[] Content { get; private set; } = [];

    public string AddedBy { get; private set; } = "";

    public DateTime AddedAt { get; private set; }

    /// <summary>The document, or null with the reason it is refused (unknown type, empty, too large, not a PDF/JPEG/PNG, or named as another).</summary>
    public static ClaimDocument? Read(string type, string fileName, byte[] content, string addedBy, DateTime addedAt, List<Problem> problems)
    {
        var at = $"材料 {fileName}";
        var before = problems.Count;
        if (!SpecNames.Documents.ContainsKey(type))
            problems.Add(new Problem(at, $"未知的材料类型“{type}”，应为：{string.Join("、", SpecNames.Documents.Select(d => $"{d.Key}（{d.Value}）"))}"));
        var contentType = Sniff(content);
        if (content.Length == 0)
            problems.Add(new Problem(at, "文件为空"));
        else if (content.Length > MaxBytes)
            problems.Add(new Problem(at, $"文件 {content.Length / 1024.0 / 1024.0:0.0} MB，超过 {MaxBytes / 1024 / 1024} MB 上限"));
        else if (contentType is null)
            problems.Add(new Problem(at, "只收 PDF、JPEG、PNG 文件"));
        else if (!Extensions[contentType].Contains(Path.GetExtension(fileName).ToLowerInvariant()))
            problems.Add(new Problem(at, $"文件内容是 {contentType}，与扩展名“{Path.GetExtension(fileName)}”不符"));
        return problems.Count > before ? null : new ClaimDocument(type, Path.GetFileName(fileName), contentType!, content, addedBy, addedAt);
    }

    private static readonly Dictionary<string, string[]> Extensions = new(StringComparer.Ordinal)
    {
        ["application/pdf"] = [".pdf"],
        ["image/jpeg"] = [".jpg", ".jpeg"],
        ["image/png"] = [".png"],
    };

    private static string? Sniff(ReadOnlySpan<byte> content) =>
        content.StartsWith("%PDF-"u8) ? "application/pdf"
        : content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : content.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : null;
}

internal sealed class ClaimDocumentConfiguration : IEntityTypeConfiguration<ClaimDocument>
{
    public void Configure(EntityTypeBuilder<ClaimDocument> builder)
    {
        builder.ToTable("claim_documents");
        builder.Property(d => d.Type).HasMaxLength(40);
        builder.Property(d => d.FileName).HasMaxLength(200);
        builder.Property(d => d.ContentType).HasMaxLength(40);
        builder.Property(d => d.Sha256).HasMaxLength(64);
        builder.Property(d => d.AddedBy).HasMaxLength(50);
    }
}
