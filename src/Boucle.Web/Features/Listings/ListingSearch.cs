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

public sealed record ListingPage(IReadOnlyList<ListingSummary> Items, int Total, int Page, int PageSize);

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
            listings = listings.Where(l => l.TerritoryId == territory || l.OpenToNeighbours);
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

        var hasNear = query.Latitude is not null && query.Longitude is not null;
        var nLat = query.Latitude ?? 0;
        var nLon = query.Longitude ?? 0;
        if (hasNear && query.RadiusKm is { } radius)
        {
            var box = Geo.BoundingBox(nLat, nLon, radius);
            listings = listings.Where(l => l.Latitude >= box.MinLat && l.Latitude <= box.MaxLat && l.Longitude >= box.MinLon && l.Longitude <= box.MaxLon)
                .Where(l => SqlFunctions.DistanceKm(l.Latitude, l.Longitude, nLat, nLon) <= radius);
        }

        var total = await listings.CountAsync(ct);
        var allTerms = groups.SelectMany(g => g).Distinct().ToArray();
        var projected = listings.Select(l => new
        {
            Listing = l,
            Score = allTerms.Length == 0 ? 0 : db.ListingTerms.Where(t => t.ListingId == l.Id && allTerms.Contains(t.Term)).Sum(t => t.Weight),
            Distance = hasNear ? SqlFunctions.DistanceKm(l.Latitude, l.Longitude, nLat, nLon) : (double?)null,
        });
        var sort = query.Sort;
        if (sort == ListingSort.Distance && !hasNear)
        {
            sort = ListingSort.Date;
        }

        projected = sort switch
        {
            ListingSort.Distance => projected.OrderBy(x => x.Distance).ThenByDescending(x => x.Listing.PublishedAt).ThenBy(x => x.Listing.Id),
            ListingSort.Date => projected.OrderByDescending(x => x.Listing.PublishedAt).ThenByDescending(x => x.Listing.Id),
            _ => projected.OrderByDescending(x => x.Score).ThenByDescending(x => x.Listing.PublishedAt).ThenByDescending(x => x.Listing.Id),
        };

        var page = await projected.Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
            .Select(x => new { x.Listing.Id, x.Distance }).ToListAsync(ct);
        var ids = page.Select(p => p.Id).ToList();
        var summaries = await db.Listings.AsNoTracking().Where(l => ids.Contains(l.Id)).Select(ListingQueries.Summary).ToDictionaryAsync(s => s.Id, ct);
        var items = page.Select(p => Blur(summaries[p.Id] with { DistanceKm = p.Distance })).ToList();
        return new ListingPage(items, total, query.Page, query.PageSize);
    }

    /// A listing that asked for an approximate location shows a point rounded to about a kilometre.
    public static ListingSummary Blur(ListingSummary s) => !s.ApproximateLocation ? s : s with
    {
        Latitude = Math.Round(s.Latitude, 2),
        Longitude = Math.Round(s.Longitude, 2),
        DistanceKm = s.DistanceKm is { } d ? Math.Max(1, Math.Round(d)) : null,
    };
}
