using System.Diagnostics;
using System.Globalization;
using Boucle.Bench.Generator;

namespace Boucle.Bench.Matching;

public static class MatchingBench
{
    public static Task<int> RunAsync(string[] args)
    {
        var n = Arg(args, "--listings", 100_000);
        var seed = Arg(args, "--seed", 42);
        var sw = Stopwatch.StartNew();
        var (orgs, listings) = TerritoryGenerator.Generate(n, seed);
        Console.WriteLine($"generated {listings.Count} listings, {orgs.Count} organisations in {sw.ElapsedMilliseconds} ms");
        Console.WriteLine($"distinct titles: {listings.Select(l => l.Title).Distinct().Count()}, offers {listings.Count(l => l.IsOffer)}");
        foreach (var l in listings.Take(Arg(args, "--show", 0)))
        {
            Console.WriteLine($"{l.Id} {(l.IsOffer ? "O" : "N")} {l.OrganisationKey} [{l.CategoryCode}|{l.WasteCode}] {l.Title} — {l.Description} ({l.Quantity} {l.Unit} {l.Frequency}) {l.Latitude},{l.Longitude} {l.AvailableFrom}-{l.AvailableTo}");
        }

        return Task.FromResult(0);
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
