namespace Boucle.Web.Features.Listings;

/// A hit of the board's search: a shown listing, its distance from the query's point and its relevance.
public sealed record SearchHit(int Id, double? Distance, int Score, DateTime? PublishedAt);

/// The board's search when the query has words (ADR 0014). It walks the postings of one group of the query
/// (the one with the fewest), a section at a time (title, then description), newest listing first, reading only
/// those in the query's circle and of its type; each batch is then checked against the other groups and
/// against the listings the board shows. The walk stops once it has counted CountCap + 1 hits, so a broad query
/// costs about what a narrow one does; it also gives the page for relevance, since a one-term query's score is
/// its section's weight. The nearest hits come from the smallest circle that holds a page of them.
/// `mostInCircle` is how many postings a circle for the nearest hits may have; more means a smaller circle.
public sealed class WordSearch(IListingSearchSteps steps, IReadOnlyList<string[]> groups, ListingType? type, (double Latitude, double Longitude)? near, double? radiusKm,
    int mostInCircle = 2000)
{
    private readonly string[] _terms = [.. groups.SelectMany(g => g).Distinct()];
    private readonly Circle? _circle = near is { } p && radiusKm is { } r ? new Circle(p.Latitude, p.Longitude, r) : null;

    /// The page and the number of hits counted up to CountCap + 1. The page is null for the date order of more
    /// than CountCap hits: postings are not in that order, the caller walks the listings by date.
    public async Task<(List<SearchHit>? Page, int Counted)> SearchAsync(ListingSort sort, int skip, int take, CancellationToken ct)
    {
        var need = skip + take;
        var driving = await DrivingGroupAsync(ct);
        var walk = new Walk(driving, _circle);
        await AdvanceAsync(walk, Math.Max(ListingSearch.CountCap + 1, sort == ListingSort.Relevance ? need : 0), _ => false, ct);
        var counted = walk.Hits.Count;
        if (walk.Complete)
        {
            return ([.. Sorted(walk.Hits, sort).Skip(skip).Take(take)], counted);
        }

        var page = sort switch
        {
            ListingSort.Relevance => await MostRelevantAsync(walk, need, ct),
            ListingSort.Distance when _circle is not null => await NearestAsync(driving, need, ct),
            _ => null,
        };
        return (page?.Skip(skip).Take(take).ToList(), counted);
    }

    /// The board's three orders over a set of hits that is known whole.
    public static IEnumerable<SearchHit> Sorted(IEnumerable<SearchHit> hits, ListingSort sort) => sort switch
    {
        ListingSort.Distance => hits.OrderBy(h => h.Distance).ThenByDescending(h => h.PublishedAt).ThenBy(h => h.Id),
        ListingSort.Date => hits.OrderByDescending(h => h.PublishedAt).ThenByDescending(h => h.Id),
        _ => hits.OrderByDescending(h => h.Score).ThenByDescending(h => h.Id),
    };

    /// A walk over the postings of one group, resumable: the section it is in and the listing it stopped at.
    private sealed class Walk(string[] terms, Circle? circle)
    {
        public string[] Terms { get; } = terms;
        public Circle? Circle { get; } = circle;
        public List<SearchHit> Hits { get; } = [];
        public HashSet<int> Seen { get; } = [];
        public int Section { get; set; }
        public int? Before { get; set; }
        public bool Complete => Section >= SearchText.Weights.Length;
    }

    /// With several groups, the one with the fewest postings (counted up to a bound) is walked.
    private async Task<string[]> DrivingGroupAsync(CancellationToken ct)
    {
        if (groups.Count == 1)
        {
            return groups[0];
        }

        var best = groups[0];
        var fewest = int.MaxValue;
        foreach (var group in groups)
        {
            var count = await steps.CountPostingsAsync(group, 20_000, ct);
            if (count < fewest)
            {
                (best, fewest) = (group, count);
            }
        }

        return best;
    }

    /// Walks on until `target` hits are kept, `enough` says so, or the postings end.
    private async Task AdvanceAsync(Walk walk, int target, Func<Walk, bool> enough, CancellationToken ct)
    {
        while (!walk.Complete && walk.Hits.Count < target && !enough(walk))
        {
            var missing = (long)target - walk.Hits.Count;
            var batch = (int)Math.Clamp((missing * 5 / 4) + 16, 64, 4096);
            var weight = SearchText.Weights[walk.Section];
            var postings = await steps.PostingsAsync(new PostingRead(walk.Terms, type, walk.Circle, batch, weight, walk.Before), ct);
            if (postings.Count > 0)
            {
                walk.Before = postings[^1].ListingId;
                await KeepAsync(walk, postings, ct);
            }

            if (postings.Count < batch)
            {
                walk.Section++;
                walk.Before = null;
            }
        }
    }

    /// Keeps, in posting order, the listings that hold every group and that the board shows.
    private async Task KeepAsync(Walk walk, List<Posting> postings, CancellationToken ct)
    {
        var fresh = postings.Where(p => walk.Seen.Add(p.ListingId)).ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        Dictionary<int, int> scores;
        if (_terms.Length == 1)
        {
            scores = fresh.ToDictionary(p => p.ListingId, p => p.Weight);
        }
        else
        {
            var weights = (await steps.TermsOfAsync([.. fresh.Select(p => p.ListingId)], _terms, ct))
                .GroupBy(w => w.ListingId)
                .ToDictionary(g => g.Key, g => g.ToDictionary(w => w.Term, w => w.Weight, StringComparer.Ordinal));
            scores = weights
                .Where(kv => groups.All(g => g.Any(kv.Value.ContainsKey)))
                .ToDictionary(kv => kv.Key, kv => kv.Value.Values.Sum());
        }

        if (scores.Count == 0)
        {
            return;
        }

        var shown = (await steps.ShownAsync([.. scores.Keys], ct)).ToDictionary(s => s.Id, s => s.PublishedAt);
        foreach (var p in fresh)
        {
            if (scores.TryGetValue(p.ListingId, out var score) && shown.TryGetValue(p.ListingId, out var published))
            {
                var distance = near is { } n ? Reference.Geo.DistanceKm(p.Latitude, p.Longitude, n.Latitude, n.Longitude) : (double?)null;
                walk.Hits.Add(new SearchHit(p.ListingId, distance, score, published));
            }
        }
    }

    /// The most relevant of more than CountCap hits. A one-term query's walk is already in the order of
    /// relevance. With several one-term groups, a listing with every term in its title has the best score
    /// (3 per term); only the title section of the walked term holds them, newest first, so the first ones the
    /// walk meets are the page when there are enough. Otherwise every hit is read and sorted.
    private async Task<List<SearchHit>> MostRelevantAsync(Walk walk, int need, CancellationToken ct)
    {
        if (_terms.Length == 1)
        {
            return walk.Hits;
        }

        if (groups.All(g => g.Length == 1))
        {
            var best = SearchText.TitleWeight * _terms.Length;
            await AdvanceAsync(walk, int.MaxValue, w => w.Section > 0 || w.Hits.Count(h => h.Score == best) >= need, ct);
            var top = walk.Hits.Where(h => h.Score == best).ToList();
            if (top.Count >= need)
            {
                return top;
            }
        }

        await AdvanceAsync(walk, int.MaxValue, _ => false, ct);
        return [.. Sorted(walk.Hits, ListingSort.Relevance)];
    }

    /// The nearest of more than CountCap hits, from the postings of the walked group.
    private async Task<List<SearchHit>> NearestAsync(string[] driving, int need, CancellationToken ct)
    {
        var hits = await NearestCircle.FindAsync(_circle!, need, mostInCircle, async ring =>
        {
            var postings = await steps.PostingsAsync(new PostingRead(driving, type, ring, mostInCircle + 1), ct);
            if (postings.Count > mostInCircle)
            {
                return null;
            }

            var walk = new Walk(driving, ring);
            await KeepAsync(walk, postings, ct);
            return walk.Hits;
        });
        if (hits is not null)
        {
            return hits;
        }

        var all = new Walk(driving, _circle);
        await AdvanceAsync(all, int.MaxValue, _ => false, ct);
        return [.. Sorted(all.Hits, ListingSort.Distance)];
    }
}

/// The nearest of many hits without sorting them all: the hits of a circle that holds at least the page, and
/// whose rows are few enough to read at once, sorted by distance. The first circle would hold twice the page
/// if the hits were spread evenly; it shrinks while it holds too many rows and grows while it holds too few hits.
public static class NearestCircle
{
    /// `read` gives every hit in a circle, or null when the circle has more than `most` rows. Null when no
    /// circle was found in a few tries: the caller sorts every hit.
    public static async Task<List<SearchHit>?> FindAsync(Circle circle, int need, int most, Func<Circle, Task<List<SearchHit>?>> read)
    {
        var small = 0.0;
        var r = Math.Min(circle.RadiusKm, Math.Max(1, circle.RadiusKm * Math.Sqrt(2.0 * need / ListingSearch.CountCap)));
        for (var attempt = 0; attempt < 12; attempt++)
        {
            var hits = await read(circle.WithRadius(r));
            if (hits is null)
            {
                r = small + ((r - small) / 2);
                continue;
            }

            if (hits.Count >= need || r >= circle.RadiusKm)
            {
                return [.. WordSearch.Sorted(hits, ListingSort.Distance)];
            }

            small = r;
            r = Math.Min(circle.RadiusKm, r * 2);
        }

        return null;
    }
}
