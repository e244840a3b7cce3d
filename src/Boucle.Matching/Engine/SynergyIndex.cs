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
    private readonly CategoryList[][] _categoryLists; // [kind][category] → listings and their largest term weights
    private readonly Dictionary<int, int[]>[] _termPostings; // [kind] term → listing indices
    private readonly float[][] _maxTermWeight; // [kind][term] → largest weight of the term in a listing of that kind
    private readonly bool _nonNegativeWeights; // the text bounds assume it (true with the current weighting)
    private readonly Dictionary<string, int> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _orgIds = new(StringComparer.Ordinal);
    private readonly Entry[] _entries;
    private readonly ThreadLocal<Scratch> _scratch;

    internal SynergyIndex(SynergyEngine engine, PreparedListing[] items, TimeProvider time)
    {
        _k = engine.Knowledge;
        _items = items;
        _time = time;
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

        _nonNegativeWeights = items.All(it => it.TermWeights.All(w => w >= 0));
        _entries = new Entry[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var l = items[i].Listing;
            if (!_orgIds.TryGetValue(items[i].OrgKey, out var org))
            {
                _orgIds[items[i].OrgKey] = org = _orgIds.Count;
            }

            _entries[i] = new Entry(
                i,
                org,
                _byId[l.Id],
                l.AvailableTo is { } end ? end.DayNumber : int.MaxValue,
                items[i].Hazardous,
                l.AuthorisedForHazardous,
                l.Latitude is not null && l.Longitude is not null,
                l.Latitude ?? 0,
                l.Longitude ?? 0,
                items[i].Annual,
                items[i].Regularity,
                l.AvailableFrom,
                l.AvailableTo,
                0,
                items[i].Categories.Length);
        }

        var catCount = _k.Taxonomy.Categories.Count;
        _categoryLists = new CategoryList[2][];
        _termPostings = new Dictionary<int, int[]>[2];
        _maxTermWeight = new float[2][];
        for (var kind = 0; kind < 2; kind++)
        {
            var lists = Enumerable.Range(0, catCount).Select(_ => new List<int>()).ToArray();
            var terms = new Dictionary<int, List<int>>();
            var maxWeight = new float[_termIds.Count];
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

                for (var j = 0; j < items[i].TermIds.Length; j++)
                {
                    maxWeight[items[i].TermIds[j]] = Math.Max(maxWeight[items[i].TermIds[j]], items[i].TermWeights[j]);
                }
            }

            var built = new CategoryList[catCount];
            Parallel.For(0, catCount, c => built[c] = BuildList(items, _entries, [.. lists[c]]));
            _categoryLists[kind] = built;
            _termPostings[kind] = terms.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
            _maxTermWeight[kind] = maxWeight;
        }

        _scratch = new ThreadLocal<Scratch>(() => new Scratch(items.Length, _termIds.Count, catCount));
    }

    /// <summary>A category posting list and, for its text bound, the largest weight of each term among its listings.</summary>
    private static CategoryList BuildList(PreparedListing[] items, Entry[] all, int[] postings)
    {
        var entries = new Entry[postings.Length];
        var listCats = new List<int>();
        var listWeights = new List<float>();
        for (var k = 0; k < postings.Length; k++)
        {
            var it = items[postings[k]];
            entries[k] = all[postings[k]] with { CatOffset = listCats.Count };
            listCats.AddRange(it.Categories);
            listWeights.AddRange(it.CategoryWeights);
        }

        var max = new Dictionary<int, float>();
        foreach (var i in postings)
        {
            var ids = items[i].TermIds;
            var weights = items[i].TermWeights;
            for (var j = 0; j < ids.Length; j++)
            {
                if (!max.TryGetValue(ids[j], out var m) || weights[j] > m)
                {
                    max[ids[j]] = weights[j];
                }
            }
        }

        var termIds = max.Keys.ToArray();
        Array.Sort(termIds);
        return new CategoryList(entries, [.. listCats], [.. listWeights], termIds, [.. termIds.Select(t => max[t])]);
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

    /// <summary>
    /// Exact top-k over the candidates (listings of the opposite kind in a category reachable through the pathway
    /// matrix, plus listings sharing a term whose posting list is not too common), without scoring most of them.
    /// Every skip rests on an upper bound of the score, so the result is the one a full scoring of the candidates
    /// would give (<see cref="MatchExhaustive"/> checks it in tests and the benchmark):
    /// <list type="bullet">
    /// <item>pathway P ≤ the strongest category link between the two listings (weights are ≤ 1), so a category
    /// posting list is bounded by its link strength S;</item>
    /// <item>text T ≤ Σ query weight × the largest weight of that term in the list, and ≤ the norm of the query's
    /// terms present in the list (Cauchy–Schwarz), both precomputed per list;</item>
    /// <item>distance, quantity and timing factors are ≤ 1 until computed.</item>
    /// </list>
    /// Lists are scanned best bound first, and scanning stops once the k-th score beats the best bound left; within a
    /// list each candidate is bounded from its exact pathway, quantity, timing and distance before the cosine.
    /// A running top-k (sorted array, k is small) replaces sorting every candidate.
    /// </summary>
    private IReadOnlyList<MatchResult> Match(PreparedListing q, int top)
    {
        if (top <= 0)
        {
            return [];
        }

        var qIsOffer = q.Listing.Kind == ListingKind.Offer;
        var other = qIsOffer ? 1 : 0;
        var scratch = _scratch.Value!;
        if (scratch.Generation == int.MaxValue)
        {
            Array.Clear(scratch.Marks);
            scratch.Generation = 0;
        }

        var gen = ++scratch.Generation;
        var marks = scratch.Marks;
        var qw = scratch.QueryWeights;
        for (var i = 0; i < q.TermIds.Length; i++)
        {
            qw[q.TermIds[i]] = q.TermWeights[i];
        }

        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        var hasPoint = q.Listing.Latitude is not null && q.Listing.Longitude is not null;
        var ctx = new QueryContext(
            q,
            qIsOffer,
            _orgIds.TryGetValue(q.OrgKey, out var org) ? org : -1,
            _byId.TryGetValue(q.Listing.Id, out var same) ? same : -1,
            today,
            today.DayNumber,
            hasPoint,
            q.Listing.Latitude ?? 0,
            q.Listing.Longitude ?? 0);
        var best = new TopK(scratch.Best(top), top, this);

        try
        {
            // 1. Category posting lists, best bound first.
            var lists = scratch.Lists;
            lists.Clear();
            var strength = scratch.ListStrength;
            foreach (var c in q.Categories)
            {
                var related = qIsOffer ? _k.Matrix.Targets[c] : _k.Matrix.Sources[c];
                foreach (var rc in related)
                {
                    var st = qIsOffer ? _k.Matrix.Strength(c, rc) : _k.Matrix.Strength(rc, c);
                    if (strength[rc] == 0)
                    {
                        lists.Add(rc);
                    }

                    strength[rc] = Math.Max(strength[rc], st);
                }
            }

            var bounds = scratch.ListBounds;
            bounds.Clear();
            foreach (var rc in lists)
            {
                var list = _categoryLists[other][rc];
                var textBound = list.Entries.Length == 0 ? 0 : TextBound(q, qw, list.TermIds, list.MaxWeights);
                bounds.Add((RelevanceBound(strength[rc], textBound), textBound, rc));
                strength[rc] = 0; // reset the scratch for the next query
            }

            // Deterministic order (bound, then category); the result does not depend on it, only the work does.
            bounds.Sort((a, b) => a.Bound != b.Bound ? b.Bound.CompareTo(a.Bound) : a.Category.CompareTo(b.Category));
            foreach (var (bound, textBound, rc) in bounds)
            {
                if (bound < MinRelevance || (best.Full && bound < best.Threshold))
                {
                    break; // no listing left in these lists can reach the top k
                }

                var list = _categoryLists[other][rc];
                var entries = list.Entries;
                for (var i = 0; i < entries.Length; i++)
                {
                    ref readonly var e = ref entries[i];
                    if (marks[e.Index] != gen)
                    {
                        marks[e.Index] = gen;
                        Consider(in ctx, in e, list.Cats.AsSpan(e.CatOffset, e.CatCount), list.Weights.AsSpan(e.CatOffset, e.CatCount), textBound, qw, ref best);
                    }
                }
            }

            // 2. Listings sharing a term. Those not in a reachable category have P = 0, hence a score ≤ 0.6 T; those
            // in a category list skipped above are already known to stay below the k-th score.
            var textOnly = TextBound(q, qw, null, _maxTermWeight[other]);
            var textOnlyBound = Bounded(0.6 * textOnly);
            if (textOnlyBound >= MinRelevance && !(best.Full && textOnlyBound < best.Threshold))
            {
                foreach (var t in q.TermIds)
                {
                    if (_termPostings[other].TryGetValue(t, out var postings) && postings.Length <= MaxTermPostings)
                    {
                        foreach (var ci in postings)
                        {
                            if (marks[ci] != gen)
                            {
                                marks[ci] = gen;
                                Consider(in ctx, in _entries[ci], _items[ci].Categories, _items[ci].CategoryWeights, textOnly, qw, ref best);
                            }
                        }
                    }
                }
            }

            var results = new MatchResult[best.Count];
            for (var i = 0; i < results.Length; i++)
            {
                results[i] = ToResult(q, best.Items[i]);
            }

            return results;
        }
        finally
        {
            foreach (var t in q.TermIds)
            {
                qw[t] = 0;
            }
        }
    }

    /// <summary>
    /// Scores the candidate described by <paramref name="e"/> unless a bound shows it cannot enter the top k. Everything
    /// up to the cosine reads the entry and its categories, stored contiguously in list order, so scanning a list
    /// does not chase pointers through the heap.
    /// </summary>
    private void Consider(ref readonly QueryContext ctx, ref readonly Entry e, ReadOnlySpan<int> cats, ReadOnlySpan<float> weights,
        double textBound, float[] qw, ref TopK best)
    {
        // Hard rules (the same as Allowed, on precomputed integers). The kind is right by construction.
        if (e.Org == ctx.Org || e.IdGroup == ctx.Self || e.EndDay < ctx.TodayDay)
        {
            return;
        }

        var q = ctx.Query;
        var offerHazardous = ctx.QueryIsOffer ? q.Hazardous : e.Hazardous;
        var needAuthorised = ctx.QueryIsOffer ? e.Authorised : q.Listing.AuthorisedForHazardous;
        if (offerHazardous && !needAuthorised)
        {
            return;
        }

        int bestO, bestN;
        var pathway = ctx.QueryIsOffer
            ? Pathway(q.Categories, q.CategoryWeights, cats, weights, out bestO, out bestN)
            : Pathway(cats, weights, q.Categories, q.CategoryWeights, out bestO, out bestN);
        var bound = RelevanceBound(pathway, textBound);
        if (bound < MinRelevance || (best.Full && bound < best.Threshold))
        {
            return;
        }

        var quantity = ctx.QueryIsOffer
            ? QuantityFit(q.Annual, q.Regularity, e.Annual, e.Regularity)
            : QuantityFit(e.Annual, e.Regularity, q.Annual, q.Regularity);
        var ql = q.Listing;
        var timing = ctx.QueryIsOffer
            ? Timing(ql.AvailableFrom, ql.AvailableTo, e.From, e.To, ctx.Today)
            : Timing(e.From, e.To, ql.AvailableFrom, ql.AvailableTo, ctx.Today);
        var factors = (0.85 + (0.15 * quantity)) * timing;
        if (best.Full && Bounded(bound * factors) < best.Threshold)
        {
            return;
        }

        double? km = null;
        var distance = 0.5;
        if (ctx.HasPoint && e.HasPoint)
        {
            km = Haversine(ctx.Latitude, ctx.Longitude, e.Latitude, e.Longitude);
            distance = 1 / (1 + Math.Pow(km.Value / 40, 2));
        }

        if (best.Full && Bounded(bound * (0.55 + (0.45 * distance)) * factors) < best.Threshold)
        {
            return;
        }

        // Same arithmetic, in the same order, as Score: the fast path and the reference agree to the last bit.
        var text = DenseCosine(qw, _items[e.Index]);
        var relevance = 1 - ((1 - (0.8 * pathway)) * (1 - (0.6 * text)));
        if (relevance < MinRelevance)
        {
            return;
        }

        var total = relevance * (0.55 + (0.45 * distance)) * (0.85 + (0.15 * quantity)) * timing;
        best.Offer(new Scored(e.Index, Math.Clamp(total, 0, 1), relevance, pathway, text, distance, quantity, timing, km, bestO, bestN));
    }

    /// <summary>Upper bound of the relevance for a pathway and a text bound, with a margin for rounding.</summary>
    private static double RelevanceBound(double pathway, double text) => Bounded(1 - ((1 - (0.8 * pathway)) * (1 - (0.6 * text))));

    /// <summary>A bound nudged up so that floating-point rounding never makes it smaller than the value it bounds.</summary>
    private static double Bounded(double v) => (v * (1 + 1e-9)) + 1e-12;

    /// <summary>
    /// Upper bound of the cosine between the query and any listing whose term weights are at most
    /// <paramref name="maxWeights"/> (indexed by term id when <paramref name="termIds"/> is null, else parallel to it).
    /// </summary>
    private double TextBound(PreparedListing q, float[] qw, int[]? termIds, float[] maxWeights)
    {
        if (!_nonNegativeWeights)
        {
            return 1;
        }

        double dot = 0, norm2 = 0;
        foreach (var t in q.TermIds)
        {
            float m;
            if (termIds is null)
            {
                m = maxWeights[t];
            }
            else
            {
                var j = Array.BinarySearch(termIds, t);
                m = j >= 0 ? maxWeights[j] : 0;
            }

            if (m > 0)
            {
                dot += qw[t] * (double)m;
                norm2 += qw[t] * (double)qw[t];
            }
        }

        return Math.Min(1, Math.Min(Bounded(dot), Bounded(Math.Sqrt(norm2))));
    }

    /// <summary>Cosine against the query spread in a dense array: one lookup per candidate term.</summary>
    private static double DenseCosine(float[] qw, PreparedListing c)
    {
        double dot = 0;
        var ids = c.TermIds;
        var weights = c.TermWeights;
        for (var j = 0; j < ids.Length; j++)
        {
            var w = qw[ids[j]];
            if (w != 0)
            {
                dot += w * weights[j];
            }
        }

        return Math.Min(dot, 1);
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
        var pathway = Pathway(offer, need, out var bestO, out var bestN);
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
        return new Scored(-1, Math.Clamp(total, 0, 1), relevance, pathway, text, distance, quantity, timing, km, bestO, bestN);
    }

    /// <summary>
    /// Best single category link, blended with how much of each side's category mass is served: a steel offer
    /// covers both "métal" and "ferronnerie" of a blacksmith's need, a pallet offer only the second.
    /// </summary>
    private double Pathway(PreparedListing offer, PreparedListing need, out int bestO, out int bestN) =>
        Pathway(offer.Categories, offer.CategoryWeights, need.Categories, need.CategoryWeights, out bestO, out bestN);

    private double Pathway(ReadOnlySpan<int> offerCats, ReadOnlySpan<float> offerWeights, ReadOnlySpan<int> needCats,
        ReadOnlySpan<float> needWeights, out int bestO, out int bestN)
    {
        double best = 0;
        bestO = -1;
        bestN = -1;
        Span<double> needBest = stackalloc double[needCats.Length];
        needBest.Clear();
        double offerCovered = 0, offerMass = 0;
        for (var i = 0; i < offerCats.Length; i++)
        {
            double rowBest = 0;
            for (var j = 0; j < needCats.Length; j++)
            {
                var strength = _k.Matrix.Strength(offerCats[i], needCats[j]);
                var s = offerWeights[i] * needWeights[j] * strength;
                if (s > best)
                {
                    best = s;
                    bestO = offerCats[i];
                    bestN = needCats[j];
                }

                rowBest = Math.Max(rowBest, strength);
                needBest[j] = Math.Max(needBest[j], strength * offerWeights[i]);
            }

            offerCovered += offerWeights[i] * rowBest;
            offerMass += offerWeights[i];
        }

        double needCovered = 0, needMass = 0;
        for (var j = 0; j < needCats.Length; j++)
        {
            needCovered += needWeights[j] * needBest[j];
            needMass += needWeights[j];
        }

        return best == 0 ? 0 : (0.5 * best) + (0.25 * needCovered / needMass) + (0.25 * offerCovered / offerMass);
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

    private static double QuantityFit(PreparedListing offer, PreparedListing need) =>
        QuantityFit(offer.Annual, offer.Regularity, need.Annual, need.Regularity);

    private static double QuantityFit((Dimension Dim, double Amount)? offerAnnual, Regularity ro, (Dimension Dim, double Amount)? needAnnual, Regularity rn)
    {
        var qty = 0.5;
        if (offerAnnual is { } a && needAnnual is { } b && a.Dim == b.Dim)
        {
            qty = Math.Sqrt(Math.Min(a.Amount, b.Amount) / Math.Max(a.Amount, b.Amount));
        }

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

    private static double Timing(MatchListing offer, MatchListing need, DateOnly today) =>
        Timing(offer.AvailableFrom, offer.AvailableTo, need.AvailableFrom, need.AvailableTo, today);

    private static double Timing(DateOnly? offerFrom, DateOnly? offerTo, DateOnly? needFrom, DateOnly? needTo, DateOnly today)
    {
        if (offerFrom is null && offerTo is null)
        {
            return 1;
        }

        if (needFrom is null && needTo is null)
        {
            return 1;
        }

        var start = Max(Max(offerFrom ?? today, needFrom ?? today), today);
        var end = Min(offerTo ?? DateOnly.MaxValue, needTo ?? DateOnly.MaxValue);
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

        if (s.Text >= 0.25 && reasons[0] != "descriptions proches")
        {
            reasons.Add("descriptions proches");
        }

        if (s.Timing < 1)
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

        return new MatchResult(
            c.Listing.Id,
            Math.Round(s.Total, 3),
            operation,
            s.Distance is { } d ? Math.Round(d, 1) : null,
            reasons,
            new ScoreParts(Math.Round(s.Pathway, 3), Math.Round(s.Text, 3), Math.Round(s.DistanceFactor, 3), Math.Round(s.Quantity, 3), Math.Round(s.Timing, 3)));
    }

    /// <summary>A scored candidate; <c>Distance</c> is in km (null when unknown), the parts are those of <see cref="ScoreParts"/>.</summary>
    private readonly record struct Scored(int Index, double Total, double Relevance, double Pathway, double Text, double DistanceFactor,
        double Quantity, double Timing, double? Distance, int OfferCategory, int NeedCategory);

    /// <summary>
    /// What scoring a candidate needs before its cosine, as plain values: organisation and id as integers (no string
    /// comparison in the hot loop), coordinates, annualised quantity, window. Its categories live next to it in the
    /// list (<c>CatOffset</c>, <c>CatCount</c>).
    /// </summary>
    private readonly record struct Entry(
        int Index, int Org, int IdGroup, int EndDay, bool Hazardous, bool Authorised, bool HasPoint, double Latitude, double Longitude,
        (Dimension Dim, double Amount)? Annual, Regularity Regularity, DateOnly? From, DateOnly? To, int CatOffset, int CatCount);

    /// <summary>
    /// A category posting list: its entries and their categories in list order, and, per term present in it, the
    /// largest weight of that term (sorted by term id) for the text bound.
    /// </summary>
    private sealed record CategoryList(Entry[] Entries, int[] Cats, float[] Weights, int[] TermIds, float[] MaxWeights);

    /// <summary>What the hot loop needs to know about the query.</summary>
    private readonly record struct QueryContext(PreparedListing Query, bool QueryIsOffer, int Org, int Self, DateOnly Today, int TodayDay,
        bool HasPoint, double Latitude, double Longitude);

    /// <summary>
    /// The k best so far, best first, in a sorted array: k is small (5–20), so insertion beats a heap and keeps the
    /// order of <see cref="Compare"/> exactly. <see cref="Threshold"/> is the k-th score once full.
    /// </summary>
    private struct TopK(Scored[] items, int k, SynergyIndex index)
    {
        public readonly Scored[] Items = items;

        public int Count { get; private set; }

        public readonly bool Full => Count == k;

        public readonly double Threshold => Items[k - 1].Total;

        public void Offer(Scored s)
        {
            if (Full && index.Compare(s, Items[k - 1]) >= 0)
            {
                return;
            }

            var i = Full ? k - 1 : Count++;
            while (i > 0 && index.Compare(s, Items[i - 1]) < 0)
            {
                Items[i] = Items[i - 1];
                i--;
            }

            Items[i] = s;
        }
    }

    /// <summary>Per-thread buffers, reused across queries: candidate stamps, the dense query vector, list bounds.</summary>
    private sealed class Scratch(int listings, int terms, int categories)
    {
        private Scored[] _best = new Scored[16];

        public int[] Marks { get; } = new int[listings];

        public int Generation { get; set; }

        public float[] QueryWeights { get; } = new float[terms];

        public float[] ListStrength { get; } = new float[categories];

        public List<int> Lists { get; } = [];

        public List<(double Bound, double TextBound, int Category)> ListBounds { get; } = [];

        public Scored[] Best(int k)
        {
            if (_best.Length < k)
            {
                _best = new Scored[k];
            }

            return _best;
        }
    }

    internal string Explain(string id) =>
        _byId.TryGetValue(id, out var i)
            ? string.Join(", ", _items[i].Categories.Select((c, j) => _k.Taxonomy.Categories[c].Code + ":" + _items[i].CategoryWeights[j].ToString("0.00", CultureInfo.InvariantCulture))) + (_items[i].Hazardous ? " HAZ" : string.Empty)
            : string.Empty;
}
