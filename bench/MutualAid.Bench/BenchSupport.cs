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
}
