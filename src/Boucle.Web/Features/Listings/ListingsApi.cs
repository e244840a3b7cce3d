using System.Globalization;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Boucle.Web.Features.Listings;

public static class ListingsApi
{
    public static RouteGroupBuilder MapListingsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/listings", SearchAsync).WithName("SearchListings").WithSummary("Cherche les annonces publiées (offres et besoins).");
        api.MapGet("/listings/geojson", GeoJsonAsync).WithName("ListingsGeoJson").WithSummary("Les annonces publiées en GeoJSON (mêmes filtres que la recherche, 2 000 au plus).");
        api.MapGet("/listings/{id:int}", GetAsync).WithName("GetListing").WithSummary("Une annonce.");
        return api;
    }

    private static async Task<Results<Ok<ListingPageDto>, ValidationProblem>> SearchAsync(
        HttpContext http, ListingSearch search, AppDbContext db, CancellationToken ct,
        string? q = null, string? type = null, string? category = null, string? near = null,
        double? radius_km = null, string? sort = null, int? page = null, int? page_size = null)
    {
        var errors = new Dictionary<string, string[]>();
        ListingType? listingType = type switch
        {
            null or "" => null,
            "offer" => ListingType.Offer,
            "need" => ListingType.Need,
            _ => Error<ListingType>(errors, "type", "Valeurs possibles : offer, need."),
        };
        double? lat = null, lon = null;
        if (!string.IsNullOrWhiteSpace(near))
        {
            if (ParsePoint(near) is { } point)
            {
                (lat, lon) = point;
            }
            else
            {
                errors["near"] = [NearFormat];
            }
        }

        if (radius_km is not null && (radius_km <= 0 || radius_km > 1000 || double.IsNaN(radius_km.Value)))
        {
            errors["radius_km"] = ["Le rayon doit être compris entre 0 et 1000 km."];
        }
        else if (radius_km is not null && lat is null && !errors.ContainsKey("near"))
        {
            errors["radius_km"] = ["Le rayon demande un point : near=LAT,LON."];
        }

        ListingSort listingSort = sort switch
        {
            null or "" or "relevance" => ListingSort.Relevance,
            "distance" => ListingSort.Distance,
            "date" => ListingSort.Date,
            _ => Error<ListingSort>(errors, "sort", "Valeurs possibles : relevance, distance, date.") ?? ListingSort.Relevance,
        };
        if (listingSort == ListingSort.Distance && lat is null && !errors.ContainsKey("near"))
        {
            errors["sort"] = ["Le tri par distance demande un point : near=LAT,LON."];
        }

        if (page is < 1 or > 100_000)
        {
            errors["page"] = ["La page commence à 1."];
        }

        if (page_size is < 1 or > 100)
        {
            errors["page_size"] = ["page_size doit être compris entre 1 et 100."];
        }

        if (q is { Length: > 200 })
        {
            errors["q"] = ["La recherche est limitée à 200 caractères."];
        }

        if (category is { Length: > 64 })
        {
            errors["category"] = ["Catégorie inconnue."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Paramètres de recherche invalides.");
        }

        var result = await search.SearchAsync(new ListingQuery
        {
            Words = q,
            Type = listingType,
            Category = string.IsNullOrWhiteSpace(category) ? null : category,
            Latitude = lat,
            Longitude = lon,
            RadiusKm = radius_km,
            Sort = listingSort,
            Page = page ?? 1,
            PageSize = page_size ?? 20,
        }, ct);
        var baseUrl = $"{http.Request.Scheme}://{http.Request.Host}";
        return TypedResults.Ok(new ListingPageDto([.. result.Items.Select(i => ToDto(i, baseUrl))], result.Total, result.Page, result.PageSize, result.TotalCapped));
    }

    private static async Task<Results<Ok<ListingDto>, ProblemHttpResult>> GetAsync(
        int id, HttpContext http, AppDbContext db, CurrentActor actor, CancellationToken ct)
    {
        var listing = await ListingQueries.FindVisibleAsync(db, actor, id, ct);
        if (listing is null)
        {
            return TypedResults.Problem(title: "Annonce introuvable.", statusCode: StatusCodes.Status404NotFound);
        }

        return TypedResults.Ok(ToDto(listing, $"{http.Request.Scheme}://{http.Request.Host}"));
    }

    private static async Task<Results<JsonHttpResult<GeoJsonCollection>, ValidationProblem>> GeoJsonAsync(
        HttpContext http, ListingSearch search, AppDbContext db, CancellationToken ct,
        string? q = null, string? type = null, string? category = null, string? near = null, double? radius_km = null,
        string? frequency = null, string? price_mode = null, string? org_kind = null, string? waste = null)
    {
        ListingType? listingType = type switch
        {
            null or "" => null,
            "offer" => ListingType.Offer,
            "need" => ListingType.Need,
            _ => null,
        };
        if (type is not (null or "" or "offer" or "need"))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["type"] = ["Valeurs possibles : offer, need."] });
        }

        // The same place filter as the search, so that a map shows what the list beside it shows.
        double? lat = null, lon = null;
        if (!string.IsNullOrWhiteSpace(near))
        {
            if (ParsePoint(near) is { } point)
            {
                (lat, lon) = point;
            }
            else
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["near"] = [NearFormat] });
            }
        }

        if (radius_km is not null && (lat is null || radius_km <= 0 || radius_km > 1000 || double.IsNaN(radius_km.Value)))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["radius_km"] = ["Le rayon (0 à 1000 km) demande un point : near=LAT,LON."] });
        }

        var filters = new Dictionary<string, string[]>();
        var listingFrequency = string.IsNullOrWhiteSpace(frequency) ? null : ListingLabels.ParseFrequency(frequency);
        if (!string.IsNullOrWhiteSpace(frequency) && listingFrequency is null)
        {
            filters["frequency"] = ["Valeurs possibles : " + string.Join(", ", Enum.GetValues<Frequency>().Select(ListingLabels.Api)) + "."];
        }

        var priceMode = string.IsNullOrWhiteSpace(price_mode) ? null : ListingLabels.ParsePriceMode(price_mode);
        if (!string.IsNullOrWhiteSpace(price_mode) && priceMode is null)
        {
            filters["price_mode"] = ["Valeurs possibles : free, price, exchange, to_discuss."];
        }

        var kind = string.IsNullOrWhiteSpace(org_kind) ? null : Organisations.OrganisationLabels.Parse(org_kind);
        if (!string.IsNullOrWhiteSpace(org_kind) && kind is null)
        {
            filters["org_kind"] = ["Type de structure inconnu."];
        }

        var wastePrefix = string.IsNullOrWhiteSpace(waste) ? null : ListingQuery.ParseWastePrefix(waste);
        if (!string.IsNullOrWhiteSpace(waste) && wastePrefix is null)
        {
            filters["waste"] = ["Attendu : un chapitre (02), un sous-chapitre (02 07) ou un code (02 07 04) de la liste européenne des déchets."];
        }

        // As for the list: no category code is longer, and a huge one made SQLite fail (found by the bad-input test).
        if (category is { Length: > 64 })
        {
            filters["category"] = ["Catégorie inconnue."];
        }

        if (filters.Count > 0)
        {
            return TypedResults.ValidationProblem(filters);
        }

        var page = await search.SearchAsync(new ListingQuery
        {
            Frequency = listingFrequency,
            PriceMode = priceMode,
            OrganisationKind = kind,
            WastePrefix = wastePrefix,
            Words = q is { Length: > 200 } ? q[..200] : q,
            Type = listingType,
            Category = string.IsNullOrWhiteSpace(category) ? null : category,
            Latitude = lat,
            Longitude = lon,
            RadiusKm = radius_km,
            Sort = ListingSort.Date,
            PageSize = 2000,
        }, ct);
        var baseUrl = $"{http.Request.Scheme}://{http.Request.Host}";
        var features = page.Items.Select(i => new GeoJsonFeature(
            "Feature",
            new GeoJsonPoint("Point", [Math.Round(i.Longitude, 5), Math.Round(i.Latitude, 5)]),
            new GeoJsonProperties(i.Id, ListingLabels.Api(i.Type), i.Title, i.OrganisationName, i.Commune, $"{baseUrl}/annonces/{i.Id}"))).ToList();
        return TypedResults.Json(new GeoJsonCollection("FeatureCollection", features), contentType: "application/geo+json");
    }

    private const string NearFormat = "Attendu : LAT,LON en degrés décimaux, par exemple 44.85,0.48.";

    /// "LAT,LON" in decimal degrees, within the globe.
    private static (double Lat, double Lon)? ParsePoint(string near)
    {
        var parts = near.Split(',');
        return parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat) && lat is >= -90 and <= 90
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon) && lon is >= -180 and <= 180
            ? (lat, lon)
            : null;
    }

    public static ListingDto ToDto(ListingSummary s, string baseUrl) => new(
        s.Id,
        ListingLabels.Api(s.Type),
        s.Title,
        s.Description,
        s.CategoryCode is null ? null : new CategoryDto(s.CategoryCode, s.CategoryLabel ?? s.CategoryCode),
        s.WasteCode,
        s.IsHazardous,
        s.Quantity,
        s.Unit is { } u ? ListingLabels.Api(u) : null,
        ListingLabels.Api(s.Frequency),
        ListingLabels.Api(s.Status),
        new OrganisationRefDto(s.OrganisationId, s.OrganisationName),
        new LocationDto(s.Latitude, s.Longitude, s.Commune),
        s.DistanceKm is { } d ? Math.Round(d, 1) : null,
        $"{baseUrl}/annonces/{s.Id}");

    private static T? Error<T>(Dictionary<string, string[]> errors, string key, string message)
        where T : struct
    {
        errors[key] = [message];
        return null;
    }
}

/// Total is exact up to ListingSearch.CountCap (1 000); beyond, Total is the cap and TotalCapped is true.
public sealed record ListingPageDto(IReadOnlyList<ListingDto> Items, int Total, int Page, int PageSize, bool TotalCapped);

public sealed record ListingDto(
    int Id,
    string Type,
    string Title,
    string? Description,
    CategoryDto? Category,
    string? WasteCode,
    bool Hazardous,
    double? Quantity,
    string? Unit,
    string Frequency,
    string Status,
    OrganisationRefDto Organization,
    LocationDto Location,
    double? DistanceKm,
    string Url);

public sealed record GeoJsonCollection(string Type, IReadOnlyList<GeoJsonFeature> Features);

public sealed record GeoJsonFeature(string Type, GeoJsonPoint Geometry, GeoJsonProperties Properties);

public sealed record GeoJsonPoint(string Type, double[] Coordinates);

public sealed record GeoJsonProperties(int Id, string Type, string Title, string Organization, string? Commune, string Url);

public sealed record CategoryDto(string Code, string Label);

public sealed record OrganisationRefDto(int Id, string Name);

public sealed record LocationDto(double Lat, double Lon, string? Commune);
