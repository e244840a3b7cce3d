using Boucle.Web.Data;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Shared;
using Boucle.Web.Features.Territories;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Boucle.Web.Features.Home;

public sealed class IndexModel(AppDbContext db, ListingSearch search, IOptions<BoucleOptions> options) : PageModel
{
    public string TerritoryName { get; private set; } = "Boucle";
    public int Offers { get; private set; }
    public int Needs { get; private set; }
    public int Organisations { get; private set; }
    public int Exchanges { get; private set; }
    public IReadOnlyList<ListingSummary> LatestOffers { get; private set; } = [];
    public IReadOnlyList<ListingSummary> LatestNeeds { get; private set; } = [];
    public required MapModel Map { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var territory = await TerritoryQueries.MainAsync(db, ct);
        var territoryId = territory?.Id ?? 0;
        TerritoryName = territory?.Name ?? "Boucle";
        var counts = await db.Listings.Where(l => l.TerritoryId == territoryId && l.Status == ListingStatus.Published)
            .GroupBy(l => l.Type).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        Offers = counts.FirstOrDefault(c => c.Key == ListingType.Offer)?.Count ?? 0;
        Needs = counts.FirstOrDefault(c => c.Key == ListingType.Need)?.Count ?? 0;
        Organisations = await db.Organisations.CountAsync(o => o.TerritoryId == territoryId && !o.Suspended, ct);
        Exchanges = await db.Exchanges.CountAsync(e => e.TerritoryId == territoryId, ct);
        LatestOffers = (await search.SearchAsync(new ListingQuery { TerritoryId = territoryId, Type = ListingType.Offer, Sort = ListingSort.Date, PageSize = 6 }, ct)).Items;
        LatestNeeds = (await search.SearchAsync(new ListingQuery { TerritoryId = territoryId, Type = ListingType.Need, Sort = ListingSort.Date, PageSize = 6 }, ct)).Items;
        Map = new MapModel("carte-accueil", territory?.Latitude ?? 44.85, territory?.Longitude ?? 0.48, 10, "/api/v1/listings/geojson",
            options.Value.TileUrl, options.Value.TileAttribution, "Carte des annonces du territoire");
    }
}
