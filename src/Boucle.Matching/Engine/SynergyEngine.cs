using Boucle.Matching.Classification;
using Boucle.Matching.Knowledge;
using Boucle.Matching.Text;

namespace Boucle.Matching.Engine;

/// <summary>
/// The synergy engine: prepares an index of listings (analysed text, categories, hazard flags, annualised
/// quantities) and proposes, for any listing, ranked counterparts with reasons. Deterministic: same listings and
/// same clock give the same results. Thread-safe once built.
/// </summary>
public sealed class SynergyEngine
{
    private readonly TimeProvider _time;

    /// <summary>Creates an engine using the embedded knowledge.</summary>
    /// <param name="time">Clock used for "today" when comparing availability windows.</param>
    public SynergyEngine(TimeProvider time)
    {
        _time = time;
        Knowledge = EngineKnowledge.Default;
    }

    /// <summary>Creates an engine using the embedded knowledge plus pathways added from the application.</summary>
    /// <param name="time">Clock used for "today" when comparing availability windows.</param>
    /// <param name="extraPathways">Pathways to add to the shipped ones (unknown categories are ignored).</param>
    public SynergyEngine(TimeProvider time, IEnumerable<ValorisationPathway> extraPathways)
    {
        _time = time;
        var taxonomy = Taxonomy.Default.WithPathways(extraPathways);
        Knowledge = ReferenceEquals(taxonomy, Taxonomy.Default) ? EngineKnowledge.Default : new EngineKnowledge(taxonomy);
    }

    internal EngineKnowledge Knowledge { get; }

    /// <summary>Prepares a reusable index over the active listings (offers and needs).</summary>
    /// <param name="listings">Listings; ids should be unique.</param>
    public SynergyIndex Index(IEnumerable<MatchListing> listings)
    {
        var list = listings.ToArray();
        var prepared = new PreparedListing[list.Length];
        Parallel.For(0, list.Length, i => prepared[i] = Knowledge.Prepare(list[i]));
        return new SynergyIndex(this, prepared, _time);
    }
}

/// <summary>Shared, immutable knowledge: analyser, taxonomy, classifier and pathway matrix.</summary>
internal sealed class EngineKnowledge
{
    private static readonly Lazy<EngineKnowledge> LazyDefault = new(() => new EngineKnowledge());

    private EngineKnowledge()
        : this(Taxonomy.Default)
    {
    }

    /// <summary>Knowledge on a taxonomy with the same categories as the default one (only pathways differ).</summary>
    public EngineKnowledge(Taxonomy taxonomy)
    {
        Analyzer = FrenchAnalyzer.Default;
        Taxonomy = taxonomy;
        Classifier = ListingClassifier.Default;
        Matrix = new PathwayMatrix(Taxonomy);
    }

    public static EngineKnowledge Default => LazyDefault.Value;

    public FrenchAnalyzer Analyzer { get; }

    public Taxonomy Taxonomy { get; }

    public ListingClassifier Classifier { get; }

    public PathwayMatrix Matrix { get; }

    public PreparedListing Prepare(MatchListing l)
    {
        var fields = TitleSegments.Fields(Analyzer, l.Title, l.Description);
        var cats = Classifier.Score(fields).ToList();

        var chosen = Taxonomy.IndexOf(l.CategoryCode);
        if (chosen >= 0)
        {
            // A category chosen by a person outranks what the text suggests, which is kept as context.
            cats = [new WeightedCategory(chosen, 1, 10), .. cats.Where(c => c.Category != chosen).Select(c => c with { Weight = c.Weight * 0.7 })];
        }

        if (l.Kind == ListingKind.Offer)
        {
            // An offer's text often says what it could be used for ("pour compostage"); that is context, not the resource.
            cats = [.. cats.Select(c => Taxonomy.Categories[c.Category].Kind == CategoryKind.Use ? c with { Weight = c.Weight * 0.3 } : c)];
        }

        var waste = ListOfWaste.Find(l.WasteCode);
        var (hazardous, _) = Classifier.Hazard([.. cats], waste);
        if (waste is null && l.WasteCode is null && chosen >= 0 && Classifier.IsHazardous(chosen))
        {
            hazardous = true;
        }

        var terms = new List<(string Term, double Weight)>();
        foreach (var (fieldTerms, weight) in fields)
        {
            foreach (var t in fieldTerms)
            {
                terms.Add((t, weight));
            }

            foreach (var c in Analyzer.Concepts(fieldTerms))
            {
                terms.Add((c, weight * 0.75));
            }
        }

        var regularity = Quantities.ParseFrequency(l.Frequency);
        return new PreparedListing(
            l,
            OrgKey(l.Organization),
            [.. cats.Select(c => c.Category)],
            [.. cats.Select(c => (float)c.Weight)],
            hazardous,
            terms,
            regularity,
            Quantities.Annualise(l.Quantity, l.Unit, regularity));
    }

    private static string OrgKey(string org) => FrenchAnalyzer.Fold(org.Trim().ToLowerInvariant());
}

/// <summary>A listing with everything the scorer needs precomputed.</summary>
internal sealed record PreparedListing(
    MatchListing Listing,
    string OrgKey,
    int[] Categories,
    float[] CategoryWeights,
    bool Hazardous,
    List<(string Term, double Weight)> RawTerms,
    Regularity Regularity,
    (Dimension Dim, double Amount)? Annual)
{
    public int[] TermIds { get; set; } = [];

    public float[] TermWeights { get; set; } = [];
}
