using System.Collections.Concurrent;
using System.Globalization;
using Boucle.Matching.Engine;
using Boucle.Web.Data;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Territories;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Synergies;

public sealed record SynergyMatch(ListingSummary Listing, double Score, string Pathway, double? DistanceKm, IReadOnlyList<string> Reasons);

public sealed record SynergyPair(ListingSummary Offer, ListingSummary Need, double Score, string Pathway, double? DistanceKm, IReadOnlyList<string> Reasons, DecisionStatus? Decision);

/// Tells the synergy index that listings changed; the next question rebuilds it.
public sealed class ListingChanges
{
    private long _version;

    public long Version => Interlocked.Read(ref _version);

    public void Bump() => Interlocked.Increment(ref _version);
}

/// Keeps the engine's index of the open listings (published or reserved) and answers
/// "who could use this" questions from it.
public sealed class SynergyService(IServiceScopeFactory scopes, ListingChanges changes, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Snapshot? _snapshot;

    private sealed record Entry(MatchListing Listing, int TerritoryId, bool OpenToNeighbours);

    /// The open listings at one version, with one engine index per territory, built when first asked: the
    /// territory's own listings plus those its sharing neighbours flagged open to neighbours.
    private sealed class Snapshot(long version, List<Entry> entries, List<TerritoryNeighbours.Place> places, SynergyEngine engine)
    {
        private readonly ConcurrentDictionary<int, Lazy<SynergyIndex>> _indexes = new();

        public long Version { get; } = version;
        public Dictionary<int, Entry> Listings { get; } = entries.ToDictionary(e => int.Parse(e.Listing.Id, CultureInfo.InvariantCulture));

        public SynergyIndex For(int territoryId) => _indexes.GetOrAdd(territoryId, t => new Lazy<SynergyIndex>(() =>
        {
            var sharing = TerritoryNeighbours.SharingInto(places, t).ToHashSet();
            return engine.Index([.. entries.Where(e => e.TerritoryId == t || (e.OpenToNeighbours && sharing.Contains(e.TerritoryId))).Select(e => e.Listing)]);
        })).Value;
    }

    public async Task<IReadOnlyList<SynergyMatch>> MatchesForAsync(AppDbContext db, int listingId, int top, CancellationToken ct)
    {
        var snapshot = await CurrentAsync(ct);
        var entry = snapshot.Listings.GetValueOrDefault(listingId) ?? await LoadOneAsync(db, listingId, ct);
        if (entry is null)
        {
            return [];
        }

        var dismissed = await DismissedWithAsync(db, listingId, ct);
        var results = snapshot.For(entry.TerritoryId).Match(entry.Listing, top + dismissed.Count);
        var kept = results.Where(r => !dismissed.Contains(int.Parse(r.Id, CultureInfo.InvariantCulture))).Take(top).ToList();
        return await SummariseAsync(db, kept, ct);
    }

    /// Every candidate pair of a territory above the threshold, best first, one line per offer/need pair.
    public async Task<IReadOnlyList<SynergyPair>> PairsAsync(AppDbContext db, int territoryId, double threshold, CancellationToken ct)
    {
        var snapshot = await CurrentAsync(ct);
        var territoryListings = await db.Listings.AsNoTracking()
            .Where(l => l.TerritoryId == territoryId && l.Type == ListingType.Offer && (l.Status == ListingStatus.Published || l.Status == ListingStatus.Reserved))
            .Select(l => l.Id).ToListAsync(ct);
        var pairs = new Dictionary<(int Offer, int Need), MatchResult>();
        var index = snapshot.For(territoryId);
        foreach (var offerId in territoryListings)
        {
            if (!snapshot.Listings.TryGetValue(offerId, out var offer))
            {
                continue;
            }

            foreach (var r in index.Match(offer.Listing, 5).Where(r => r.Score >= threshold))
            {
                pairs.TryAdd((offerId, int.Parse(r.Id, CultureInfo.InvariantCulture)), r);
            }
        }

        var ids = pairs.Keys.SelectMany(k => new[] { k.Offer, k.Need }).Distinct().ToList();
        var summaries = await db.Listings.AsNoTracking().Where(l => ids.Contains(l.Id)).Select(ListingQueries.Summary).ToDictionaryAsync(s => s.Id, ct);
        var decisions = await db.Set<SynergyDecision>().AsNoTracking().Where(d => d.TerritoryId == territoryId)
            .ToDictionaryAsync(d => (d.OfferListingId, d.NeedListingId), d => d.Status, ct);
        return [.. pairs.OrderByDescending(p => p.Value.Score).ThenBy(p => p.Key.Offer).ThenBy(p => p.Key.Need)
            .Where(p => summaries.ContainsKey(p.Key.Offer) && summaries.ContainsKey(p.Key.Need))
            .Select(p => new SynergyPair(ListingSearch.Blur(summaries[p.Key.Offer]), ListingSearch.Blur(summaries[p.Key.Need]), p.Value.Score, p.Value.Pathway,
                p.Value.DistanceKm, p.Value.Reasons, decisions.TryGetValue(p.Key, out var d) ? d : null))];
    }

    private async Task<IReadOnlyList<SynergyMatch>> SummariseAsync(AppDbContext db, IReadOnlyList<MatchResult> results, CancellationToken ct)
    {
        var ids = results.Select(r => int.Parse(r.Id, CultureInfo.InvariantCulture)).ToList();
        var summaries = await db.Listings.AsNoTracking().Where(l => ids.Contains(l.Id)).Select(ListingQueries.Summary).ToDictionaryAsync(s => s.Id, ct);
        return [.. results.Where(r => summaries.ContainsKey(int.Parse(r.Id, CultureInfo.InvariantCulture)))
            .Select(r => new SynergyMatch(ListingSearch.Blur(summaries[int.Parse(r.Id, CultureInfo.InvariantCulture)]), r.Score, r.Pathway, r.DistanceKm, r.Reasons))];
    }

    private static async Task<HashSet<int>> DismissedWithAsync(AppDbContext db, int listingId, CancellationToken ct)
    {
        var rows = await db.Set<SynergyDecision>().AsNoTracking()
            .Where(d => d.Status == DecisionStatus.Dismissed && (d.OfferListingId == listingId || d.NeedListingId == listingId))
            .Select(d => d.OfferListingId == listingId ? d.NeedListingId : d.OfferListingId).ToListAsync(ct);
        return [.. rows];
    }

    private async Task<Snapshot> CurrentAsync(CancellationToken ct)
    {
        var version = changes.Version;
        var snapshot = _snapshot;
        if (snapshot is not null && snapshot.Version == version)
        {
            return snapshot;
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (_snapshot is { } s && s.Version == changes.Version)
            {
                return s;
            }

            version = changes.Version;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var listings = (await Rows(Open(db)).ToListAsync(ct)).Select(ToEntry).ToList();
            var places = await TerritoryNeighbours.PlacesAsync(db, ct);
            // Knowledge added by facilitators joins the shipped pathways.
            var extra = await db.Set<CustomPathway>().AsNoTracking()
                .Select(p => new Boucle.Matching.Knowledge.ValorisationPathway(p.FromCategory, p.ToCategory, p.Operation, p.Rank, p.LabelFr, p.Source))
                .ToListAsync(ct);
            _snapshot = new Snapshot(version, listings, places, new SynergyEngine(time, extra));
            return _snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<Entry?> LoadOneAsync(AppDbContext db, int id, CancellationToken ct) =>
        await Rows(db.Listings.AsNoTracking().Where(l => l.Id == id)).SingleOrDefaultAsync(ct) is { } row ? ToEntry(row) : null;

    private static IQueryable<Listing> Open(AppDbContext db) =>
        db.Listings.AsNoTracking().Where(l => (l.Status == ListingStatus.Published || l.Status == ListingStatus.Reserved) && !l.Organisation!.Suspended);

    private sealed record Row(int Id, ListingType Type, int OrganisationId, string Title, string? Description, double? Quantity, QuantityUnit? Unit,
        Frequency Frequency, double Latitude, double Longitude, string? Commune, bool Authorised, string? Category, string? WasteCode, DateOnly? From, DateOnly? Until,
        int TerritoryId, bool OpenToNeighbours);

    private static IQueryable<Row> Rows(IQueryable<Listing> listings) => listings.Select(l => new Row(
        l.Id, l.Type, l.OrganisationId, l.Title, l.Description, l.Quantity, l.Unit, l.Frequency, l.Latitude, l.Longitude, l.CommuneName,
        l.Organisation!.HazardousAuthorised, l.CategoryCode, l.WasteCode, l.AvailableFrom, l.AvailableUntil, l.TerritoryId, l.OpenToNeighbours));

    private static Entry ToEntry(Row r) => new(ToMatchListing(r), r.TerritoryId, r.OpenToNeighbours);

    // The engine speaks the CSV contract's words (offer/need, kg, monthly...).
    private static MatchListing ToMatchListing(Row r) => new(
        r.Id.ToString(CultureInfo.InvariantCulture),
        r.Type == ListingType.Offer ? ListingKind.Offer : ListingKind.Need,
        r.OrganisationId.ToString(CultureInfo.InvariantCulture),
        r.Title,
        r.Description,
        r.Quantity is { } q && double.IsFinite(q) && Math.Abs(q) < 1e12 ? (decimal)q : null,
        r.Unit is { } u ? ListingLabels.Api(u) : null,
        ListingLabels.Api(r.Frequency),
        r.Latitude,
        r.Longitude,
        r.Commune,
        r.Authorised,
        r.Category,
        r.WasteCode,
        r.From,
        r.Until);
}
