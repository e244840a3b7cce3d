using System.Data.Common;
using System.Globalization;
using Boucle.Web.Data;
using Boucle.Web.Features.Listings;

namespace Boucle.Bench.Search;

/// The statements of the board's word search (IListingSearchSteps), written by hand in SQL with ADO.NET, for
/// the benchmark's comparison: the listing filters are those of its queries (shown status, no suspended
/// organisation, type and circle on the postings).
public sealed class HandWrittenSteps(DbConnection connection, bool postgres, IReadOnlyCollection<int> suspended) : IListingSearchSteps
{
    public async Task<int> CountPostingsAsync(string[] terms, int cap, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"""SELECT count(*) FROM (SELECT 1 FROM "ListingTerms" WHERE "Term" IN ({List(command, terms)}) LIMIT {cap}) x""";
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    public async Task<List<Posting>> PostingsAsync(PostingRead read, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        var sql = new System.Text.StringBuilder($"""SELECT "ListingId", "Weight", "Latitude", "Longitude" FROM "ListingTerms" WHERE """);
        sql.Append(read.Terms.Length == 1 ? $"\"Term\" = {Add(command, read.Terms[0])}" : $"\"Term\" IN ({List(command, read.Terms)})");
        if (read.Weight is { } weight)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND \"Weight\" = {Add(command, weight)}");
        }

        if (read.BeforeListingId is { } before)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND \"ListingId\" < {Add(command, before)}");
        }

        if (read.Type is { } type)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND \"Type\" = {Add(command, type.ToString())}");
        }

        if (read.Circle is { } c)
        {
            var b = c.Box;
            var (lat, lon) = (Add(command, c.Latitude), Add(command, c.Longitude));
            var distance = postgres ? $"boucle_distance_km(\"Latitude\", \"Longitude\", {lat}, {lon})" : SqlFunctions.SqliteHaversineSql("\"Latitude\"", "\"Longitude\"", lat, lon);
            var latitude = read.Weight is null ? "\"Latitude\"" : "\"Latitude\" + 0";
            sql.Append(CultureInfo.InvariantCulture, $" AND {latitude} >= {Add(command, b.MinLat)} AND {latitude} <= {Add(command, b.MaxLat)} AND \"Longitude\" >= {Add(command, b.MinLon)} AND \"Longitude\" <= {Add(command, b.MaxLon)} AND {distance} <= {Add(command, c.RadiusKm)}");
        }

        if (read.Weight is not null)
        {
            sql.Append(" ORDER BY \"ListingId\" DESC");
        }

        sql.Append(CultureInfo.InvariantCulture, $" LIMIT {read.Take}");
        command.CommandText = sql.ToString();
        var postings = new List<Posting>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            postings.Add(new Posting(reader.GetInt32(0), reader.GetInt32(1), reader.GetDouble(2), reader.GetDouble(3)));
        }

        return postings;
    }

    public async Task<List<TermWeight>> TermsOfAsync(int[] listingIds, string[] terms, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"""SELECT "ListingId", "Term", "Weight" FROM "ListingTerms" WHERE "Term" IN ({List(command, terms)}) AND {Ids(command, "ListingId", listingIds)}""";
        var weights = new List<TermWeight>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            weights.Add(new TermWeight(reader.GetInt32(0), reader.GetString(1), reader.GetInt32(2)));
        }

        return weights;
    }

    public async Task<List<ShownListing>> ShownAsync(int[] listingIds, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        var organisations = suspended.Count == 0 ? "" : $" AND \"OrganisationId\" NOT IN ({string.Join(',', suspended)})";
        command.CommandText = $"""SELECT "Id", "PublishedAt" FROM "Listings" WHERE {Ids(command, "Id", listingIds)} AND "Status" IN ('Published', 'Reserved') AND "PublishedAt" IS NOT NULL{organisations}""";
        var shown = new List<ShownListing>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            shown.Add(new ShownListing(reader.GetInt32(0), reader.IsDBNull(1) ? null : DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc)));
        }

        return shown;
    }

    /// A list of ids: one array parameter on PostgreSQL, the numbers themselves on SQLite (they are integers).
    private string Ids(DbCommand command, string column, int[] ids) => postgres
        ? $"\"{column}\" = ANY ({Add(command, ids)})"
        : $"\"{column}\" IN ({string.Join(',', ids)})";

    private static string List(DbCommand command, string[] values) => string.Join(", ", values.Select(v => Add(command, v)));

    private static string Add(DbCommand command, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = $"@p{command.Parameters.Count}";
        p.Value = value;
        command.Parameters.Add(p);
        return p.ParameterName;
    }
}
