using Boucle.Web.Features.Reference;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;

namespace Boucle.Web.Data;

/// Functions that queries call on both databases with the same formula, so distances agree to the
/// metre whichever provider answers. PostgreSQL gets it from a migration; on SQLite EF writes it out
/// with the built-in math functions (SqliteDbContext).
public static class SqlFunctions
{
    public const string DistanceFunction = "boucle_distance_km";

    public static double DistanceKm(double lat1, double lon1, double lat2, double lon2) => Geo.DistanceKm(lat1, lon1, lat2, lon2);

    private static readonly RelationalTypeMapping Real = new DoubleTypeMapping("REAL");

    /// 2·R·asin(min(1, √(sin²(Δφ/2) + cos φ1 · cos φ2 · sin²(Δλ/2)))) as SQLite SQL.
    public static SqlExpression SqliteHaversine(IReadOnlyList<SqlExpression> args)
    {
        SqlExpression F(string name, params SqlExpression[] a) =>
            new SqlFunctionExpression(name, a, nullable: true, argumentsPropagateNullability: [.. a.Select(_ => true)], typeof(double), Real);
        SqlExpression B(System.Linq.Expressions.ExpressionType op, SqlExpression l, SqlExpression r) => new SqlBinaryExpression(op, l, r, typeof(double), Real);
        SqlExpression C(double v) => new SqlConstantExpression(v, typeof(double), Real);
        var (lat1, lon1, lat2, lon2) = (args[0], args[1], args[2], args[3]);
        var sinDLat = F("sin", B(System.Linq.Expressions.ExpressionType.Divide, F("radians", B(System.Linq.Expressions.ExpressionType.Subtract, lat2, lat1)), C(2)));
        var sinDLon = F("sin", B(System.Linq.Expressions.ExpressionType.Divide, F("radians", B(System.Linq.Expressions.ExpressionType.Subtract, lon2, lon1)), C(2)));
        var a = B(System.Linq.Expressions.ExpressionType.Add,
            B(System.Linq.Expressions.ExpressionType.Multiply, sinDLat, sinDLat),
            B(System.Linq.Expressions.ExpressionType.Multiply,
                B(System.Linq.Expressions.ExpressionType.Multiply, F("cos", F("radians", lat1)), F("cos", F("radians", lat2))),
                B(System.Linq.Expressions.ExpressionType.Multiply, sinDLon, sinDLon)));
        return B(System.Linq.Expressions.ExpressionType.Multiply, C(2 * 6371.0088), F("asin", F("min", C(1), F("sqrt", a))));
    }

    /// The same formula as text, for hand-written SQLite queries (benchmarks).
    public static string SqliteHaversineSql(string lat1, string lon1, string lat2, string lon2) =>
        $"(2 * 6371.0088 * asin(min(1, sqrt(sin(radians({lat2} - {lat1}) / 2) * sin(radians({lat2} - {lat1}) / 2) + cos(radians({lat1})) * cos(radians({lat2})) * sin(radians({lon2} - {lon1}) / 2) * sin(radians({lon2} - {lon1}) / 2)))))";

    public const string PostgresDefinition = """
        CREATE OR REPLACE FUNCTION boucle_distance_km(lat1 double precision, lon1 double precision, lat2 double precision, lon2 double precision)
        RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT 2 * 6371.0088 * asin(least(1, sqrt(
            power(sin(radians(lat2 - lat1) / 2), 2) +
            cos(radians(lat1)) * cos(radians(lat2)) * power(sin(radians(lon2 - lon1) / 2), 2))))
        $$;
        """;
}
