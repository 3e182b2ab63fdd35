using System.Globalization;
using MutualAid.Common;
using MutualAid.Data;
using Npgsql;

namespace MutualAid.Bench;

internal static class BenchSupport
{
    public static void Say(FormattableString line) => Console.WriteLine(FormattableString.Invariant(line));

    /// <summary>The checkout, found upwards from the build output by its schemes/ folder.</summary>
    public static string Repository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "schemes")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("schemes/ not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A new empty database on the server, dropping one of the same name.</summary>
    public static async Task<Database> FreshPostgresAsync(string server, string name)
    {
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return Database.Parse(new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
    }

    /// <summary>Whether the server holds a database of that name.</summary>
    public static async Task<bool> PostgresExistsAsync(string server, string name)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var find = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        find.Parameters.AddWithValue("name", name);
        return await find.ExecuteScalarAsync() is not null;
    }

    /// <summary>Workers with valid ID numbers, 500 a birth day from 1970, all men, named 职工1…N.</summary>
    public static List<(string Id, string Name, string Phone)> People(int count)
    {
        var people = new List<(string, string, string)>(count);
        var birth = new DateOnly(1970, 1, 1);
        for (var i = 0; people.Count < count; i++)
        {
            var body = "330203" + birth.AddDays(i / 500).ToString("yyyyMMdd", CultureInfo.InvariantCulture) + (i % 500 * 2 + 1).ToString("D3", CultureInfo.InvariantCulture);
            people.Add((body + IdNumber.CheckCharacter(body), $"职工{i + 1}", $"138{i:D8}"));
        }
        return people;
    }

    private static readonly string[] Diagnoses = ["I10", "J18.9", "I63.9", "K35.8", "C50.9", "E11.9"];

    /// <summary>A settlement file's header, as the centre writes it.</summary>
    public static string SettlementHeader => string.Join(",", Settlements.ImportSettlements.Required.Concat(Settlements.ImportSettlements.Optional));

    /// <summary>One hospital stay of the person, discharged on the day, with random amounts and diagnosis.</summary>
    public static string SettlementLine(Random random, string setlId, string id, string name, DateOnly discharge)
    {
        var total = random.Next(1_000, 60_000);
        var fund = total * random.Next(45, 85) / 100;
        var personal = total - fund;
        var gender = (id[16] - '0') % 2 == 1 ? 1 : 2;
        return string.Create(CultureInfo.InvariantCulture,
            $"{setlId},{id},{name},{gender},310,21,{discharge.AddDays(-random.Next(2, 15)):yyyy-MM-dd},{discharge:yyyy-MM-dd},330203,{Diagnoses[random.Next(Diagnoses.Length)]},{total}.00,{fund}.00,0.00,0.00,{personal}.00,{personal}.00,宁波市第一医院,{discharge:yyyy-MM-dd} 10:00:00,0,");
    }
}
