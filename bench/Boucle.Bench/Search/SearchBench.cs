using System.Diagnostics;
using System.Globalization;
using Boucle.Bench.Generator;
using Boucle.Web.Features.Listings;

namespace Boucle.Bench.Search;

/// Search latency of the board on a generated territory: Boucle's search (EF Core, the shared
/// analyser, filters and distance) against the same query written by hand in SQL, same data, same run.
public static class SearchBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchOptions.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine("usage: search --provider sqlite|postgres [--listings 100000] [--queries 300] [--seed 42] [--database ADMIN_CONNECTION]");
            return 2;
        }

        Console.WriteLine($"# search benchmark: {options.Provider}, {options.Listings:N0} listings, {options.Queries} queries, seed {options.Seed}");
        var (organisations, listings) = TerritoryGenerator.Generate(options.Listings, options.Seed);
        await using var database = await BenchDatabase.CreateAsync(options);
        var load = Stopwatch.StartNew();
        await database.LoadAsync(organisations, listings);
        Console.WriteLine($"load: {load.Elapsed.TotalSeconds:0.0} s");

        var queries = TypicalQueries(options.Seed, options.Queries);
        var text = new SearchText();

        // Warm-up: JIT, connection pool, database caches.
        foreach (var q in queries.Take(20))
        {
            await BoucleSearch(database, text, q);
            await database.HandWrittenAsync(text, q);
        }

        var boucle = new List<double>();
        var manual = new List<double>();
        var totals = 0L;
        foreach (var q in queries)
        {
            var sw = Stopwatch.StartNew();
            var page = await BoucleSearch(database, text, q);
            boucle.Add(sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            var (total, ids) = await database.HandWrittenAsync(text, q);
            manual.Add(sw.Elapsed.TotalMilliseconds);
            totals += page.Total;
            if (page.Total != total || !page.Items.Select(i => i.Id).SequenceEqual(ids))
            {
                Console.WriteLine($"warning: results differ for {q}: boucle {page.Total} vs sql {total}");
            }
        }

        Console.WriteLine($"mean hits per query: {totals / (double)queries.Count:0.0}");
        Console.WriteLine("| query path | p50 ms | p95 ms | p99 ms |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| Boucle (ListingSearch, EF Core) | {P(boucle, 50):0.0} | {P(boucle, 95):0.0} | {P(boucle, 99):0.0} |");
        Console.WriteLine($"| hand-written SQL (ADO.NET) | {P(manual, 50):0.0} | {P(manual, 95):0.0} | {P(manual, 99):0.0} |");
        Console.WriteLine($"overhead p50: {P(boucle, 50) - P(manual, 50):0.0} ms, p95: {P(boucle, 95) - P(manual, 95):0.0} ms");
        return 0;
    }

    private static async Task<ListingPage> BoucleSearch(BenchDatabase database, SearchText text, BenchQuery q)
    {
        await using var db = database.NewContext();
        return await new ListingSearch(db, text).SearchAsync(q.ToListingQuery(), CancellationToken.None);
    }

    private static double P(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        var index = (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }

    /// What people type on the board: one to three words, often a type, usually "near me".
    private static List<BenchQuery> TypicalQueries(int seed, int count)
    {
        string[] words =
        [
            "palette", "palettes bois", "carton", "compost", "marc de café", "biodéchets", "drêches", "sciure", "huile",
            "big bag", "cuve", "ferraille", "verre", "textile", "bureau", "chaleur", "stockage", "camion frigorifique",
            "fumier", "paille", "plastique", "polystyrène", "gravats", "broyat", "pain", "fruits", "ordinateurs", "fûts",
        ];
        (double Lat, double Lon)[] towns = [(44.85427, 0.48645), (44.9, 0.4), (44.75, 0.6), (44.83, 0.7), (44.95, 0.55)];
        var random = new Random(seed);
        var queries = new List<BenchQuery>();
        for (var i = 0; i < count; i++)
        {
            var town = towns[random.Next(towns.Length)];
            queries.Add(new BenchQuery(
                Words: random.NextDouble() < 0.9 ? words[random.Next(words.Length)] : null,
                Type: random.Next(3) switch { 0 => ListingType.Offer, 1 => ListingType.Need, _ => null },
                Latitude: town.Lat,
                Longitude: town.Lon,
                RadiusKm: new[] { 10, 20, 30, 50 }[random.Next(4)],
                Sort: random.NextDouble() < 0.5 ? ListingSort.Relevance : ListingSort.Distance));
        }

        return queries;
    }
}

public sealed record BenchQuery(string? Words, ListingType? Type, double Latitude, double Longitude, double RadiusKm, ListingSort Sort)
{
    public ListingQuery ToListingQuery() => new()
    {
        Words = Words,
        Type = Type,
        Latitude = Latitude,
        Longitude = Longitude,
        RadiusKm = RadiusKm,
        Sort = Sort,
        Page = 1,
        PageSize = 20,
    };

    public override string ToString() => $"q={Words} type={Type} r={RadiusKm} sort={Sort}";
}

public sealed record BenchOptions(string Provider, int Listings, int Queries, int Seed, string? Database)
{
    public static BenchOptions? Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var provider = Value("--provider") ?? "sqlite";
        if (provider is not ("sqlite" or "postgres"))
        {
            return null;
        }

        return new BenchOptions(
            provider,
            int.Parse(Value("--listings") ?? "100000", CultureInfo.InvariantCulture),
            int.Parse(Value("--queries") ?? "300", CultureInfo.InvariantCulture),
            int.Parse(Value("--seed") ?? "42", CultureInfo.InvariantCulture),
            Value("--database") ?? Environment.GetEnvironmentVariable("BOUCLE_BENCH_POSTGRES"));
    }
}
