using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MutualAid.Benefits;
using MutualAid.Data;
using Npgsql;

namespace MutualAid.Organisation;

/// <summary>
/// An office (办事处) of the association: the association itself, a province's, or a city's; a
/// city's office keeps one pooling region (统筹区) in its own PostgreSQL schema.
/// </summary>
public sealed record Office(string Code, string Name, string? Parent, string? Schema, string? Host = null)
{
    public bool IsRegion => Schema is not null;
}

/// <summary>
/// Many pooling regions in one PostgreSQL database (docs/decisions.md, “Many cities, one
/// deployment”): each region's tables are the same migrations applied in its own schema, so every
/// record belongs to its region by construction. A small directory in the <see cref="Schema"/>
/// schema names the offices (association → province → city) and which office each login belongs
/// to; the office users (association, provinces) are kept in that schema too. A database without
/// a directory is one region, as before; SQLite is always one.
/// </summary>
public sealed partial class RegionDirectory(Database database)
{
    /// <summary>The association's schema: the directory and the office users.</summary>
    public const string Schema = "association";

    /// <summary>The region a CLI verb or a web instance works in when none is named (<c>--region</c>).</summary>
    public const string EnvironmentVariable = "MUTUALAID_REGION";

    /// <summary>The database as configured, without any region's search path: the directory's tables are named with their schema.</summary>
    private readonly Database _base = database.InSchema(null);

    public static string SchemaFor(string regionCode) => "region_" + regionCode.Trim().ToLowerInvariant();

    /// <summary>The schema a context works in (its search path), null for the database's default.</summary>
    public static string? SchemaOf(MutualAidDbContext db) =>
        db.Database.IsNpgsql() && new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).SearchPath is { Length: > 0 } path ? path : null;

    /// <summary>
    /// Points a context that has not opened its connection yet at a schema (null: <paramref name="database"/>
    /// as configured); the web does this for each request, from the signed-in user's region.
    /// </summary>
    public static void Use(MutualAidDbContext db, Database database, string? schema)
    {
        var target = (schema is null ? database : database.InSchema(schema)).Opened;
        if (db.Database.GetConnectionString() != target)
            db.Database.SetConnectionString(target);
    }

    /// <summary>Whether the database holds a directory (PostgreSQL with regions added).</summary>
    public async Task<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        if (_base.Provider != DatabaseProvider.Postgres)
            return false;
        await using var db = _base.CreateContext();
        return await ExistsAsync(db, cancellationToken);
    }

    private static async Task<bool> ExistsAsync(MutualAidDbContext db, CancellationToken cancellationToken) =>
        await db.Database.SqlQueryRaw<bool>($"SELECT to_regclass('{Schema}.logins') IS NOT NULL AS \"Value\"").SingleAsync(cancellationToken);

    /// <summary>
    /// Creates the directory and the association's schema (again changes nothing); every login of the
    /// default region is entered, so a login stays unique across the deployment.
    /// </summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (_base.Provider != DatabaseProvider.Postgres)
            throw new InvalidInputException("统筹区", "多个统筹区只能建在 PostgreSQL 数据库中（SQLite 数据库是一个统筹区）");
        await using (var db = _base.CreateContext())
        {
            await db.Database.ExecuteSqlRawAsync($"""
                CREATE SCHEMA IF NOT EXISTS {Schema};
                CREATE TABLE IF NOT EXISTS {Schema}.offices (
                    code varchar(12) PRIMARY KEY,
                    name varchar(50) NOT NULL,
                    parent_code varchar(12) REFERENCES {Schema}.offices (code),
                    region_schema varchar(63) UNIQUE);
                ALTER TABLE {Schema}.offices ADD COLUMN IF NOT EXISTS host varchar(253) UNIQUE;
                CREATE TABLE IF NOT EXISTS {Schema}.logins (
                    user_name varchar(256) PRIMARY KEY,
                    office_code varchar(12) REFERENCES {Schema}.offices (code));
                """, cancellationToken);
            if (await db.Database.SqlQueryRaw<bool>("SELECT to_regclass('users') IS NOT NULL AS \"Value\"").SingleAsync(cancellationToken))
                await db.Database.ExecuteSqlRawAsync($"INSERT INTO {Schema}.logins (user_name) SELECT normalized_user_name FROM users WHERE normalized_user_name IS NOT NULL ON CONFLICT DO NOTHING", cancellationToken);
        }
        await _base.InSchema(Schema).MigrateAsync(cancellationToken);
    }

    /// <summary>Adds an office: the association (no parent, only one) or a province's under it.</summary>
    public async Task<Office> AddOfficeAsync(string code, string name, string? parent, CancellationToken cancellationToken) =>
        await AddAsync(code, name, parent, region: false, cancellationToken);

    /// <summary>Adds a city's office and its pooling region: the schema, migrated (again: migrates it).</summary>
    public async Task<Office> AddRegionAsync(string code, string name, string office, CancellationToken cancellationToken)
    {
        var added = await AddAsync(code, name, office, region: true, cancellationToken);
        var schema = _base.InSchema(added.Schema);
        // The schema's name is made of the code's letters and digits (checked) only.
        var create = "CREATE SCHEMA IF NOT EXISTS " + added.Schema;
        await using (var db = _base.CreateContext())
            await db.Database.ExecuteSqlRawAsync(create, cancellationToken);
        await schema.MigrateAsync(cancellationToken);
        return added;
    }

    private async Task<Office> AddAsync(string code, string name, string? parent, bool region, CancellationToken cancellationToken)
    {
        code = code.Trim();
        name = name.Trim();
        var problems = new List<Problem>();
        if (!CodePattern().IsMatch(code))
            problems.Add(new Problem("代码", $"“{code}”应为 1 至 12 位字母或数字（城市用行政区划代码，如 610100）"));
        if (name.Length is 0 or > 50)
            problems.Add(new Problem("名称", "不能为空，最多 50 字"));
        if (problems.Count > 0)
            throw new InvalidInputException(problems);
        await EnsureAsync(cancellationToken);
        var offices = await ListAsync(cancellationToken);
        var schema = region ? SchemaFor(code) : null;
        if (offices.SingleOrDefault(o => o.Code == code) is { } existing)
            return existing.Name == name && existing.Parent == parent && existing.Schema == schema ? existing
                : throw new InvalidInputException($"办事处 {code}", $"已登记为 {existing.Name}{(existing.IsRegion ? "（统筹区）" : "")}，上级 {existing.Parent ?? "无"}");
        if (parent is null && offices.Count > 0)
            throw new InvalidInputException("上级办事处", $"已有 {offices.First(o => o.Parent is null).Name}：新的办事处须指明上级（--parent）");
        if (parent is not null && offices.SingleOrDefault(o => o.Code == parent) is not { IsRegion: false })
            throw new InvalidInputException("上级办事处", $"没有代码为 {parent} 的总会或省级办事处（mutualaid region list）");
        await using var db = _base.CreateContext();
        await db.Database.ExecuteSqlAsync($"INSERT INTO association.offices (code, name, parent_code, region_schema) VALUES ({code}, {name}, {parent}, {schema}) ON CONFLICT DO NOTHING", cancellationToken);
        return (await ListAsync(cancellationToken)).Single(o => o.Code == code);
    }

    /// <summary>Every office, parents before children.</summary>
    public async Task<IReadOnlyList<Office>> ListAsync(CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(cancellationToken))
            return [];
        await using var db = _base.CreateContext();
        var rows = await db.Database.SqlQuery<OfficeRow>($"""
            WITH RECURSIVE tree AS (
                SELECT code, name, parent_code, region_schema, host, code::text AS path FROM association.offices WHERE parent_code IS NULL
                UNION ALL
                SELECT o.code, o.name, o.parent_code, o.region_schema, o.host, t.path || '/' || o.code FROM association.offices o JOIN tree t ON o.parent_code = t.code)
            SELECT code AS "Code", name AS "Name", parent_code AS "Parent", region_schema AS "Schema", host AS "Host" FROM tree ORDER BY path
            """).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new Office(r.Code, r.Name, r.Parent, r.Schema, r.Host))];
    }

    /// <summary>
    /// The host name under which a region's own people reach the web (e.g. <c>xa.example.org</c>): the
    /// pages nobody is signed in to (self-registration, a forgotten password, the payment gateway's
    /// notifications) work in that region. Null removes it.
    /// </summary>
    public async Task<Office> SetHostAsync(string code, string? host, CancellationToken cancellationToken)
    {
        host = string.IsNullOrWhiteSpace(host) ? null : host.Trim().TrimEnd('.').ToLowerInvariant();
        if (host is not null && !HostPattern().IsMatch(host))
            throw new InvalidInputException("主机名", $"“{host}”不是主机名（字母、数字、连字符和点，如 xa.example.org，不含 http:// 和端口）");
        var offices = await ListAsync(cancellationToken);
        if (offices.SingleOrDefault(o => o.Code == code.Trim()) is not { IsRegion: true } region)
            throw new InvalidInputException("统筹区", $"没有代码为 {code.Trim()} 的统筹区（mutualaid region list）");
        if (host is not null && offices.FirstOrDefault(o => o.Host == host && o.Code != region.Code) is { } other)
            throw new InvalidInputException("主机名", $"{host} 已是统筹区 {other.Code} {other.Name}的主机名");
        await using var db = _base.CreateContext();
        try
        {
            await db.Database.ExecuteSqlAsync($"UPDATE association.offices SET host = {host} WHERE code = {region.Code}", cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new InvalidInputException("主机名", $"{host} 已是另一个统筹区的主机名");
        }
        return region with { Host = host };
    }

    /// <summary>The regions an office sees in its roll-up: its own, or those of the offices beneath it.</summary>
    public async Task<IReadOnlyList<Office>> RegionsUnderAsync(string office, CancellationToken cancellationToken)
    {
        var all = await ListAsync(cancellationToken);
        var under = new HashSet<string>(StringComparer.Ordinal) { office };
        foreach (var o in all.Where(o => o.Parent is not null && under.Contains(o.Parent)))
            under.Add(o.Code);
        return [.. all.Where(o => o.IsRegion && under.Contains(o.Code))];
    }

    /// <summary>Where a login signs in: its region's schema, the association's for an office user, null for the default region (or no directory).</summary>
    public async Task<string?> SchemaOfLoginAsync(string userName, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(cancellationToken))
            return null;
        var office = await OfficeOfLoginAsync(userName, cancellationToken);
        if (office is null)
            return null;
        await using var db = _base.CreateContext();
        return await db.Database.SqlQuery<string>($"SELECT coalesce(region_schema, {Schema}) AS \"Value\" FROM association.offices WHERE code = {office}").SingleAsync(cancellationToken);
    }

    /// <summary>The office a login belongs to, null for the default region's logins and unknown ones.</summary>
    public async Task<string?> OfficeOfLoginAsync(string userName, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(cancellationToken))
            return null;
        await using var db = _base.CreateContext();
        var normalized = userName.Trim().ToUpperInvariant();
        return await db.Database.SqlQuery<string?>($"SELECT office_code AS \"Value\" FROM association.logins WHERE user_name = {normalized}").SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Enters a new login in the directory, inside the caller's transaction: its office is
    /// <paramref name="office"/>, or the office of the region <paramref name="db"/> works in. A login
    /// any region or office holds already is refused. Nothing happens without a directory.
    /// </summary>
    public static async Task ClaimLoginAsync(MutualAidDbContext db, string userName, string? office, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql() || !await ExistsAsync(db, cancellationToken))
            return;
        var normalized = userName.Trim().ToUpperInvariant();
        var added = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO association.logins (user_name, office_code)
            VALUES ({normalized}, coalesce({office}, (SELECT code FROM association.offices WHERE region_schema = current_schema())))
            ON CONFLICT DO NOTHING
            """, cancellationToken);
        if (added == 0)
            throw new InvalidInputException("用户名", $"用户名 {userName.Trim()} 已被使用（登录名在所有统筹区和办事处中唯一）");
    }

    /// <summary>An office user (association or province): signs in to the association's schema and sees the roll-up of the office's regions.</summary>
    public async Task<Access.User> AddOfficeUserAsync(string userName, string displayName, string office, string password, CancellationToken cancellationToken)
    {
        if ((await ListAsync(cancellationToken)).SingleOrDefault(o => o.Code == office) is not { IsRegion: false })
            throw new InvalidInputException("办事处", $"没有代码为 {office} 的总会或省级办事处（城市的用户用 mutualaid user add --region 建在其统筹区）");
        await using var db = _base.InSchema(Schema).CreateContext();
        return await Access.UserAdmin.For(db).AddAsync(new Access.UserInput(userName, displayName, Access.Roles.Office, null, null, null), password, cancellationToken, office);
    }

    /// <summary>Every schema that holds the application's tables besides the default: the association's, then each region's.</summary>
    public async Task<IReadOnlyList<string>> SchemasAsync(CancellationToken cancellationToken) =>
        await ExistsAsync(cancellationToken) ? [Schema, .. (await ListAsync(cancellationToken)).Where(o => o.IsRegion).Select(o => o.Schema!)] : [];

    /// <summary>Migrates the default schema, the association's and every region's.</summary>
    public async Task<IReadOnlyList<string>> MigrateAllAsync(CancellationToken cancellationToken)
    {
        await database.MigrateAsync(cancellationToken);
        // A directory made by an earlier version gains what this one adds (the regions' host names).
        if (await ExistsAsync(cancellationToken))
            await EnsureAsync(cancellationToken);
        var schemas = await SchemasAsync(cancellationToken);
        foreach (var schema in schemas)
            await _base.InSchema(schema).MigrateAsync(cancellationToken);
        return schemas;
    }

    /// <summary>A region's code from its schema's name.</summary>
    public static string CodeOf(string schema) => schema.StartsWith("region_", StringComparison.Ordinal) ? schema["region_".Length..] : schema;

    private sealed class OfficeRow
    {
        public string Code { get; set; } = "";

        public string Name { get; set; } = "";

        public string? Parent { get; set; }

        public string? Schema { get; set; }

        public string? Host { get; set; }
    }

    [GeneratedRegex("^[A-Za-z0-9]{1,12}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")]
    private static partial Regex HostPattern();
}
