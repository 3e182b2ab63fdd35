using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;
using MutualAid.Common;

namespace MutualAid.Data;

/// <summary>
/// Functions that let the database do the arithmetic in a query (sums of money, days between two
/// times), so that figures are summed where the rows are and never by reading them into memory:
/// <c>claims.SumAsync(c => Sql.Fen(c.Total))</c>. Called outside a query they compute the same.
/// </summary>
public static class Sql
{
    /// <summary>Money as its whole fen: the stored column itself.</summary>
    public static long Fen(Money money) => money.Fen;

    /// <summary>The days, with their fraction, from one time to a later one.</summary>
    public static double Days(DateTime from, DateTime to) => (to - from).TotalDays;

    internal static void Map(ModelBuilder builder, bool postgres)
    {
        var integer = new LongTypeMapping(postgres ? "bigint" : "INTEGER");
        var real = new DoubleTypeMapping(postgres ? "double precision" : "REAL");
        builder.HasDbFunction(typeof(Sql).GetMethod(nameof(Fen))!).HasTranslation(args =>
            new SqlBinaryExpression(ExpressionType.Add, args[0], new SqlConstantExpression(0L, integer), typeof(long), integer));
        builder.HasDbFunction(typeof(Sql).GetMethod(nameof(Days))!).HasTranslation(args =>
        {
            SqlExpression Point(SqlExpression time) => postgres
                ? new SqlBinaryExpression(ExpressionType.Divide,
                    new SqlFunctionExpression("date_part", [new SqlConstantExpression("epoch", new StringTypeMapping("text", System.Data.DbType.String)), time], true, [false, true], typeof(double), real),
                    new SqlConstantExpression(86400.0, real), typeof(double), real)
                : new SqlFunctionExpression("julianday", [time], true, [true], typeof(double), real);
            return new SqlBinaryExpression(ExpressionType.Subtract, Point(args[1]), Point(args[0]), typeof(double), real);
        });
    }
}
