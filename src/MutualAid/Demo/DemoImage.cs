using System.Buffers.Binary;
using System.IO.Compression;

namespace MutualAid.Demo;

/// <summary>
/// A picture for the demo's documents: a grey PNG card with dark bars where a scan's lines of
/// text would be, so that a reviewer's page shows an image, not a broken one.
/// </summary>
internal static class DemoImage
{
    /// <summary>The smallest whole PDF <c>ClaimDocument.Check</c> takes (no pages).</summary>
    public static byte[] Pdf() =>
        [.. "%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"u8];

    public static byte[] Card(int width = 320, int height = 200)
    {
        var pixels = new MemoryStream();
        using (var zlib = new ZLibStream(pixels, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (var y = 0; y < height; y++)
            {
                zlib.WriteByte(0); // no filter
                for (var x = 0; x < width; x++)
                    zlib.WriteByte(Gray(x, y, width, height));
            }
        }
        var png = new MemoryStream();
        png.Write([0x89, .. "PNG"u8, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bits per sample, grey
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", pixels.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static byte Gray(int x, int y, int width, int height)
    {
        if (x < 4 || y < 4 || x >= width - 4 || y >= height - 4)
            return 90; // the card's edge
        var line = (y - 24) / 22;
        var inLine = y >= 24 && (y - 24) % 22 < 8 && line < 6;
        var length = width - 40 - line * 31 % 90;
        return inLine && x >= 20 && x < length ? (byte)60 : (byte)235;
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        byte[] typed = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typed));
        png.Write(number);
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
