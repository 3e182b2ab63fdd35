using System.Buffers.Binary;
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

    /// <summary>
    /// Treatments of the stay or visit (手术、放疗、化疗): the benefits with a procedures filter
    /// (宁波's second stage) respond to them. A claim naming one carries its record (<see cref="ProcedureRecord"/>).
    /// </summary>
    public Procedures Procedures { get; init; }

    /// <summary>The document that shows a treatment: the operation, radiotherapy or chemotherapy record.</summary>
    public const string ProcedureRecord = "procedureRecord";

    /// <summary>
    /// The treatments named by a form, the API or the CLI: the spec's codes (surgery, radiotherapy,
    /// chemotherapy) or their Chinese names (手术、放疗、化疗); an unknown one is a problem of <paramref name="field"/>.
    /// </summary>
    public static Procedures ParseProcedures(IEnumerable<string> values, string field, List<Problem> problems)
    {
        var procedures = Procedures.None;
        foreach (var value in values.Select(v => v.Trim()).Where(v => v.Length > 0))
        {
            if (SpecNames.Procedures.TryGetValue(value, out var code) || ChineseProcedures.TryGetValue(value, out code))
                procedures |= code;
            else
                problems.Add(new Problem(field, $"未知的治疗“{value}”，应为 surgery（手术）、radiotherapy（放疗）或 chemotherapy（化疗）"));
        }
        return procedures;
    }

    private static readonly Dictionary<string, Procedures> ChineseProcedures = new(StringComparer.Ordinal)
    {
        ["手术"] = Procedures.Surgery,
        ["放疗"] = Procedures.Radiotherapy,
        ["化疗"] = Procedures.Chemotherapy,
    };

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
        Procedures = Procedures,
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
        if (Procedures != Procedures.None && kind is EventKinds.Accident or EventKinds.Fire)
            Add("procedures", $"{Names.Of(kind)}不填治疗（{SpecNames.ChineseName(Procedures)}）；治疗只用于住院、门诊特殊病或重大疾病确诊");
        return problems;
    }
}

/// <summary>
/// A document attached to a manual claim (a photo or scan): its checklist type, the file as
/// uploaded under a safe name (<see cref="SafeName"/>) and its SHA-256, by which its bytes are kept in
/// the document store (<see cref="Documents.IDocumentStore"/>). Only whole PDF, JPEG and PNG files
/// (<see cref="Check"/>), up to <see cref="MaxBytes"/>.
/// </summary>
public sealed class ClaimDocument
{
    public const int MaxBytes = 10 * 1024 * 1024;

    /// <summary>The longest name kept, in characters (the column holds 200).</summary>
    public const int MaxNameLength = 100;

    private ClaimDocument()
    {
    }

    private ClaimDocument(string type, string fileName, string contentType, byte[] content, string addedBy, DateTime addedAt)
    {
        Type = type;
        FileName = fileName;
        ContentType = contentType;
        Upload = content;
        Size = content.Length;
        Sha256 = Documents.DocumentFiles.Hash(content);
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

    /// <summary>The bytes of a document uploaded before the document store, until <c>mutualaid documents move</c> moves them there; null otherwise.</summary>
    public byte[]? Content { get; private set; }

    /// <summary>The bytes just uploaded, which the handler puts in the store before it saves the row (not a column).</summary>
    internal byte[]? Upload { get; }

    public string AddedBy { get; private set; } = "";

    public DateTime AddedAt { get; private set; }

    /// <summary>The document, or null with the reason it is refused (unknown type, empty, too large, not a whole PDF/JPEG/PNG, carrying a program, or named as another).</summary>
    public static ClaimDocument? Read(string type, string fileName, byte[] content, string addedBy, DateTime addedAt, List<Problem> problems)
    {
        var (contentType, problem) = Check(content);
        var name = SafeName(fileName, contentType);
        var at = $"材料 {name}";
        var before = problems.Count;
        if (!SpecNames.Documents.ContainsKey(type))
            problems.Add(new Problem(at, $"未知的材料类型“{type}”，应为：{string.Join("、", SpecNames.Documents.Select(d => $"{d.Key}（{d.Value}）"))}"));
        if (problem is not null)
            problems.Add(new Problem(at, problem));
        else if (!Extensions[contentType!].Contains(Path.GetExtension(name).ToLowerInvariant()))
            problems.Add(new Problem(at, $"文件内容是 {contentType}，与扩展名“{Path.GetExtension(name)}”不符"));
        return problems.Count > before ? null : new ClaimDocument(type, name, contentType!, content, addedBy, addedAt);
    }

    /// <summary>
    /// The name an upload is stored and shown under: its last segment after <c>/</c> or <c>\</c>,
    /// without control characters, characters Windows forbids and trailing dots or spaces, at most
    /// <see cref="MaxNameLength"/> characters with its extension kept. A Windows device name
    /// (<c>CON</c>, <c>NUL</c>, <c>COM1</c> …) gets a <c>_</c> in front; nothing left, or only an
    /// extension, becomes <c>材料</c> with the extension of <paramref name="contentType"/>.
    /// Chinese and other letters are kept as they are.
    /// </summary>
    public static string SafeName(string fileName, string? contentType = null)
    {
        var last = fileName[(fileName.LastIndexOfAny(['/', '\\']) + 1)..];
        var name = new string([.. last.Where(c => !char.IsControl(c) && !ForbiddenOnWindows.Contains(c))]).Trim().TrimEnd('.', ' ');
        var extension = Path.GetExtension(name);
        var stem = name[..^extension.Length].TrimEnd('.', ' ');
        if (extension.Length > 10)
            (stem, extension) = (name, "");
        if (stem.Length == 0)
            return "材料" + (extension.Length > 1 ? extension : contentType is null ? "" : Extensions[contentType][0]);
        var room = MaxNameLength - extension.Length;
        if (stem.Length > room)
            stem = stem[..(char.IsHighSurrogate(stem[room - 1]) ? room - 1 : room)];
        if (DeviceNames.Contains(stem.Split('.')[0]))
            stem = "_" + stem;
        return stem + extension;
    }

    /// <summary>
    /// The content type of a whole PDF, JPEG or PNG file, or why the bytes are refused. A JPEG
    /// runs from FF D8 FF to its end marker FF D9 (zero bytes after it are padding and allowed);
    /// a PNG is its signature, an IHDR chunk first and the IEND chunk last; a PDF starts with
    /// <c>%PDF-</c> and has <c>%%EOF</c> in its last 1 KB. Anything else after an image's end
    /// is refused, and so is a file carrying a Windows (MZ…PE) or Linux (ELF) program anywhere:
    /// an image in front of a program is how a program gets past a check of the first bytes.
    /// </summary>
    public static (string? ContentType, string? Problem) Check(ReadOnlySpan<byte> content)
    {
        if (content.Length == 0)
            return (null, "文件为空");
        if (content.Length > MaxBytes)
            return (null, $"文件 {content.Length / 1024.0 / 1024.0:0.0} MB，超过 {MaxBytes / 1024 / 1024} MB 上限");
        if (CarriesProgram(content))
            return (null, "文件中夹带可执行程序，不予接收");
        if (content.StartsWith("%PDF-"u8))
            return content[Math.Max(0, content.Length - 1024)..].IndexOf("%%EOF"u8) >= 0
                ? ("application/pdf", null)
                : (null, "PDF 文件不完整（末尾没有 %%EOF）或其后附有其他内容");
        if (content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
            return content.TrimEnd((byte)0).EndsWith((ReadOnlySpan<byte>)[0xFF, 0xD9])
                ? ("image/jpeg", null)
                : (null, "JPEG 文件不完整（没有以 FF D9 结束）或其后附有其他内容");
        if (content.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            return content.Length >= 8 + 25 + 12
                && content[8..].StartsWith((ReadOnlySpan<byte>)[0, 0, 0, 13, .. "IHDR"u8])
                && content.EndsWith((ReadOnlySpan<byte>)[0, 0, 0, 0, .. "IEND"u8, 0xAE, 0x42, 0x60, 0x82])
                ? ("image/png", null)
                : (null, "PNG 文件不完整（应以 IHDR 开始、IEND 结束）或其后附有其他内容");
        return (null, "只收 PDF、JPEG、PNG 文件");
    }

    /// <summary>
    /// A Windows program's header (MZ whose offset at 0x3C points to PE\0\0) or a Linux one
    /// (7F ELF with a valid class, byte order and version): exact enough that photo data does not
    /// match by chance.
    /// </summary>
    private static bool CarriesProgram(ReadOnlySpan<byte> content)
    {
        for (var i = content.IndexOf("MZ"u8); i >= 0 && i + 0x40 <= content.Length; i = Next(content, i, "MZ"u8))
        {
            var pe = i + (long)BinaryPrimitives.ReadUInt32LittleEndian(content.Slice(i + 0x3C, 4));
            if (pe + 4 <= content.Length && content.Slice((int)pe, 4).SequenceEqual("PE\0\0"u8))
                return true;
        }
        for (var i = content.IndexOf("\u007FELF"u8); i >= 0 && i + 7 <= content.Length; i = Next(content, i, "\u007FELF"u8))
        {
            if (content[i + 4] is 1 or 2 && content[i + 5] is 1 or 2 && content[i + 6] == 1)
                return true;
        }
        return false;
    }

    private static int Next(ReadOnlySpan<byte> content, int at, ReadOnlySpan<byte> marker) =>
        content[(at + 1)..].IndexOf(marker) is var next and >= 0 ? at + 1 + next : -1;

    private static readonly char[] ForbiddenOnWindows = ['<', '>', ':', '"', '/', '\\', '|', '?', '*'];

    private static readonly HashSet<string> DeviceNames = new(
        ["CON", "PRN", "AUX", "NUL", .. Enumerable.Range(1, 9).SelectMany(n => new[] { $"COM{n}", $"LPT{n}" })], StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, string[]> Extensions = new(StringComparer.Ordinal)
    {
        ["application/pdf"] = [".pdf"],
        ["image/jpeg"] = [".jpg", ".jpeg"],
        ["image/png"] = [".png"],
    };
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
