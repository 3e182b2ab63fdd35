using System.Data.Common;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace MutualAid.Data;

/// <summary>
/// Inserts many new entities by each database's fast path: binary COPY on PostgreSQL, one
/// prepared INSERT run again and again in the transaction on SQLite. The ids are reserved
/// here (from the table's sequence, or above its largest id under SQLite's write lock) and
/// set on the entities, so later rows can point at them. Tables, columns and conversions are
/// read from the EF model, so this path cannot drift from the mapping. The caller owns the
/// transaction.
/// </summary>
public static class BulkInsert
{
    public static async Task InsertAsync<T>(MutualAidDbContext db, IReadOnlyList<T> entities, CancellationToken cancellationToken) where T : class
    {
        if (entities.Count == 0)
            return;
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("BulkInsert runs inside the caller's transaction");
        var entityType = db.Model.FindEntityType(typeof(T))!;
        var table = entityType.GetTableName()!;
        var columns = ColumnsOf.GetOrAdd(entityType, Columns);
        var key = entityType.FindPrimaryKey()!.Properties.Single();
        var keyColumn = key.GetColumnName();

        var ids = await ReserveIdsAsync(transaction, table, keyColumn, entities.Count, cancellationToken);
        var setId = key.PropertyInfo!;
        for (var i = 0; i < entities.Count; i++)
            setId.SetValue(entities[i], ids[i]);

        if (transaction is NpgsqlTransaction npgsql)
            await CopyAsync(npgsql.Connection!, table, columns, entities, cancellationToken);
        else
            await InsertEachAsync((SqliteTransaction)transaction, table, columns, entities, cancellationToken);
    }

    /// <summary>
    /// On PostgreSQL, for the rest of the current transaction: the batch's reads (a few thousand
    /// keys each) planned as index look-ups. Costing one index descent per key, the planner
    /// otherwise scans whole tables (members, enrollments, claims) for every batch, and an import
    /// grows with the square of the database.
    /// </summary>
    public static Task LookUpByKeysAsync(MutualAidDbContext db, CancellationToken cancellationToken) =>
        db.Database.IsNpgsql()
            ? db.Database.ExecuteSqlRawAsync("SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off", cancellationToken)
            : Task.CompletedTask;

    private static async Task<long[]> ReserveIdsAsync(DbTransaction transaction, string table, string keyColumn, int count, CancellationToken cancellationToken)
    {
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        if (transaction is NpgsqlTransaction)
        {
            command.CommandText = $"SELECT nextval(pg_get_serial_sequence('{table}', '{keyColumn}')) FROM generate_series(1, {count})";
            var ids = new long[count];
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            for (var i = 0; await reader.ReadAsync(cancellationToken); i++)
                ids[i] = reader.GetInt64(0);
            return ids;
        }
        command.CommandText = $"SELECT COALESCE(MAX(\"{keyColumn}\"), 0) FROM \"{table}\"";
        var last = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        return [.. Enumerable.Range(1, count).Select(i => last + i)];
    }

    private static async Task CopyAsync<T>(NpgsqlConnection connection, string table, List<Column> columns, IReadOnlyList<T> entities, CancellationToken cancellationToken) where T : class
    {
        var names = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
        await using var writer = await connection.BeginBinaryImportAsync($"COPY \"{table}\" ({names}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        // The synchronous writes fill Npgsql's buffer and only block when it is sent: far cheaper than a task per value.
        foreach (var entity in entities)
        {
            writer.StartRow();
            foreach (var column in columns)
            {
                var value = column.Read(entity);
                if (value is null)
                    writer.WriteNull();
                else
                    writer.Write(value, PostgresType(value));
            }
        }
        await writer.CompleteAsync(cancellationToken);
    }

    private static Task InsertEachAsync<T>(SqliteTransaction transaction, string table, List<Column> columns, IReadOnlyList<T> entities, CancellationToken cancellationToken) where T : class
    {
        using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) " +
            $"VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
        var parameters = columns.Select((_, i) => command.Parameters.Add(new SqliteParameter($"$p{i}", null))).ToArray();
        command.Prepare();
        foreach (var entity in entities)
        {
            for (var i = 0; i < columns.Count; i++)
                parameters[i].Value = columns[i].Read(entity) ?? DBNull.Value;
            // SQLite works in the calling thread: the async call only adds a task per row.
            cancellationToken.ThrowIfCancellationRequested();
            command.ExecuteNonQuery();
        }
        return Task.CompletedTask;
    }

    private static NpgsqlDbType PostgresType(object value) => value switch
    {
        long => NpgsqlDbType.Bigint,
        int => NpgsqlDbType.Integer,
        string => NpgsqlDbType.Text,
        bool => NpgsqlDbType.Boolean,
        DateOnly => NpgsqlDbType.Date,
        decimal => NpgsqlDbType.Numeric,
        DateTime => NpgsqlDbType.TimestampTz,
        _ => throw new NotSupportedException($"bulk insert of {value.GetType().Name}"),
    };

    /// <summary>
    /// The columns of each entity type, compiled once: compiled afresh for every batch, their dynamic methods kept the
    /// finalizer thread nearly as busy as the import itself (a profile of the settlement feed).
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<IEntityType, List<Column>> ColumnsOf = new();

    /// <summary>Every column of the entity's table with how to read its stored value, owned values included.</summary>
    private static List<Column> Columns(IEntityType entityType)
    {
        var columns = entityType.GetProperties().Select(p => Column.For(p, owner: null)).ToList();
        // Owned values stored in the owner's row; an owned collection, or a value with a table of its own, is not written here.
        foreach (var navigation in entityType.GetNavigations().Where(n => n.TargetEntityType.IsOwned() && !n.IsCollection
            && n.TargetEntityType.GetTableName() == entityType.GetTableName()))
        {
            columns.AddRange(navigation.TargetEntityType.GetProperties()
                .Where(p => !p.IsPrimaryKey())
                .Select(p => Column.For(p, navigation.PropertyInfo)));
        }
        return columns;
    }

    /// <summary>A column and a compiled reader of its value as stored (after the mapping's conversion).</summary>
    private sealed record Column(string Name, Func<object, object?> Read)
    {
        public static Column For(IProperty property, PropertyInfo? owner)
        {
            // A new row's concurrency version, the one shadow property, starts at 0.
            if (property.IsShadowProperty())
                return property.ClrType == typeof(int) ? new Column(property.GetColumnName(), _ => 0) : throw new NotSupportedException($"bulk insert of {property.Name}");
            var entity = Expression.Parameter(typeof(object));
            Expression holder = owner is null
                ? Expression.Convert(entity, property.PropertyInfo!.DeclaringType!)
                : Expression.Property(Expression.Convert(entity, owner.DeclaringType!), owner);
            Expression value = Expression.Property(holder, property.PropertyInfo!);
            if (property.GetTypeMapping().Converter is { } converter)
            {
                // A converter takes the underlying type: a nullable value (an enum not yet known) is null or its value converted.
                value = Nullable.GetUnderlyingType(value.Type) is not null && converter.ModelClrType != value.Type
                    ? Expression.Condition(Expression.Property(value, "HasValue"),
                        Expression.Convert(Expression.Invoke(converter.ConvertToProviderExpression, Expression.Property(value, "Value")), typeof(object)),
                        Expression.Constant(null, typeof(object)))
                    : Expression.Invoke(converter.ConvertToProviderExpression, value);
            }
            var read = Expression.Lambda<Func<object, object?>>(Expression.Convert(value, typeof(object)), entity).Compile();
            return new Column(property.GetColumnName(), read);
        }
    }
}
