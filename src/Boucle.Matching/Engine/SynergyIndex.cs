using System.Globalization;

namespace Boucle.Matching.Engine;

/// <summary>
/// A prepared, immutable index of listings. Candidates for a listing come from an inverted index on categories
/// (through the valorisation pathways) and on rare terms, so a query scores hundreds of listings, not all of them.
/// </summary>
public sealed class SynergyIndex
{
    private const double MinRelevance = 0.1;
    private const int MaxTermPostings = 5000;

    private readonly EngineKnowledge _k;
    private readonly PreparedListing[] _items;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, int> _termIds = new(StringComparer.Ordinal);
    private readonly List<double> _idf = [];
    private readonly int[][][] _categoryPostings; // [kind][category] → listing indices
    private readonly Dictionary<int, int[]>[] _termPostings; // [kind] term → listing indices
    private readonly Dictionary<string, int> _byId = new(StringComparer.Ordinal);
    private readonly ThreadLocal<Marker> _markers;

    internal SynergyIndex(SynergyEngine engine, PreparedListing[] items, TimeProvider time)
    {
        _k = engine.Knowledge;
        _items = items;
        _time = time;
        _markers = new ThreadLocal<Marker>(() => new Marker(items.Length));
        var df = new List<int>();
        var docTerms = new List<int>[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            _byId.TryAdd(items[i].Listing.Id, i);
            var seen = new List<int>();
            foreach (var (term, _) in items[i].RawTerms)
            {
                if (!_termIds.TryGetValue(term, out var id))
                {
                    id = _termIds.Count;
                    _termIds[term] = id;
                    df.Add(0);
                }

                if (!seen.Contains(id))
                {
                    seen.Add(id);
                    df[id]++;
                }
            }

            docTerms[i] = seen;
        }

        var n = Math.Max(items.Length, 1);
        foreach (var d in df)
        {
            _idf.Add(Math.Log(1 + (n / (double)d)));
        }

        foreach (var item in items)
        {
            (item.TermIds, item.TermWeights) = Vectorise(item.RawTerms, allowNew: false);
        }

        var catCount = _k.Taxonomy.Categories.Count;
        _categoryPostings = new int[2][][];
        _termPostings = new Dictionary<int, int[]>[2];
        for (var kind = 0; kind < 2; kind++)
        {
            var lists = Enumerable.Range(0, catCount).Select(_ => new List<int>()).ToArray();
            var terms = new Dictionary<int, List<int>>();
            for (var i = 0; i < items.Length; i++)
            {
                if ((int)items[i].Listing.Kind != kind)
                {
                    continue;
                }

                foreach (var c in items[i].Categories)
                {
                    lists[c].Add(i);
                }

                foreach (var t in docTerms[i])
                {
                    if (!terms.TryGetValue(t, out var l))
                    {
                        terms[t] = l = [];
                    }

                    l.Add(i);
                }
            }

            _categoryPostings[kind] = [.. lists.Select(l => l.ToArray())];
            _termPostings[kind] = terms.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        }
    }

    /// <summary>Number of listings in the index.</summary>
    public int Count => _items.Length;

    /// <summary>
    /// The best counterparts for <paramref name="listing"/> (which may or may not be in the index), best first:
    /// needs for an offer, offers for a need; never the same organisation; never a hazardous waste with an
    /// organisation not authorised to take it.
    /// </summary>
    /// <param name="listing">The listing to match.</param>
    /// <param name="top">Maximum number of results.</param>
    public IReadOnlyList<MatchResult> Match(MatchListing listing, int top)
    {
        var q = _byId.TryGetValue(listing.Id, out var idx) && ReferenceEquals(_items[idx].Listing, listing)
            ? _items[idx]
            : Prepare(listing);
        return Match(q, top);
    }

    /// <summary>Matches every indexed listing, in index order (parallel, deterministic).</summary>
    /// <param name="top">Maximum number of results per listing.</param>
    public IReadOnlyList<IReadOnlyList<MatchResult>> MatchAll(int top)
    {
        var results = new IReadOnlyList<MatchResult>[_items.Length];
        Parallel.For(0, _items.Length, i => results[i] = Match(_items[i], top));
        return results;
    }

    /// <summary>
    /// The naive reference: scores <paramref name="listing"/> against every indexed listing of the opposite kind with
    /// the same rules and scoring function as <see cref="Match(MatchListing, int)"/>, without candidate generation or
    /// pruning. Slow (all pairs); meant for benchmarks and for checking that the fast path loses nothing.
    /// </summary>
    /// <param name="listing">The listing to match.</param>
    /// <param name="top">Maximum number of results.</param>
    public IReadOnlyList<MatchResult> MatchExhaustive(MatchListing listing, int top)
    {
        if (top <= 0)
        {
            return [];
        }

        var q = _byId.TryGetValue(listing.Id, out var idx) && ReferenceEquals(_items[idx].Listing, listing)
            ? _items[idx]
            : Prepare(listing);
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        var scored = new List<Scored>();
        for (var ci = 0; ci < _items.Length; ci++)
        {
            var c = _items[ci];
            if (!Allowed(q, c, today))
            {
                continue;
            }

            var s = Score(q, c, today);
            if (s.Relevance >= MinRelevance)
            {
                scored.Add(s with { Index = ci });
            }
        }

        scored.Sort(Compare);
        return [.. scored.Take(top).Select(s => ToResult(q, s))];
    }

    private PreparedListing Prepare(MatchListing listing)
    {
        var p = _k.Prepare(listing);
        (p.TermIds, p.TermWeights) = Vectorise(p.RawTerms, allowNew: false);
        return p;
    }

    private (int[] Ids, float[] Weights) Vectorise(List<(string Term, double Weight)> raw, bool allowNew)
    {
        _ = allowNew;
        var tf = new SortedDictionary<int, double>();
        foreach (var (term, w) in raw)
        {
            if (_termIds.TryGetValue(term, out var id))
            {
                tf[id] = tf.GetValueOrDefault(id) + w;
            }
        }

        var ids = tf.Keys.ToArray();
        var weights = new float[ids.Length];
        double norm = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            var w = (1 + Math.Log(tf[ids[i]])) * _idf[ids[i]];
            weights[i] = (float)w;
            norm += w * w;
        }

        norm = Math.Sqrt(norm);
        for (var i = 0; i < weights.Length && norm > 0; i++)
        {
            weights[i] /= (float)norm;
        }

        return (ids, weights);
    }

    private IReadOnlyList<MatchResult> Match(PreparedListing q, int top)
    {
        if (top <= 0)
        {
            return [];
        }

        var other = q.Listing.Kind == ListingKind.Offer ? 1 : 0;
        // A per-thread generation-stamped array dedupes candidates without hashing or clearing.
        var marker = _markers.Value!;
        var gen = ++marker.Generation;
        var marks = marker.Marks;
        var candidates = new List<int>();
        void Add(int[] postings)
        {
            foreach (var i in postings)
            {
                if (marks[i] != gen)
                {
                    marks[i] = gen;
                    candidates.Add(i);
                }
            }
        }

        foreach (var c in q.Categories)
        {
            var related = q.Listing.Kind == ListingKind.Offer ? _k.Matrix.Targets[c] : _k.Matrix.Sources[c];
            foreach (var rc in related)
            {
                Add(_categoryPostings[other][rc]);
            }
        }

        foreach (var t in q.TermIds)
        {
            if (_termPostings[other].TryGetValue(t, out var postings) && postings.Length <= MaxTermPostings)
            {
                Add(postings);
            }
        }

        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        var scored = new List<Scored>();
        foreach (var ci in candidates)
        {
            var c = _items[ci];
            if (!Allowed(q, c, today))
            {
                continue;
            }

            var s = Score(q, c, today);
            if (s.Relevance >= MinRelevance)
            {
                scored.Add(s with { Index = ci });
            }
        }

        scored.Sort(Compare);

        return [.. scored.Take(top).Select(s => ToResult(q, s))];
    }

    /// <summary>Best first: score, then distance, then id (ordinal), so the order never depends on the input order.</summary>
    private int Compare(Scored a, Scored b)
    {
        var cmp = b.Total.CompareTo(a.Total);
        if (cmp != 0)
        {
            return cmp;
        }

        cmp = (a.Distance ?? double.MaxValue).CompareTo(b.Distance ?? double.MaxValue);
        return cmp != 0 ? cmp : string.CompareOrdinal(_items[a.Index].Listing.Id, _items[b.Index].Listing.Id);
    }

    private static bool Allowed(PreparedListing q, PreparedListing c, DateOnly today)
    {
        if (c.Listing.Kind == q.Listing.Kind || c.OrgKey == q.OrgKey || string.Equals(c.Listing.Id, q.Listing.Id, StringComparison.Ordinal))
        {
            return false;
        }

        var (offer, need) = q.Listing.Kind == ListingKind.Offer ? (q, c) : (c, q);
        // Hazardous waste goes only to an organisation authorised to take it, whichever side asks. Only the offer's
        // hazard counts: a need's text names hazardous words as context ("sols acides"), and whatever it would
        // receive is an offer that carries its own flag.
        if (offer.Hazardous && !need.Listing.AuthorisedForHazardous)
        {
            return false;
        }

        return c.Listing.AvailableTo is not { } end || end >= today;
    }

    private Scored Score(PreparedListing q, PreparedListing c, DateOnly today)
    {
        var (offer, need) = q.Listing.Kind == ListingKind.Offer ? (q, c) : (c, q);
        // Best single category link, blended with how much of each side's category mass is served: a steel offer
        // covers both "métal" and "ferronnerie" of a blacksmith's need, a pallet offer only the second.
        double best = 0;
        var bestO = -1;
        var bestN = -1;
        Span<double> needBest = stackalloc double[need.Categories.Length];
        double offerCovered = 0, offerMass = 0;
        for (var i = 0; i < offer.Categories.Length; i++)
        {
            double rowBest = 0;
            for (var j = 0; j < need.Categories.Length; j++)
            {
                var strength = _k.Matrix.Strength(offer.Categories[i], need.Categories[j]);
                var s = offer.CategoryWeights[i] * need.CategoryWeights[j] * strength;
                if (s > best)
                {
                    best = s;
                    bestO = offer.Categories[i];
                    bestN = need.Categories[j];
                }

                rowBest = Math.Max(rowBest, strength);
                needBest[j] = Math.Max(needBest[j], strength * offer.CategoryWeights[i]);
            }

            offerCovered += offer.CategoryWeights[i] * rowBest;
            offerMass += offer.CategoryWeights[i];
        }

        double needCovered = 0, needMass = 0;
        for (var j = 0; j < need.Categories.Length; j++)
        {
            needCovered += need.CategoryWeights[j] * needBest[j];
            needMass += need.CategoryWeights[j];
        }

        var pathway = best == 0 ? 0 : (0.5 * best) + (0.25 * needCovered / needMass) + (0.25 * offerCovered / offerMass);

        var text = Cosine(q, c);
        var relevance = 1 - ((1 - (0.8 * pathway)) * (1 - (0.6 * text)));

        double? km = null;
        var distance = 0.5;
        if (q.Listing.Latitude is { } la1 && q.Listing.Longitude is { } lo1 && c.Listing.Latitude is { } la2 && c.Listing.Longitude is { } lo2)
        {
            km = Haversine(la1, lo1, la2, lo2);
            distance = 1 / (1 + Math.Pow(km.Value / 40, 2));
        }

        var quantity = QuantityFit(offer, need);
        var timing = Timing(offer.Listing, need.Listing, today);
        var total = relevance * (0.55 + (0.45 * distance)) * (0.85 + (0.15 * quantity)) * timing;
        return new Scored(-1, Math.Clamp(total, 0, 1), relevance, new ScoreParts(pathway, text, distance, quantity, timing), km, bestO, bestN);
    }

    private static double Cosine(PreparedListing a, PreparedListing b)
    {
        double dot = 0;
        int i = 0, j = 0;
        var ai = a.TermIds;
        var bi = b.TermIds;
        while (i < ai.Length && j < bi.Length)
        {
            if (ai[i] == bi[j])
            {
                dot += a.TermWeights[i] * b.TermWeights[j];
                i++;
                j++;
            }
            else if (ai[i] < bi[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return Math.Min(dot, 1);
    }

    private static double QuantityFit(PreparedListing offer, PreparedListing need)
    {
        var qty = 0.5;
        if (offer.Annual is { } a && need.Annual is { } b && a.Dim == b.Dim)
        {
            qty = Math.Sqrt(Math.Min(a.Amount, b.Amount) / Math.Max(a.Amount, b.Amount));
        }

        var ro = offer.Regularity;
        var rn = need.Regularity;
        double freq;
        if (ro == Regularity.Unknown || rn == Regularity.Unknown)
        {
            freq = 0.5;
        }
        else if (ro == rn)
        {
            freq = 1;
        }
        else if ((ro == Regularity.Once) != (rn == Regularity.Once))
        {
            freq = 0.4;
        }
        else
        {
            freq = 0.75;
        }

        return (qty + freq) / 2;
    }

    private static double Timing(MatchListing offer, MatchListing need, DateOnly today)
    {
        if (offer.AvailableFrom is null && offer.AvailableTo is null)
        {
            return 1;
        }

        if (need.AvailableFrom is null && need.AvailableTo is null)
        {
            return 1;
        }

        var start = Max(Max(offer.AvailableFrom ?? today, need.AvailableFrom ?? today), today);
        var end = Min(offer.AvailableTo ?? DateOnly.MaxValue, need.AvailableTo ?? DateOnly.MaxValue);
        return start <= end ? 1 : 0.6;
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    internal static double Haversine(double lat1, double lon1, double lat2, double lon2)
    {
        const double R = 6371.0088;
        var dLat = (lat2 - lat1) * Math.PI / 180;
        var dLon = (lon2 - lon1) * Math.PI / 180;
        var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) +
                (Math.Cos(lat1 * Math.PI / 180) * Math.Cos(lat2 * Math.PI / 180) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * R * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    private MatchResult ToResult(PreparedListing q, Scored s)
    {
        var c = _items[s.Index];
        var (offer, need) = q.Listing.Kind == ListingKind.Offer ? (q, c) : (c, q);
        var reasons = new List<string>();
        var operation = "proximité de texte";
        if (s.OfferCategory >= 0 && _k.Matrix.Info(s.OfferCategory, s.NeedCategory) is { } info)
        {
            operation = info.Operation;
            reasons.Add(info.Phrase);
        }
        else
        {
            reasons.Add("descriptions proches");
        }

        if (s.Distance is { } km)
        {
            reasons.Add(km < 1 ? "moins de 1 km" : Quantities.Number(km < 10 ? Math.Round(km) : km) + " km");
        }

        var flow = Quantities.Describe(offer.Regularity == Regularity.Unknown ? need.Regularity : offer.Regularity);
        if (flow.Length > 0)
        {
            reasons.Add(flow);
        }

        if (offer.Annual is { } a)
        {
            var perYear = offer.Regularity != Regularity.Once;
            if (need.Annual is { } b && a.Dim == b.Dim)
            {
                var ratio = Math.Min(a.Amount, b.Amount) / Math.Max(a.Amount, b.Amount);
                reasons.Add(ratio >= 0.3
                    ? $"quantités compatibles (≈ {Quantities.Format(a, perYear)})"
                    : $"quantités à ajuster (offre ≈ {Quantities.Format(a, perYear)}, besoin ≈ {Quantities.Format(b, need.Regularity != Regularity.Once)})");
            }
            else
            {
                reasons.Add($"≈ {Quantities.Format(a, perYear)} disponibles");
            }
        }

        if (s.Parts.Text >= 0.25 && reasons[0] != "descriptions proches")
        {
            reasons.Add("descriptions proches");
        }

        if (s.Parts.Timing < 1)
        {
            reasons.Add("périodes de disponibilité à accorder");
        }
        else if ((offer.Listing.AvailableFrom ?? offer.Listing.AvailableTo) is not null && (need.Listing.AvailableFrom ?? need.Listing.AvailableTo) is not null)
        {
            reasons.Add("périodes de disponibilité compatibles");
        }

        if (offer.Hazardous)
        {
            reasons.Add("déchet dangereux : repreneur autorisé, suivi TrackDéchets");
        }

        var p = s.Parts;
        return new MatchResult(
            c.Listing.Id,
            Math.Round(s.Total, 3),
            operation,
            s.Distance is { } d ? Math.Round(d, 1) : null,
            reasons,
            new ScoreParts(Math.Round(p.Pathway, 3), Math.Round(p.Text, 3), Math.Round(p.Distance, 3), Math.Round(p.Quantity, 3), Math.Round(p.Timing, 3)));
    }

    private sealed class Marker(int size)
    {
        public int[] Marks { get; } = new int[size];

        public int Generation { get; set; }
    }

    private readonly record struct Scored(int Index, double Total, double Relevance, ScoreParts Parts, double? Distance, int OfferCategory, int NeedCategory);

    internal string Explain(string id) =>
        _byId.TryGetValue(id, out var i)
            ? string.Join(", ", _items[i].Categories.Select((c, j) => _k.Taxonomy.Categories[c].Code + ":" + _items[i].CategoryWeights[j].ToString("0.00", CultureInfo.InvariantCulture))) + (_items[i].Hazardous ? " HAZ" : string.Empty)
            : string.Empty;
}
