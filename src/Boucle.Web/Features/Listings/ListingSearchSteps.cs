using Boucle.Web.Data;
using Boucle.Web.Features.Reference;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Listings;

/// A circle on the map: the search's point and radius.
public sealed record Circle(double Latitude, double Longitude, double RadiusKm)
{
    public (double MinLat, double MaxLat, double MinLon, double MaxLon) Box => Geo.BoundingBox(Latitude, Longitude, RadiusKm);

    public double DistanceKm(double latitude, double longitude) => Geo.DistanceKm(latitude, longitude, Latitude, Longitude);

    public Circle WithRadius(double radiusKm) => this with { RadiusKm = radiusKm };
}

/// A posting read from the term index: a listing that holds a term, with the term's weight and the listing's point.
public sealed record Posting(int ListingId, int Weight, double Latitude, double Longitude);

public sealed record TermWeight(int ListingId, string Term, int Weight);

public sealed record ShownListing(int Id, DateTime? PublishedAt);

/// Which postings to read: those of the terms of one query group, of one type, in a circle. With a Weight,
/// one section of them (title or description) read newest listing first from BeforeListingId down; without,
/// in no order (every posting of a small circle).
public sealed record PostingRead(string[] Terms, ListingType? Type, Circle? Circle, int Take, int? Weight = null, int? BeforeListingId = null);

/// What the board's search asks of the database when the query has words (ADR 0014): simple statements, each
/// reading one table through one index, so that no planner can choose to read every hit of a broad query.
/// The application runs them through EF Core; the benchmark runs the same statements written by hand in SQL.
public interface IListingSearchSteps
{
    /// How many postings the terms have, counted up to cap: which group of a query to walk.
    Task<int> CountPostingsAsync(string[] terms, int cap, CancellationToken ct);

    Task<List<Posting>> PostingsAsync(PostingRead read, CancellationToken ct);

    /// The weights of the given terms in the given listings.
    Task<List<TermWeight>> TermsOfAsync(int[] listingIds, string[] terms, CancellationToken ct);

    /// Those of the given listings that the board shows and that the query's other filters keep.
    Task<List<ShownListing>> ShownAsync(int[] listingIds, CancellationToken ct);
}

/// The steps through EF Core; `shown` is the listings the board shows, with the query's listing filters.
/// A list of listing ids goes as one parameter (an array on PostgreSQL, JSON on SQLite): EF Core's default of
/// one parameter per id made every batch size a new statement to plan.
public sealed class EfListingSearchSteps(AppDbContext db, IQueryable<Listing> shown) : IListingSearchSteps
{
    public Task<int> CountPostingsAsync(string[] terms, int cap, CancellationToken ct) => Of(terms).Take(cap).CountAsync(ct);

    public Task<List<Posting>> PostingsAsync(PostingRead read, CancellationToken ct)
    {
        var postings = Of(read.Terms);
        if (read.Weight is { } weight)
        {
            postings = postings.Where(t => t.Weight == weight);
        }

        if (read.BeforeListingId is { } before)
        {
            postings = postings.Where(t => t.ListingId < before);
        }

        if (read.Type is { } type)
        {
            postings = postings.Where(t => t.Type == type);
        }

        if (read.Circle is { } circle)
        {
            var b = circle.Box;
            var (lat, lon, radius) = (circle.Latitude, circle.Longitude, circle.RadiusKm);
            postings = read.Weight is null
                ? postings.Where(t => t.Latitude >= b.MinLat && t.Latitude <= b.MaxLat && t.Longitude >= b.MinLon && t.Longitude <= b.MaxLon)

                // A walk in listing order must use the walk index and stop after a batch: "+ 0" keeps both planners
                // from reading the latitude band of the other index and sorting it, which costs every posting of a
                // frequent term.
                : postings.Where(t => t.Latitude + 0 >= b.MinLat && t.Latitude + 0 <= b.MaxLat && t.Longitude >= b.MinLon && t.Longitude <= b.MaxLon);
            postings = postings.Where(t => SqlFunctions.DistanceKm(t.Latitude, t.Longitude, lat, lon) <= radius);
        }

        if (read.Weight is not null)
        {
            postings = postings.OrderByDescending(t => t.ListingId);
        }

        return postings.Take(read.Take).Select(t => new Posting(t.ListingId, t.Weight, t.Latitude, t.Longitude)).ToListAsync(ct);
    }

    public Task<List<TermWeight>> TermsOfAsync(int[] listingIds, string[] terms, CancellationToken ct) =>
        db.ListingTerms.AsNoTracking().Where(t => EF.Parameter(listingIds).Contains(t.ListingId) && terms.Contains(t.Term))
            .Select(t => new TermWeight(t.ListingId, t.Term, t.Weight)).ToListAsync(ct);

    public Task<List<ShownListing>> ShownAsync(int[] listingIds, CancellationToken ct) =>
        shown.Where(l => EF.Parameter(listingIds).Contains(l.Id)).Select(l => new ShownListing(l.Id, l.PublishedAt)).ToListAsync(ct);

    /// One term is an equality, so that a database walks its index in order; several are a list.
    private IQueryable<ListingTerm> Of(string[] terms)
    {
        var postings = db.ListingTerms.AsNoTracking();
        if (terms.Length == 1)
        {
            var term = terms[0];
            return postings.Where(t => t.Term == term);
        }

        return postings.Where(t => terms.Contains(t.Term));
    }
}
