using Boucle.Matching.Engine;

namespace Boucle.Matching.Tests;

public sealed class EngineTests
{
    private static SynergyIndex Index(params MatchListing[] listings) => new SynergyEngine(FixedTime.Default).Index(listings);

    private static MatchListing Offer(string id, string org, string title, string? desc = null, double lat = 44.85, double lon = 0.48, string? waste = null) =>
        new(id, ListingKind.Offer, org, title, desc, Latitude: lat, Longitude: lon, WasteCode: waste);

    private static MatchListing Need(string id, string org, string title, string? desc = null, double lat = 44.85, double lon = 0.48, bool authorised = false) =>
        new(id, ListingKind.Need, org, title, desc, Latitude: lat, Longitude: lon, AuthorisedForHazardous: authorised);

    [Theory]
    [InlineData("Solvants usagés", "acétone souillée", null)]
    [InlineData("Huiles de vidange usagées", "huile moteur", null)]
    [InlineData("Fûts vides", "bidons", "15 01 10*")]
    [InlineData("Batteries de chariots", "batteries au plomb", null)]
    public void Hazardous_offers_are_never_proposed_to_unauthorised_needs(string title, string desc, string? waste)
    {
        var offer = Offer("o", "Garage", title, desc, waste: waste);
        var unauthorised = Need("n-bad", "Ferme", "Cherche " + title.ToLowerInvariant(), desc);
        var authorised = Need("n-ok", "Collecteur", "Collecteur agréé : " + title.ToLowerInvariant(), desc, authorised: true);
        var index = Index(offer, unauthorised, authorised);

        var fromOffer = index.Match(offer, 10).Select(m => m.Id).ToList();
        Assert.Contains("n-ok", fromOffer);
        Assert.DoesNotContain("n-bad", fromOffer);
        Assert.DoesNotContain(index.Match(unauthorised, 10), m => m.Id == "o");
        Assert.Contains(index.Match(authorised, 10), m => m.Id == "o");
    }

    [Fact]
    public void An_organisation_is_never_matched_with_itself()
    {
        var index = Index(
            Offer("o1", "Scierie Lagrange", "Sciure de bois"),
            Need("n1", "scierie lagrange ", "Recherche sciure"),
            Need("n2", "Centre équestre", "Recherche sciure pour litière"));
        Assert.Equal(["n2"], index.Match(Offer("o1", "Scierie Lagrange", "Sciure de bois"), 5).Select(m => m.Id));
    }

    [Fact]
    public void Offers_meet_needs_only()
    {
        var a = Offer("o1", "A", "Palettes bois");
        var index = Index(a, Offer("o2", "B", "Palettes bois"), Need("n1", "C", "Recherche palettes"));
        Assert.Equal(["n1"], index.Match(a, 5).Select(m => m.Id));
    }

    [Fact]
    public void Near_beats_far_for_the_same_need()
    {
        var offer = Offer("o", "Cave", "Marc de raisin", "60 tonnes après vendange", 44.795, 0.489);
        var index = Index(
            offer,
            Need("far", "Distillerie charentaise", "Recherche marcs de raisin", "distillation", 45.686, -0.330),
            Need("near", "Distillerie du Périgord", "Recherche marcs de raisin", "distillation", 44.817, 0.449));
        var result = index.Match(offer, 5);
        Assert.Equal(["near", "far"], result.Select(m => m.Id));
        Assert.True(result[0].DistanceKm < 10);
        Assert.Contains(result[0].Reasons, r => r.EndsWith(" km", StringComparison.Ordinal));
    }

    [Fact]
    public void Results_explain_pathway_distance_flow_and_quantity()
    {
        var offer = new MatchListing("o", ListingKind.Offer, "Restaurant", "Marc de café", "30 kg par semaine", 30, "kg", "weekly", 44.8478, 0.5590);
        var need = new MatchListing("n", ListingKind.Need, "Champignonnière", "Recherche substrat pour pleurotes", null, 1, "t", "yearly", 44.8558, 0.4940);
        var m = Assert.Single(Index(offer, need).Match(offer, 5));
        Assert.Equal("marc de café → substrat pour champignons", m.Reasons[0]);
        Assert.Contains("5 km", m.Reasons);
        Assert.Contains("flux hebdomadaire", m.Reasons);
        Assert.Contains(m.Reasons, r => r.StartsWith("quantités compatibles (≈ 1,6 t/an)", StringComparison.Ordinal));
        Assert.InRange(m.Score, 0.3, 1);
        Assert.StartsWith("R3", m.Pathway, StringComparison.Ordinal);
    }

    [Fact]
    public void Matching_is_deterministic()
    {
        var csv = Run.DataFile("synergies-dev.csv");
        var first = Run.Command(csv, 10).Out;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(first, Run.Command(csv, 10).Out);
        }
    }

    [Fact]
    public void Expired_offers_are_not_proposed()
    {
        var need = Need("n", "Ferme", "Recherche paille");
        var index = Index(
            need,
            new MatchListing("old", ListingKind.Offer, "A", "Paille en bottes", AvailableTo: new DateOnly(2026, 2, 1)),
            new MatchListing("new", ListingKind.Offer, "B", "Paille en bottes", AvailableFrom: new DateOnly(2026, 2, 1)));
        Assert.Equal(["new"], index.Match(need, 5).Select(m => m.Id));
    }

    [Fact]
    public void Listing_outside_the_index_can_be_matched()
    {
        var index = Index(Need("n", "Ferme", "Recherche fumier pour fertiliser"));
        var m = Assert.Single(index.Match(Offer("o", "Haras", "Fumier de cheval"), 5));
        Assert.Equal("n", m.Id);
    }
}
