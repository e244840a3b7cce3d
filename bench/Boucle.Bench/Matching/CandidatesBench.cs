using System.Diagnostics;
using System.Globalization;
using Boucle.Bench.Generator;
using Boucle.Bench.Search;
using Boucle.Matching.Engine;
using Boucle.Web.Features.Listings;
using Npgsql;

namespace Boucle.Bench.Matching;

/// The engine's in-memory candidate search against the database way of selecting candidates:
/// a PostGIS radius query joined to the term index, on the same generated territory.
public static class CandidatesBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchOptions.Parse(["--provider", "postgres", .. args]);
        if (options?.Database is null)
        {
            Console.Error.WriteLine("usage: candidates --database ADMIN_CONNECTION [--listings 100000] [--queries 300] [--seed 42]");
            return 2;
        }

        Console.WriteLine($"# candidates: engine vs PostGIS, {options.Listings:N0} listings, {options.Queries} queries");
        var (organisations, listings) = TerritoryGenerator.Generate(options.Listings, options.Seed);
        await using var database = await BenchDatabase.CreateAsync(options);
        var sw = Stopwatch.StartNew();
        await database.LoadAsync(organisations, listings);
        Console.WriteLine($"load into PostgreSQL: {sw.Elapsed.TotalSeconds:0.0} s");

        var matchListings = TerritoryListings.ToMatchListings(organisations, listings);
        sw.Restart();
        var index = new SynergyEngine(TimeProvider.System).Index(matchListings);
        Console.WriteLine($"engine index: {sw.Elapsed.TotalSeconds:0.0} s");

        var random = new Random(options.Seed);
        var sample = Enumerable.Range(0, options.Queries).Select(_ => random.Next(listings.Count)).ToList();
        var text = new SearchText();
        var engine = new List<double>();
        var postgis = new List<double>();
        var candidates = 0L;
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        foreach (var i in sample)
        {
            var l = listings[i];
            sw.Restart();
            index.Match(matchListings[i], 10);
            engine.Add(sw.Elapsed.TotalMilliseconds);

            var terms = text.IndexTerms(l.Title, null).Select(t => t.Term).ToArray();
            sw.Restart();
            await using var command = new NpgsqlCommand("""
                SELECT l."Id" FROM "Listings" l
                WHERE l."Type" = @type AND l."Status" IN ('Published','Reserved')
                  AND ST_DWithin(l."Geog", ST_SetSRID(ST_MakePoint(@lon, @lat), 4326)::geography, 50000)
                  AND l."Id" IN (SELECT t."ListingId" FROM "ListingTerms" t WHERE t."Term" = ANY(@terms))
                LIMIT 500
                """, connection);
            command.Parameters.AddWithValue("type", l.IsOffer ? "Need" : "Offer");
            command.Parameters.AddWithValue("lon", l.Longitude);
            command.Parameters.AddWithValue("lat", l.Latitude);
            command.Parameters.AddWithValue("terms", terms);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                candidates++;
            }

            postgis.Add(sw.Elapsed.TotalMilliseconds);
        }

        string P(List<double> v, int p) => v.Order().ElementAt(Math.Clamp((int)Math.Ceiling(p / 100.0 * v.Count) - 1, 0, v.Count - 1)).ToString("0.00", CultureInfo.InvariantCulture);
        Console.WriteLine("| path | p50 ms | p95 ms | what it returns |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| engine Match (top 10, scored, with reasons) | {P(engine, 50)} | {P(engine, 95)} | ranked counterparts |");
        Console.WriteLine($"| PostGIS radius + term query (candidates only) | {P(postgis, 50)} | {P(postgis, 95)} | {candidates / (double)sample.Count:0} unscored candidates on average |");
        return 0;
    }
}
