using System.Net;
using Microsoft.EntityFrameworkCore;
using MutualAid.Claims;
using MutualAid.Documents;

namespace MutualAid.Tests.Web;

/// <summary>
/// A claim's document opened in the browser from the document store the demo city wrote to: the
/// same bytes as uploaded; a file gone from the store is said in Chinese, not a server error.
/// </summary>
public sealed class DocumentDownloadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Download_GivesTheStoredBytes_AndAMissingFileIsSaid()
    {
        await using var server = await WebServer.StartAsync();
        var documents = new List<(string Url, string Sha256)>();
        await using (var db = MutualAid.Data.Database.Parse(server.ConnectionString).CreateContext())
        {
            foreach (var sha in await db.ClaimDocuments.Select(d => d.Sha256).Distinct().OrderBy(s => s).ToListAsync(Ct))
            {
                var row = await db.ClaimDocuments.Where(d => d.Sha256 == sha).Join(db.Claims, d => d.ClaimId, c => c.Id, (d, c) => new { d.Id, c.EventDate, ClaimId = c.Id })
                    .OrderBy(r => r.Id).FirstAsync(Ct);
                documents.Add(($"/claims/{Claim.NumberOf(row.EventDate, row.ClaimId)}/documents/{row.Id}", sha));
            }
            Assert.Equal(0, await db.ClaimDocuments.CountAsync(d => d.Content != null, Ct));
        }
        using var reviewer = await PlainBrowser.SignInAsync(server.Url, "reviewer");

        // The demo's documents are a PDF and a PNG card, each stored once however many claims carry them.
        Assert.Equal(2, documents.Count);
        Assert.Equal(documents.Select(d => d.Sha256).Order(StringComparer.Ordinal), Directory.EnumerateFiles(server.DocumentFolder, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var (url, sha) in documents)
        {
            using var response = await reviewer.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(sha, DocumentFiles.Hash(await response.Content.ReadAsByteArrayAsync(Ct)));
        }
        File.Delete(new FolderDocumentStore(server.DocumentFolder).PathOf(documents[0].Sha256));
        using var missing = await reviewer.GetAsync(documents[0].Url);

        Assert.Equal(HttpStatusCode.Conflict, missing.StatusCode);
        Assert.Contains(DocumentFiles.Missing, WebUtility.HtmlDecode(await missing.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
    }
}
