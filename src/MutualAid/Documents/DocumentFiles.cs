using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore.Infrastructure;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Data;

namespace MutualAid.Documents;

/// <summary>Documents' bytes put in and read back from the context's <see cref="IDocumentStore"/>.</summary>
public static class DocumentFiles
{
    public const string Altered = "材料文件与登记的校验值不符，可能已被改动或损坏，已拒绝打开；请联系系统管理员从备份恢复";

    public const string Missing = "材料文件在文件库中找不到，可能未随数据库一起恢复或已被删除，无法打开；请联系系统管理员从备份恢复";

    public static string Hash(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The store the context was configured with (<see cref="Database.Configure"/>).</summary>
    public static IDocumentStore Documents(this MutualAidDbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<DocumentStoreExtension>()?.Store
        ?? throw new InvalidOperationException("the context has no document store: make it through Database");

    /// <summary>Puts the new documents' files in the store, before their rows are saved: a row is never without its file.</summary>
    public static async Task PutAsync(this MutualAidDbContext db, IEnumerable<ClaimDocument> documents, CancellationToken cancellationToken)
    {
        foreach (var document in documents)
        {
            if (document.Upload is { } upload)
                await db.Documents().PutAsync(document.Sha256, upload, cancellationToken);
        }
    }

    /// <summary>
    /// A document's bytes: from the store, or from its row while it has not been moved there, and
    /// only when their SHA-256 is the one registered; otherwise refused saying why.
    /// </summary>
    public static async Task<byte[]> ReadAsync(this MutualAidDbContext db, ClaimDocument document, CancellationToken cancellationToken)
    {
        var content = document.Content ?? await db.Documents().GetAsync(document.Sha256, cancellationToken)
            ?? throw new InvalidInputException($"材料 {document.FileName}", Missing);
        return Hash(content) == document.Sha256 ? content : throw new InvalidInputException($"材料 {document.FileName}", Altered);
    }

    /// <summary>Whether the document's file is in the store with the registered hash.</summary>
    internal static async Task<bool> StoredWholeAsync(this IDocumentStore store, string sha256, CancellationToken cancellationToken) =>
        await store.GetAsync(sha256, cancellationToken) is { } stored && Hash(stored) == sha256;
}
