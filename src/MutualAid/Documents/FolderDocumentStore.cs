namespace MutualAid.Documents;

/// <summary>
/// Documents as files in a folder, <c>ab/cd/&lt;sha256&gt;</c> (two levels of 256 subfolders, so no
/// folder holds more than a few thousand files at a city's size). A file is written under a
/// temporary name in its folder and moved into place: it is whole or absent, never half-written.
/// </summary>
public sealed class FolderDocumentStore(string folder) : IDocumentStore
{
    public string Folder { get; } = Path.GetFullPath(folder);

    public async Task PutAsync(string sha256, byte[] content, CancellationToken cancellationToken)
    {
        if (DocumentFiles.Hash(content) != sha256)
            throw new ArgumentException($"the content's SHA-256 is not {sha256}", nameof(sha256));
        var path = PathOf(sha256);
        // Already there and whole: stored once. A damaged file is written again.
        if (File.Exists(path) && DocumentFiles.Hash(await File.ReadAllBytesAsync(path, cancellationToken)) == sha256)
            return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await file.WriteAsync(content, cancellationToken);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public async Task<byte[]?> GetAsync(string sha256, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(PathOf(sha256), cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken) => Task.FromResult(File.Exists(PathOf(sha256)));

    /// <summary>Where the file of a hash is; anything but 64 lowercase hex digits is refused, so a key never leaves the folder.</summary>
    public string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
            throw new ArgumentException($"“{sha256}” is not a SHA-256 in lowercase hex", nameof(sha256));
        return Path.Combine(Folder, sha256[..2], sha256[2..4], sha256);
    }
}
