using Boucle.Matching.Engine;
using Boucle.Matching.Knowledge;

namespace Boucle.Matching.Tests;

public sealed class ExtraPathwayTests
{
    private static readonly TimeProvider Clock = new FixedClock(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));

    private static readonly MatchListing Barrels = new("o1", ListingKind.Offer, "tonnellerie", "Barriques réformées", "Fûts de chêne de 225 litres en fin de vie",
        Latitude: 44.85, Longitude: 0.48, CategoryCode: "wood.barrels");

    private static readonly MatchListing Insulation = new("n1", ListingKind.Need, "eco-construction", "Isolation phonique d'un local", "Cherchons de quoi amortir le bruit d'une salle de répétition",
        Latitude: 44.86, Longitude: 0.49, CategoryCode: "use.insulation");

    [Fact]
    public void A_pathway_added_by_a_facilitator_creates_a_match_the_shipped_knowledge_lacks()
    {
        var shipped = new SynergyEngine(Clock).Index([Barrels, Insulation]).Match(Barrels, 5);
        var added = new ValorisationPathway("wood.barrels", "use.insulation", "R0", 1, "barriques → panneaux acoustiques", "Atelier du 12 mars, animateur");
        var extended = new SynergyEngine(Clock, [added]).Index([Barrels, Insulation]).Match(Barrels, 5);

        Assert.DoesNotContain(shipped, m => m.Id == "n1" && m.Pathway.Contains("panneaux acoustiques", StringComparison.Ordinal));
        var match = Assert.Single(extended, m => m.Id == "n1");
        Assert.Contains("panneaux acoustiques", match.Pathway + string.Join(" ", match.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Pathways_naming_unknown_categories_are_ignored()
    {
        var taxonomy = Taxonomy.Default.WithPathways([new ValorisationPathway("nothing.here", "use.insulation", "R0", 1, "x", "y")]);
        Assert.Same(Taxonomy.Default, taxonomy);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
