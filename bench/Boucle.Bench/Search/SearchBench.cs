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
            Console.Error.WriteLine("usage: search --provider sqlite|postgres [--listings 100000] [--queries 300] [--seed 42] [--database ADMIN_CONNECTION] [--keep] [--reuse FILE_OR_DATABASE] [--verify] [--slowest N]");
            return 2;
        }

        Console.WriteLine($"# search benchmark: {options.Provider}, {options.Listings:N0} listings, {options.Queries} queries, seed {options.Seed}");
        var (organisations, listings) = TerritoryGenerator.Generate(options.Listings, options.Seed);
        await using var database = await BenchDatabase.CreateAsync(options);
        if (options.Reuse is null)
        {
            var load = Stopwatch.StartNew();
            await database.LoadAsync(organisations, listings);
            Console.WriteLine($"load: {load.Elapsed.TotalSeconds:0.0} s");
        }

        var queries = TypicalQueries(options.Seed, options.Queries);
        if (Environment.GetEnvironmentVariable("BOUCLE_BENCH_WORDS") is { } only)
        {
            // Diagnosis: only the queries with these words ("" for none).
            queries = [.. queries.Where(q => (q.Words ?? "") == only)];
        }

        var text = new SearchText();

        // Warm-up: JIT, connection pool, database caches.
        foreach (var q in queries.Take(20))
        {
            await BoucleSearch(database, text, q);
            await database.HandWrittenAsync(text, q);
        }

        var cpu = new CpuClock();
        if (options.Provider == "postgres")
        {
            await cpu.FindBackendsAsync(database.ConnectionString);
        }

        var boucle = new List<double>();
        var manual = new List<double>();
        var boucleCpu = new List<double>();
        var manualCpu = new List<double>();
        var totals = 0L;
        var capped = 0;
        var wrong = 0;
        foreach (var q in queries)
        {
            var c0 = cpu.NowMs();
            var sw = Stopwatch.StartNew();
            var page = await BoucleSearch(database, text, q);
            boucle.Add(sw.Elapsed.TotalMilliseconds);
            var c1 = cpu.NowMs();
            boucleCpu.Add(c1 - c0);
            sw.Restart();
            var (total, ids) = await database.HandWrittenAsync(text, q);
            manual.Add(sw.Elapsed.TotalMilliseconds);
            manualCpu.Add(cpu.NowMs() - c1);
            totals += page.Total;
            capped += page.TotalCapped ? 1 : 0;
            if (page.Total != total || !page.Items.Select(i => i.Id).SequenceEqual(ids))
            {
                Console.WriteLine($"warning: results differ for {q}: boucle {page.Total} vs sql {total}");
            }

            if (options.Verify)
            {
                // The plain query (count everything, sort every hit) must give the same page.
                var (_, full) = await database.FullSortAsync(text, q);
                if (!page.Items.Select(i => i.Id).SequenceEqual(full))
                {
                    wrong++;
                    Console.WriteLine($"warning: page differs from the full sort for {q}");
                }
            }
        }

        Console.WriteLine($"mean hits per query (counted up to {ListingSearch.CountCap:N0}): {totals / (double)queries.Count:0.0}; over the cap: {capped} of {queries.Count}");
        if (options.Verify)
        {
            Console.WriteLine($"pages checked against the full sort: {queries.Count}, different: {wrong}");
        }

        foreach (var (q, ms) in queries.Zip(boucleCpu).OrderByDescending(x => x.Second).Take(options.Slowest))
        {
            Console.WriteLine($"slow: {ms:0.0} ms CPU  {q}");
        }

        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine("| query path | p50 ms | p95 ms | p99 ms | CPU p50 ms | CPU p95 ms |");
        Console.WriteLine("|---|---|---|---|---|---|");
        Console.WriteLine($"| Boucle (ListingSearch, EF Core) | {P(boucle, 50):0.0} | {P(boucle, 95):0.0} | {P(boucle, 99):0.0} | {P(boucleCpu, 50):0.0} | {P(boucleCpu, 95):0.0} |");
        Console.WriteLine($"| hand-written SQL (ADO.NET) | {P(manual, 50):0.0} | {P(manual, 95):0.0} | {P(manual, 99):0.0} | {P(manualCpu, 50):0.0} | {P(manualCpu, 95):0.0} |");
        Console.WriteLine($"overhead p50: {P(boucle, 50) - P(manual, 50):0.0} ms, p95: {P(boucle, 95) - P(manual, 95):0.0} ms");
        Console.WriteLine(cpu.SeesServer
            ? "CPU = this process + the PostgreSQL server processes of the benchmark's connections"
            : "CPU = this process (SQLite runs inside it)");
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

/// --keep leaves the loaded database in place; --reuse runs the queries on one kept earlier (same --listings and --seed).
public sealed record BenchOptions(string Provider, int Listings, int Queries, int Seed, string? Database, bool Keep = false, string? Reuse = null, bool Verify = false, int Slowest = 0)
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
            Value("--database") ?? Environment.GetEnvironmentVariable("BOUCLE_BENCH_POSTGRES"),
            args.Contains("--keep"),
            Value("--reuse"),
            args.Contains("--verify"),
            int.Parse(Value("--slowest") ?? "0", CultureInfo.InvariantCulture));
    }
}
