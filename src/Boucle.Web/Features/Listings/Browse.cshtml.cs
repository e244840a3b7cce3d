using Boucle.Web.Data;
using Boucle.Web.Features.Reference;
using Boucle.Web.Features.Shared;
using Boucle.Web.Features.Territories;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Boucle.Web.Features.Listings;

public sealed class BrowseModel(AppDbContext db, ListingSearch search, ReferenceData reference, IOptions<BoucleOptions> options) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    [BindProperty(SupportsGet = true)] public string? Category { get; set; }
    [BindProperty(SupportsGet = true)] public string? Commune { get; set; }
    [BindProperty(SupportsGet = true)] public int Rayon { get; set; } = 30;
    [BindProperty(SupportsGet = true)] public string Tri { get; set; } = "relevance";
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;
    [BindProperty(SupportsGet = true, Name = "regularite")] public string? ListingFrequency { get; set; }
    [BindProperty(SupportsGet = true, Name = "price_mode")] public string? PriceModeFilter { get; set; }
    [BindProperty(SupportsGet = true, Name = "org_kind")] public string? OrgKind { get; set; }
    [BindProperty(SupportsGet = true)] public string? Waste { get; set; }
    public string? WasteError { get; private set; }

    public IReadOnlyList<Category> Categories { get; private set; } = [];
    public ListingPage Result { get; private set; } = new([], 0, 1, 20);
    public string? NearName { get; private set; }
    public string? CommuneError { get; private set; }
    public MapModel? Map { get; private set; }
    public int WiderRadius => Rayon < 30 ? 30 : Rayon < 50 ? 50 : 100;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Categories = await db.Categories.AsNoTracking().Where(c => c.ParentCode == null).OrderBy(c => c.SortOrder).ThenBy(c => c.LabelFr).ToListAsync(ct);
        var territory = await TerritoryQueries.MainAsync(db, ct);
        Rayon = Math.Clamp(Rayon, 1, 200);
        PageNumber = Math.Clamp(PageNumber, 1, 10_000);
        Commune? near = null;
        if (!string.IsNullOrWhiteSpace(Commune))
        {
            var found = reference.FindCommunes(Commune, 5);
            near = found.FirstOrDefault();
            if (near is null)
            {
                CommuneError = "Commune introuvable : essayez son code postal.";
            }
            else
            {
                NearName = near.Name;
            }
        }

        var wastePrefix = ListingQuery.ParseWastePrefix(Waste);
        if (!string.IsNullOrWhiteSpace(Waste) && wastePrefix is null)
        {
            WasteError = "Attendu : un chapitre (02), un sous-chapitre (02 07) ou un code (02 07 04).";
        }

        var sort = Tri switch
        {
            "date" => ListingSort.Date,
            "distance" => ListingSort.Distance,
            _ => ListingSort.Relevance,
        };
        Result = await search.SearchAsync(new ListingQuery
        {
            Words = Q?.Length > 200 ? Q[..200] : Q,
            Type = Type switch { "offer" => ListingType.Offer, "need" => ListingType.Need, _ => null },
            Category = string.IsNullOrWhiteSpace(Category) ? null : Category,
            Latitude = near?.Latitude,
            Longitude = near?.Longitude,
            RadiusKm = near is null ? null : Rayon,
            Sort = sort,
            Page = PageNumber,
            PageSize = 20,
            TerritoryId = territory?.Id,
            Frequency = ListingLabels.ParseFrequency(ListingFrequency),
            PriceMode = ListingLabels.ParsePriceMode(PriceModeFilter),
            OrganisationKind = Organisations.OrganisationLabels.Parse(OrgKind),
            WastePrefix = wastePrefix,
        }, ct);

        // The map shows the same query as the list, through the GeoJSON endpoint.
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var geoJson = QueryString.Create(new Dictionary<string, string?>
        {
            ["q"] = string.IsNullOrWhiteSpace(Q) ? null : Q.Length > 200 ? Q[..200] : Q,
            ["type"] = Type is "offer" or "need" ? Type : null,
            ["category"] = string.IsNullOrWhiteSpace(Category) ? null : Category,
            ["near"] = near is null ? null : $"{near.Latitude.ToString(inv)},{near.Longitude.ToString(inv)}",
            ["radius_km"] = near is null ? null : Rayon.ToString(inv),
            ["frequency"] = ListingLabels.ParseFrequency(ListingFrequency) is { } f ? ListingLabels.Api(f) : null,
            ["price_mode"] = ListingLabels.ParsePriceMode(PriceModeFilter) is { } p ? ListingLabels.Api(p) : null,
            ["org_kind"] = Organisations.OrganisationLabels.Parse(OrgKind) is { } k ? Organisations.OrganisationLabels.Api(k) : null,
            ["waste"] = wastePrefix,
        }.Where(p => p.Value is not null)).ToUriComponent().Insert(0, "/api/v1/listings/geojson");
        Map = new MapModel("carte-annonces", near?.Latitude ?? territory?.Latitude ?? 44.85, near?.Longitude ?? territory?.Longitude ?? 0.48,
            near is null ? 10 : 11, geoJson, options.Value.TileUrl, options.Value.TileAttribution, "Carte des annonces trouvées", Fit: true);
    }

    /// The address that saves this search (the same parameters, read by /alertes/nouvelle).
    public string SaveUrl => QueryString.Create(new Dictionary<string, string?>
    {
        ["q"] = Q,
        ["type"] = Type,
        ["category"] = Category,
        ["commune"] = Commune,
        ["rayon"] = Rayon.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["regularite"] = ListingFrequency,
        ["price_mode"] = PriceModeFilter,
        ["org_kind"] = OrgKind,
        ["waste"] = Waste,
    }.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent().Insert(0, "/alertes/nouvelle");

    public string PageUrl(int page) => BuildUrl(page, Rayon);

    public string WiderUrl => BuildUrl(1, WiderRadius);

    private string BuildUrl(int page, int radius) => QueryString.Create(new Dictionary<string, string?>
    {
        ["q"] = Q,
        ["type"] = Type,
        ["category"] = Category,
        ["commune"] = Commune,
        ["rayon"] = radius.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["tri"] = Tri,
        ["regularite"] = ListingFrequency,
        ["price_mode"] = PriceModeFilter,
        ["org_kind"] = OrgKind,
        ["waste"] = Waste,
        ["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent().Insert(0, "/annonces");
}
