using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace MutualAid.Importing;

/// <summary>
/// The encoding of a text file as Chinese offices produce them: a byte order mark says it (UTF-8,
/// UTF-16 LE or BE); without one, a file whose bytes are all valid UTF-8 is UTF-8, and any other is
/// GB18030, the superset of GBK that Excel on a Chinese PC saves a CSV in. The check reads the file
/// once through a fixed buffer, so a file of any size takes constant memory.
/// </summary>
public static class TextEncodings
{
    /// <summary>GB18030 (code page 54936): its provider is registered once, here, for every reader of the process.</summary>
    public static readonly Encoding Gb18030 = Register();

    private const int Chunk = 64 * 1024;

    private static Encoding Register()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(54936);
    }

    /// <summary>Makes sure the code-page encodings (GB18030, and the Windows code pages an .xls names) are available.</summary>
    public static void EnsureRegistered() => _ = Gb18030;

    /// <summary>The file's encoding, read from the stream's current position to its end.</summary>
    public static Encoding Detect(Stream stream)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            var kept = 0;
            var first = true;
            while (true)
            {
                var read = stream.Read(buffer, kept, Chunk - kept);
                var total = kept + read;
                var final = read == 0;
                if (first)
                {
                    // The BOM is looked for in the first bytes only: read until there are enough or the file ends.
                    if (total < 3 && !final)
                    {
                        kept = total;
                        continue;
                    }
                    first = false;
                    if (ByBom(buffer.AsSpan(0, total)) is { } marked)
                        return marked;
                }
                var bytes = buffer.AsSpan(0, total);
                var complete = final ? total : total - UnfinishedTail(bytes);
                if (!Utf8.IsValid(bytes[..complete]))
                    return Gb18030;
                if (final)
                    return Encoding.UTF8;
                bytes[complete..].CopyTo(buffer);
                kept = total - complete;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Encoding? ByBom(ReadOnlySpan<byte> start) =>
        start is [0xEF, 0xBB, 0xBF, ..] ? Encoding.UTF8
        : start is [0xFF, 0xFE, ..] ? Encoding.Unicode
        : start is [0xFE, 0xFF, ..] ? Encoding.BigEndianUnicode
        : null;

    /// <summary>How many of the last bytes begin a UTF-8 sequence that the next chunk completes (0 when the chunk ends on a whole character).</summary>
    private static int UnfinishedTail(ReadOnlySpan<byte> bytes)
    {
        for (var back = 1; back <= Math.Min(3, bytes.Length); back++)
        {
            var b = bytes[^back];
            if ((b & 0xC0) == 0x80)
                continue;
            var length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return length > back ? back : 0;
        }
        return 0;
    }
}
