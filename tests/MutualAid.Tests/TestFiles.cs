namespace MutualAid.Tests;

/// <summary>The smallest whole files a claim document may be: a JPEG, a PNG (1×1 pixel) and a PDF.</summary>
internal static class TestFiles
{
    public static byte[] Jpeg =>
    [
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF"u8, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
        0xFF, 0xD9,
    ];

    public static byte[] Png => Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    public static byte[] Pdf =>
        "%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"u8.ToArray();

    /// <summary>A Windows program's first bytes: MZ, and at 0x3C the offset of its PE header.</summary>
    public static byte[] Program
    {
        get
        {
            var program = new byte[0x80];
            program[0] = (byte)'M';
            program[1] = (byte)'Z';
            program[0x3C] = 0x40;
            "PE\0\0"u8.CopyTo(program.AsSpan(0x40));
            return program;
        }
    }

    /// <summary>A PDF for each checklist type, named after it, as a clerk attaches them to a manual claim.</summary>
    public static MutualAid.Claims.DocumentFile[] Documents(params string[] types) => [.. types.Select(t => new MutualAid.Claims.DocumentFile(t, $"{t}.pdf", Pdf))];
}
