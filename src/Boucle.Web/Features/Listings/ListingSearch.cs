using Boucle.Web.Data;
using Boucle.Web.Features.Reference;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Listings;

public enum ListingSort
{
    Relevance,
    Distance,
    Date,
}

public sealed record ListingQuery
{
    public string? Words { get; init; }
    public ListingType? Type { get; init; }
    public string? Category { get; init; }
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
    public double? RadiusKm { get; init; }
    public ListingSort Sort { get; init; } = ListingSort.Relevance;
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 20;
    public int? TerritoryId { get; init; }
    public int? OrganisationId { get; init; }

    /// Only listings published strictly after this instant (UTC): what is new since an alert.
    public DateTime? PublishedAfter { get; init; }

    public Frequency? Frequency { get; init; }
    public PriceMode? PriceMode { get; init; }
    public Organisations.OrganisationKind? OrganisationKind { get; init; }

    /// A List of Waste chapter, sub-chapter or entry as stored ("02", "02 07", "02 07 04"): see ParseWastePrefix.
    public string? WastePrefix { get; init; }

    /// "02", "0207", "02 07 04*"... in the stored form; null when the text is not 2, 4 or 6 digits.
    public static string? ParseWastePrefix(string? text)
    {
        var digits = new string([.. (text ?? "").Where(c => !char.IsWhiteSpace(c) && c != '*')]);
        if (digits.Length is not (2 or 4 or 6) || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }

        return string.Join(' ', Enumerable.Range(0, digits.Length / 2).Select(i => digits.Substring(i * 2, 2)));
    }
}

public sealed record ListingSummary(
    int Id,
    int TerritoryId,
    ListingType Type,
    string Title,
    string? Description,
    string? CategoryCode,
    string? CategoryLabel,
    string? WasteCode,
    bool IsHazardous,
    double? Quantity,
    QuantityUnit? Unit,
    Frequency Frequency,
    ListingStatus Status,
    PriceMode PriceMode,
    int OrganisationId,
    string OrganisationName,
    bool OrganisationVerified,
    double Latitude,
    double Longitude,
    string? Commune,
    double? DistanceKm,
    DateTime? PublishedAt,
    string? PhotoFile,
    string? PhotoAlt,
    bool ApproximateLocation);

/// Total counts exactly up to ListingSearch.CountCap; TotalCapped says there are more.
public sealed record ListingPage(IReadOnlyList<ListingSummary> Items, int Total, int Page, int PageSize, bool TotalCapped = false);

/// The board's search: words through the shared analyser, filters and distance, in SQL on both databases.
public sealed class ListingSearch(AppDbContext db, SearchText text)
{
    public async Task<ListingPage> SearchAsync(ListingQuery query, CancellationToken ct)
    {
        // PostgreSQL refuses the NUL character in a text parameter (a 500 found by the bad-input
        // tests); no category or word contains one, so it is dropped rather than answered as an error.
        query = query with { Words = query.Words?.Replace("\0", "", StringComparison.Ordinal), Category = query.Category?.Replace("\0", "", StringComparison.Ordinal), WastePrefix = query.WastePrefix?.Replace("\0", "", StringComparison.Ordinal) };
        var shown = await ShownAsync(query, ct);
        var groups = text.QueryGroups(query.Words);
        var near = query.Latitude is { } lat && query.Longitude is { } lon ? new Near(lat, lon) : null;
        var sort = query.Sort;
        if (sort == ListingSort.Distance && near is null)
        {
            sort = ListingSort.Date;
        }

        // Without words every score is 0: relevance is the date order.
        if (sort == ListingSort.Relevance && groups.Count == 0)
        {
            sort = ListingSort.Date;
        }

        var skip = (query.Page - 1) * query.PageSize;
        var (page, counted) = groups.Count > 0
            ? await WithWordsAsync(shown, groups, near, query, sort, skip, ct)
            : await WithoutWordsAsync(shown, near, query.RadiusKm, sort, skip, query.PageSize, ct);
        var ids = page.Select(p => p.Id).ToList();
        var summaries = await db.Listings.AsNoTracking().Where(l => ids.Contains(l.Id)).Select(ListingQueries.Summary).ToDictionaryAsync(s => s.Id, ct);
        var items = page.Select(p => Blur(summaries[p.Id] with { DistanceKm = p.Distance })).ToList();
        return new ListingPage(items, Math.Min(counted, CountCap), query.Page, query.PageSize, counted > CountCap);
    }

    /// How many hits are counted exactly; beyond, the total reads "more than CountCap".
    public const int CountCap = 1000;

    private sealed record Near(double Latitude, double Longitude);

    private sealed record Hit(int Id, double? Distance);

    /// The listings the board shows, with every filter of the query that is not words or distance.
    private async Task<IQueryable<Listing>> ShownAsync(ListingQuery query, CancellationToken ct)
    {
        // Suspended organisations are few: their list keeps a join to the organisations out of every search.
        var suspended = await db.Organisations.Where(o => o.Suspended).Select(o => o.Id).ToListAsync(ct);
        // A shown listing always has its publication date. Saying so lets PostgreSQL, which puts empty dates
        // first in a descending order, skip the drafts' empty dates when it walks the newest listings (they
        // cost 100 ms at 1 000 000 listings), and keeps the date order the same on both databases.
        var listings = db.Listings.AsNoTracking().Where(l => (l.Status == ListingStatus.Published || l.Status == ListingStatus.Reserved) && l.PublishedAt != null);
        if (suspended.Count > 0)
        {
            listings = listings.Where(l => !suspended.Contains(l.OrganisationId));
        }

        if (query.TerritoryId is { } territory)
        {
            // Listings of neighbouring territories come in only when flagged and when their territory shares.
            var neighbours = await Territories.TerritoryNeighbours.SharingIntoAsync(db, territory, ct);
            listings = neighbours.Count == 0
                ? listings.Where(l => l.TerritoryId == territory)
                : listings.Where(l => l.TerritoryId == territory || (l.OpenToNeighbours && neighbours.Contains(l.TerritoryId)));
        }

        if (query.OrganisationId is { } organisation)
        {
            listings = listings.Where(l => l.OrganisationId == organisation);
        }

        if (query.PublishedAfter is { } after)
        {
            listings = listings.Where(l => l.PublishedAt > after);
        }

        if (query.Frequency is { } frequency)
        {
            listings = listings.Where(l => l.Frequency == frequency);
        }

        if (query.PriceMode is { } priceMode)
        {
            listings = listings.Where(l => l.PriceMode == priceMode);
        }

        if (query.OrganisationKind is { } kind)
        {
            listings = listings.Where(l => l.Organisation!.Kind == kind);
        }

        if (!string.IsNullOrEmpty(query.WastePrefix))
        {
            var waste = query.WastePrefix;
            listings = listings.Where(l => l.WasteCode!.StartsWith(waste));
        }

        if (query.Type is { } type)
        {
            listings = listings.Where(l => l.Type == type);
        }

        if (!string.IsNullOrWhiteSpace(query.Category))
        {
            var prefix = query.Category + ".";
            listings = listings.Where(l => l.CategoryCode == query.Category || l.CategoryCode!.StartsWith(prefix));
        }

        return listings;
    }

    /// Words: the postings walk of WordSearch (ADR 0014); only the date order of a broad query walks the listings.
    private async Task<(List<Hit> Page, int Counted)> WithWordsAsync(IQueryable<Listing> shown, IReadOnlyList<string[]> groups, Near? near, ListingQuery query,
        ListingSort sort, int skip, CancellationToken ct)
    {
        var search = new WordSearch(new EfListingSearchSteps(db, shown), groups, query.Type, near is null ? null : (near.Latitude, near.Longitude), near is null ? null : query.RadiusKm);
        var (page, counted) = await search.SearchAsync(sort, skip, query.PageSize, ct);
        if (page is not null)
        {
            return ([.. page.Select(h => new Hit(h.Id, h.Distance))], counted);
        }

        var matching = shown;
        foreach (var group in groups)
        {
            // An IN over the term index lets the database start from the few listings that hold the word.
            matching = matching.Where(l => db.ListingTerms.Where(t => group.Contains(t.Term)).Select(t => t.ListingId).Contains(l.Id));
        }

        var dense = near is not null && query.RadiusKm is { } r ? Within(matching, near, r, box: false) : matching;
        return (await PageAsync(dense, near, ListingSort.Date, skip, query.PageSize, ct), counted);
    }

    private async Task<(List<Hit> Page, int Counted)> WithoutWordsAsync(IQueryable<Listing> listings, Near? near, double? radiusKm, ListingSort sort, int skip, int take,
        CancellationToken ct)
    {
        var matching = near is not null && radiusKm is { } radius ? Within(listings, near, radius) : listings;

        // The same hits without the bounding box: for a broad query, walking the newest listings and testing the
        // distance stops after a page, where a box on most of the territory made SQLite read it all and sort.
        var dense = near is not null && radiusKm is { } r2 ? Within(listings, near, r2, box: false) : listings;

        // Counting every hit of a broad query (no word, 50 km: most of the territory) cost more than the rest
        // of the search: beyond CountCap the board says "more than 1 000" (ADR 0006-board).
        var counted = await matching.Take(CountCap + 1).CountAsync(ct);
        var page = counted <= CountCap
            ? await PageAsync(matching, near, sort, skip, take, ct)
            : sort == ListingSort.Distance
                ? await NearestAsync(listings, matching, near!, radiusKm, skip, take, ct)
                : await PageAsync(dense, near, sort, skip, take, ct);
        return (page, counted);
    }

    /// Rows a circle for the nearest listings may hold (NearestCircle).
    private const int MostInCircle = 2000;

    private static IQueryable<Listing> Within(IQueryable<Listing> listings, Near near, double radiusKm, bool box = true)
    {
        var (nLat, nLon) = (near.Latitude, near.Longitude);
        if (box)
        {
            var b = Geo.BoundingBox(nLat, nLon, radiusKm);
            listings = listings.Where(l => l.Latitude >= b.MinLat && l.Latitude <= b.MaxLat && l.Longitude >= b.MinLon && l.Longitude <= b.MaxLon);
        }

        return listings.Where(l => SqlFunctions.DistanceKm(l.Latitude, l.Longitude, nLat, nLon) <= radiusKm);
    }

    /// One page of a set in the board's distance or date order.
    private static async Task<List<Hit>> PageAsync(IQueryable<Listing> set, Near? near, ListingSort sort, int skip, int take, CancellationToken ct)
    {
        var hasNear = near is not null;
        var (nLat, nLon) = (near?.Latitude ?? 0, near?.Longitude ?? 0);
        var projected = set.Select(l => new
        {
            Listing = l,
            Distance = hasNear ? SqlFunctions.DistanceKm(l.Latitude, l.Longitude, nLat, nLon) : (double?)null,
        });
        projected = sort == ListingSort.Distance
            ? projected.OrderBy(x => x.Distance).ThenByDescending(x => x.Listing.PublishedAt).ThenBy(x => x.Listing.Id)
            : projected.OrderByDescending(x => x.Listing.PublishedAt).ThenByDescending(x => x.Listing.Id);
        var rows = await projected.Skip(skip).Take(take).Select(x => new { x.Listing.Id, x.Distance }).ToListAsync(ct);
        return [.. rows.Select(r => new Hit(r.Id, r.Distance))];
    }

    /// The nearest listings of a broad query without words, exactly: those of the smallest circle that holds a
    /// page of them and few enough rows to read (NearestCircle); or, failing that, the plain sort.
    private static async Task<List<Hit>> NearestAsync(IQueryable<Listing> listings, IQueryable<Listing> matching, Near near, double? radiusKm,
        int skip, int take, CancellationToken ct)
    {
        if (radiusKm is { } radius)
        {
            var hits = await NearestCircle.FindAsync(new Circle(near.Latitude, near.Longitude, radius), skip + take, MostInCircle, async ring =>
            {
                var rows = await Within(listings, near, ring.RadiusKm).Take(MostInCircle + 1)
                    .Select(l => new { l.Id, l.Latitude, l.Longitude, l.PublishedAt }).ToListAsync(ct);
                return rows.Count > MostInCircle ? null : [.. rows.Select(l => new SearchHit(l.Id, ring.DistanceKm(l.Latitude, l.Longitude), 0, l.PublishedAt))];
            });
            if (hits is not null)
            {
                return [.. hits.Skip(skip).Take(take).Select(h => new Hit(h.Id, h.Distance))];
            }
        }

        return await PageAsync(matching, near, ListingSort.Distance, skip, take, ct);
    }

    /// A listing that asked for an approximate location shows a point rounded to about a kilometre.
    public static ListingSummary Blur(ListingSummary s) => !s.ApproximateLocation ? s : s with
    {
        Latitude = Math.Round(s.Latitude, 2),
        Longitude = Math.Round(s.Longitude, 2),
        DistanceKm = s.DistanceKm is { } d ? Math.Max(1, Math.Round(d)) : null,
    };
}
