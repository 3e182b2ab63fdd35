using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Reports;
using MutualAid.Tests.Claims;
using MutualAid.Tests.Web;
using Npgsql;

namespace MutualAid.Tests.Data;

/// <summary>
/// Lists and reports on a read-only connection (<c>Database:ReadOnly</c>, a streaming replica): they
/// answer through a PostgreSQL role that may only SELECT, which refuses any write; the web's list and
/// report pages read there, a record's own page the primary.
/// </summary>
public sealed class ReadOnlyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly UserScope City = new(0, "reviewer1", "reviewer1", new HashSet<string> { Roles.Reviewer }, null, null, null);

    [Fact]
    public async Task ThroughARoleThatMayOnlySelect_AListAndAReportAnswer_AndAWriteIsRefused()
    {
        await using var database = await ClaimSeed.PaidCityAsync("postgres");
        await ClaimSeed.ImportAsync(database, [ClaimSeed.Settlement("S1", 1, new DateOnly(2024, 6, 10), 10000, 7000, "I10")]);
        var primary = new NpgsqlConnectionStringBuilder(database.Database.ConnectionString);
        var role = $"reader_{Guid.NewGuid():N}"[..20];
        await using (var db = database.NewContext())
        {
            var grant = $"CREATE ROLE {role} LOGIN; GRANT USAGE ON SCHEMA public TO {role}; GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}";
            await db.Database.ExecuteSqlRawAsync(grant, Ct);
        }
        var replica = Database.Parse(new NpgsqlConnectionStringBuilder(primary.ConnectionString) { Username = role }.ConnectionString);

        try
        {
            await using var read = replica.CreateReadContext();
            var page = await ClaimList.PageAsync(read, City, new ClaimFilter(), ClaimList.Sorting, new PageRequest(), new DateTime(2024, 7, 1), null, Ct);
            var losses = await new FundReports(read).LossRatiosAsync(2024, Ct);
            read.AuditEntries.Add(new Auditing.AuditEntry(new DateTime(2024, 7, 1, 0, 0, 0, DateTimeKind.Utc), "reviewer1", "测试", "只读连接", null, null));
            var refused = await Assert.ThrowsAsync<DbUpdateException>(() => read.SaveChangesAsync(Ct));

            Assert.Equal(1, page.Total);
            Assert.NotEmpty(losses);
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, Assert.IsType<PostgresException>(refused.InnerException).SqlState);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var db = database.NewContext();
            var drop = $"DROP OWNED BY {role}; DROP ROLE {role}";
            await db.Database.ExecuteSqlRawAsync(drop, Ct);
        }
    }

    [Fact]
    public async Task TheWebsListsAndReports_ReadTheReadOnlyConnection_ARecordsPageThePrimary()
    {
        var replicaFile = Path.Combine(Path.GetTempPath(), $"mutualaid-replica-{Guid.NewGuid():N}.db");
        await using var server = await WebServer.StartAsync(("Database__ReadOnly", $"Data Source={replicaFile};Mode=ReadOnly"));
        try
        {
            // The replica: a copy of the primary in which one member's name differs, so each page says where it read.
            long id;
            await using (var primary = new SqliteConnection(server.ConnectionString))
            {
                await primary.OpenAsync(Ct);
                await using var copy = primary.CreateCommand();
                copy.CommandText = $"VACUUM INTO '{replicaFile}'";
                await copy.ExecuteNonQueryAsync(Ct);
            }
            await using (var db = Database.Parse(replicaFile).CreateContext())
            {
                id = await db.Members.Where(m => db.Claims.Any(c => c.MemberId == m.Id)).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync(Ct);
                await db.Members.Where(m => m.Id == id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Name, "副本中的名字"), Ct);
            }
            SqliteConnection.ClearAllPools();

            using var reviewer = await PlainBrowser.SignInAsync(server.Url, "reviewer");
            using var list = await reviewer.GetAsync("/members?q=" + Uri.EscapeDataString("副本中的名字"));
            using var claims = await reviewer.GetAsync("/claims?q=" + Uri.EscapeDataString("副本中的名字"));
            using var record = await reviewer.GetAsync($"/members/{id}");
            using var finance = await PlainBrowser.SignInAsync(server.Url, "finance");
            using var reports = await finance.GetAsync("/reports");

            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            Assert.Contains("副本中的名字", WebUtility.HtmlDecode(await list.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
            Assert.Contains("副本中的名字", WebUtility.HtmlDecode(await claims.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
            Assert.DoesNotContain("副本中的名字", WebUtility.HtmlDecode(await record.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, reports.StatusCode);
            Assert.Contains("赔付率", WebUtility.HtmlDecode(await reports.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(replicaFile);
        }
    }
}
