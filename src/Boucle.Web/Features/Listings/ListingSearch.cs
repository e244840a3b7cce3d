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
        var listings = db.Listings.AsNoTracking()
            .Where(l => (l.Status == ListingStatus.Published || l.Status == ListingStatus.Reserved) && !l.Organisation!.Suspended);
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

        var groups = text.QueryGroups(query.Words);
        foreach (var group in groups)
        {
            // An IN over the term index lets the database start from the few listings that hold the word.
            listings = listings.Where(l => db.ListingTerms.Where(t => group.Contains(t.Term)).Select(t => t.ListingId).Contains(l.Id));
        }

        var near = query.Latitude is { } lat && query.Longitude is { } lon ? new Near(lat, lon) : null;
        var matching = near is not null && query.RadiusKm is { } radius ? Within(listings, near, radius) : listings;

        // The same hits without the bounding box: for a broad query, walking the newest listings and testing the
        // distance stops after a page, where a box on most of the territory made SQLite read it all and sort.
        var dense = near is not null && query.RadiusKm is { } r2 ? Within(listings, near, r2, box: false) : listings;

        // Counting every hit of a broad query (no word, 50 km: most of the territory) cost more than the rest
        // of the search: beyond CountCap the board says "more than 1 000" (ADR 0006-board).
        var counted = await matching.Take(CountCap + 1).CountAsync(ct);
        var terms = groups.SelectMany(g => g).Distinct().ToArray();
        var sort = query.Sort;
        if (sort == ListingSort.Distance && near is null)
        {
            sort = ListingSort.Date;
        }

        // Without words every score is 0: relevance is the date order.
        if (sort == ListingSort.Relevance && terms.Length == 0)
        {
            sort = ListingSort.Date;
        }

        var skip = (query.Page - 1) * query.PageSize;
        var page = counted <= CountCap
            ? await PageAsync(matching, near, terms, sort, skip, query.PageSize, ct)
            : sort switch
            {
                ListingSort.Date => await PageAsync(dense, near, terms, sort, skip, query.PageSize, ct),
                ListingSort.Distance => await NearestAsync(listings, matching, near!, query.RadiusKm, terms, skip, query.PageSize, ct),
                _ => await MostRelevantAsync(matching, dense, near, terms, skip, query.PageSize, ct),
            };
        var ids = page.Select(p => p.Id).ToList();
        var summaries = await db.Listings.AsNoTracking().Where(l => ids.Contains(l.Id)).Select(ListingQueries.Summary).ToDictionaryAsync(s => s.Id, ct);
        var items = page.Select(p => Blur(summaries[p.Id] with { DistanceKm = p.Distance })).ToList();
        return new ListingPage(items, Math.Min(counted, CountCap), query.Page, query.PageSize, counted > CountCap);
    }

    /// How many hits are counted exactly; beyond, the total reads "more than CountCap".
    public const int CountCap = 1000;

    private sealed record Near(double Latitude, double Longitude);

    private sealed record Hit(int Id, double? Distance, int Score);

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

    /// One page of a set in the board's order: the definition of the three sorts.
    private async Task<List<Hit>> PageAsync(IQueryable<Listing> set, Near? near, string[] terms, ListingSort sort, int skip, int take, CancellationToken ct)
    {
        var hasNear = near is not null;
        var (nLat, nLon) = (near?.Latitude ?? 0, near?.Longitude ?? 0);
        var projected = set.Select(l => new
        {
            Listing = l,
            Score = terms.Length == 0 ? 0 : db.ListingTerms.Where(t => t.ListingId == l.Id && terms.Contains(t.Term)).Sum(t => t.Weight),
            Distance = hasNear ? SqlFunctions.DistanceKm(l.Latitude, l.Longitude, nLat, nLon) : (double?)null,
        });
        projected = sort switch
        {
            ListingSort.Distance => projected.OrderBy(x => x.Distance).ThenByDescending(x => x.Listing.PublishedAt).ThenBy(x => x.Listing.Id),
            ListingSort.Date => projected.OrderByDescending(x => x.Listing.PublishedAt).ThenByDescending(x => x.Listing.Id),
            _ => projected.OrderByDescending(x => x.Score).ThenByDescending(x => x.Listing.PublishedAt).ThenByDescending(x => x.Listing.Id),
        };
        var rows = await projected.Skip(skip).Take(take).Select(x => new { x.Listing.Id, x.Distance, x.Score }).ToListAsync(ct);
        return [.. rows.Select(r => new Hit(r.Id, r.Distance, r.Score))];
    }

    /// The nearest hits of a broad query, exactly: the smallest circle (1, 2, 4... km) that holds enough hits
    /// holds the nearest ones, and sorting it is cheap; the count on a small circle is cheap as well.
    private async Task<List<Hit>> NearestAsync(IQueryable<Listing> listings, IQueryable<Listing> matching, Near near, double? radiusKm, string[] terms,
        int skip, int take, CancellationToken ct)
    {
        var need = skip + take;

        // More than CountCap hits lie within the radius: a circle of radius·√(2·need/CountCap) holds about twice
        // the hits needed if they were spread evenly, so one or two circles usually suffice.
        var first = radiusKm is { } max ? Math.Max(1, max * Math.Sqrt(2.0 * need / CountCap)) : 1;
        for (var r = first; radiusKm is null || r < radiusKm; r *= 2)
        {
            var circle = Within(listings, near, r);
            if (await circle.Take(need).CountAsync(ct) >= need)
            {
                return await PageAsync(circle, near, terms, ListingSort.Distance, skip, take, ct);
            }

            if (r > 20_000)
            {
                break;
            }
        }

        return await PageAsync(matching, near, terms, ListingSort.Distance, skip, take, ct);
    }

    /// The most relevant hits of a broad query, exactly, without scoring every hit. A title term weighs 3 and a
    /// description term 1, so a listing without any query term in its title scores at most the number of query
    /// terms: when enough listings with a title match score more than that, no other listing can be among them.
    private async Task<List<Hit>> MostRelevantAsync(IQueryable<Listing> matching, IQueryable<Listing> dense, Near? near, string[] terms, int skip, int take, CancellationToken ct)
    {
        var need = skip + take;
        var best = 3 * terms.Length;
        if (terms.Length <= 2)
        {
            // Every query term in the title: the best possible score, so these come first, newest first.
            var top = dense;
            foreach (var term in terms)
            {
                top = top.Where(l => db.ListingTerms.Any(t => t.ListingId == l.Id && t.Term == term && t.Weight > 1));
            }

            var page = await PageAsync(top, near, terms, ListingSort.Date, 0, need, ct);
            if (page.Count == need && page.All(h => h.Score == best))
            {
                return page[skip..];
            }
        }

        var titled = matching.Where(l => db.ListingTerms.Any(t => t.ListingId == l.Id && terms.Contains(t.Term) && t.Weight > 1));
        var candidates = await PageAsync(titled, near, terms, ListingSort.Relevance, 0, need, ct);
        if (candidates.Count == need && candidates[^1].Score > terms.Length)
        {
            return candidates[skip..];
        }

        return await PageAsync(matching, near, terms, ListingSort.Relevance, skip, take, ct);
    }

    /// A listing that asked for an approximate location shows a point rounded to about a kilometre.
    public static ListingSummary Blur(ListingSummary s) => !s.ApproximateLocation ? s : s with
    {
        Latitude = Math.Round(s.Latitude, 2),
        Longitude = Math.Round(s.Longitude, 2),
        DistanceKm = s.DistanceKm is { } d ? Math.Max(1, Math.Round(d)) : null,
    };
}
