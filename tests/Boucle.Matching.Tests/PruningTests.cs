using System.Globalization;
using Boucle.Matching.Batch;
using Boucle.Matching.Engine;

namespace Boucle.Matching.Tests;

/// <summary>The fast matcher prunes with upper bounds; it must return exactly what scoring every pair returns.</summary>
public sealed class PruningTests
{
    [Theory]
    [InlineData("synergies-dev.csv", 1)]
    [InlineData("heldout.csv", 1)]
    [InlineData("synergies-dev.csv", 25)]
    [InlineData("heldout.csv", 25)]
    public void Match_returns_what_exhaustive_scoring_returns(string csv, int copies)
    {
        // Copies of the set with other organisations and shifted coordinates make a territory where the top k fills
        // up and the bounds actually skip candidates.
        var listings = Territory(csv, copies);
        var index = new SynergyEngine(FixedTime.Default).Index(listings);
        foreach (var top in new[] { 1, 5, 10 })
        {
            foreach (var l in listings.Take(400))
            {
                Assert.Equal(Describe(index.MatchExhaustive(l, top)), Describe(index.Match(l, top)));
            }
        }

        var all = index.MatchAll(5);
        for (var i = 0; i < listings.Length; i += 7)
        {
            Assert.Equal(Describe(index.MatchExhaustive(listings[i], 5)), Describe(all[i]));
        }
    }

    [Fact]
    public void A_new_listing_is_matched_as_exhaustive_scoring_would()
    {
        var listings = Territory("synergies-dev.csv", 10);
        var index = new SynergyEngine(FixedTime.Default).Index(listings.Skip(72));
        foreach (var l in listings.Take(72))
        {
            Assert.Equal(Describe(index.MatchExhaustive(l, 5)), Describe(index.Match(l, 5)));
        }
    }

    private static string Describe(IReadOnlyList<MatchResult> results) =>
        string.Join("\n", results.Select(r => FormattableString.Invariant(
            $"{r.Id} {r.Score} {r.Pathway} {r.DistanceKm} {string.Join("|", r.Reasons)} {r.Parts}")));

    private static MatchListing[] Territory(string csv, int copies)
    {
        var reader = new CsvRecordReader(new StringReader(Run.DataFile(csv)));
        var header = reader.Read()!.Value.Fields;
        var col = header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i, StringComparer.OrdinalIgnoreCase);
        var rows = new List<List<string>>();
        while (reader.Read() is { } r)
        {
            rows.Add(r.Fields);
        }

        string? Get(List<string> f, string name) => col.TryGetValue(name, out var i) && i < f.Count && f[i].Length > 0 ? f[i] : null;
        double? Num(List<string> f, string name) => Get(f, name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : null;
        var result = new List<MatchListing>();
        for (var copy = 0; copy < copies; copy++)
        {
            foreach (var f in rows)
            {
                // Deterministic spread: each copy moves by up to ~40 km.
                var dLat = ((copy * 7) % 11 - 5) * 0.07;
                var dLon = ((copy * 5) % 13 - 6) * 0.07;
                result.Add(new MatchListing(
                    copy == 0 ? Get(f, "id")! : $"{Get(f, "id")}-{copy}",
                    Get(f, "type") == "offer" ? ListingKind.Offer : ListingKind.Need,
                    copy == 0 ? Get(f, "organization") ?? "?" : $"{Get(f, "organization")} {copy}",
                    Get(f, "title")!,
                    Get(f, "description"),
                    Num(f, "quantity") is { } q ? (decimal)q : null,
                    Get(f, "unit"),
                    Get(f, "frequency"),
                    Num(f, "latitude") + (copy == 0 ? 0 : dLat),
                    Num(f, "longitude") + (copy == 0 ? 0 : dLon),
                    AuthorisedForHazardous: Get(f, "authorised_for_hazardous") is "yes"));
            }
        }

        return [.. result];
    }
}
