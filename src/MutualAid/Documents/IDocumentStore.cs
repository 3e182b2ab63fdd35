namespace MutualAid.Documents;

/// <summary>
/// Where the bytes of uploaded documents live, keyed by their SHA-256 (64 lowercase hex digits,
/// the value the document rows hold): the same content is stored once. A folder by default
/// (<see cref="FolderDocumentStore"/>); an object store (S3, OSS, MinIO) would implement the same
/// calls with the hash as the object's key (docs/decisions.md). What is read is checked against
/// its hash by <see cref="DocumentFiles.ReadAsync"/>, not by the store.
/// </summary>
public interface IDocumentStore
{
    /// <summary>Stores the bytes under their hash, whole or not at all. Storing them again does nothing, so a unit of work tried again may put again.</summary>
    Task PutAsync(string sha256, byte[] content, CancellationToken cancellationToken);

    /// <summary>The bytes stored under the hash, as they are, or null when there are none.</summary>
    Task<byte[]?> GetAsync(string sha256, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken);
}
