using System.Data.Common;
using Boucle.Web.Features.Reference;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Boucle.Web.Data;

/// Functions that queries call on both databases with the same formula, so distances agree to the
/// metre whichever provider answers. PostgreSQL gets it from a migration; SQLite from each connection.
public static class SqlFunctions
{
    public const string DistanceFunction = "boucle_distance_km";

    public static double DistanceKm(double lat1, double lon1, double lat2, double lon2) => Geo.DistanceKm(lat1, lon1, lat2, lon2);

    public const string PostgresDefinition = """
        CREATE OR REPLACE FUNCTION boucle_distance_km(lat1 double precision, lon1 double precision, lat2 double precision, lon2 double precision)
        RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
          SELECT 2 * 6371.0088 * asin(least(1, sqrt(
            power(sin(radians(lat2 - lat1) / 2), 2) +
            cos(radians(lat1)) * cos(radians(lat2)) * power(sin(radians(lon2 - lon1) / 2), 2))))
        $$;
        """;
}

public sealed class SqliteFunctionsInterceptor : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Register(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Register(connection);
        return Task.CompletedTask;
    }

    private static void Register(DbConnection connection)
    {
        if (connection is SqliteConnection sqlite)
        {
            sqlite.CreateFunction<double, double, double, double, double>(SqlFunctions.DistanceFunction, Geo.DistanceKm, isDeterministic: true);
        }
    }
}
