using System.Globalization;
using System.Security.Claims;
using Boucle.Web.Data;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Synergies;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.ApiTokens;

/// Body of POST and PUT /api/v1/listings (snake_case like the rest of the API).
public sealed record ListingWriteDto(
    string? Type,
    string? Title,
    string? Description,
    double? Quantity,
    string? Unit,
    string? Frequency,
    string? PriceMode,
    double? PriceEur,
    string? Category,
    string? WasteCode,
    DateOnly? AvailableFrom,
    DateOnly? AvailableTo,
    string? Status);

public static class ListingsWriteApi
{
    public static IServiceCollection AddApiTokens(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(ApiTokenFormat.Scheme, null);
        services.AddAuthorizationBuilder().AddPolicy(ApiTokenFormat.Scheme, p => p.AddAuthenticationSchemes(ApiTokenFormat.Scheme).RequireAuthenticatedUser());
        services.AddApiTokenOpenApi();
        return services;
    }

    public static RouteGroupBuilder MapListingsWriteApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/listings").RequireAuthorization(ApiTokenFormat.Scheme);
        group.MapPost("", CreateAsync).WithName("CreateListing")
            .WithSummary("Publie une annonce pour l'organisation du jeton (Authorization: Bearer).");
        group.MapPut("/{id:int}", UpdateAsync).WithName("UpdateListing").WithSummary("Modifie une annonce de l'organisation du jeton.");
        group.MapPost("/{id:int}/withdraw", WithdrawAsync).WithName("WithdrawListing").WithSummary("Retire une annonce de l'organisation du jeton.");
        return api;
    }

    private static int OrganisationOf(ClaimsPrincipal user) =>
        int.Parse(user.FindFirstValue(ApiTokenFormat.OrganisationClaim)!, CultureInfo.InvariantCulture);

    private static async Task<Results<Created<ListingDto>, ValidationProblem>> CreateAsync(
        ListingWriteDto body, ClaimsPrincipal user, HttpContext http, AppDbContext db, ListingWriter writer, SynergyDigest digest, CancellationToken ct)
    {
        var (input, status, errors) = await ValidateAsync(body, writer, ct);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Annonce invalide.");
        }

        var organisation = await db.Organisations.SingleAsync(o => o.Id == OrganisationOf(user), ct);
        var listing = await writer.ApplyAsync(null, organisation, input, status, ct);
        var baseUrl = $"{http.Request.Scheme}://{http.Request.Host}";
        if (listing.Status == ListingStatus.Published)
        {
            await digest.NotifyAsync(listing.Id, baseUrl, ct);
        }

        var summary = await db.Listings.AsNoTracking().Where(l => l.Id == listing.Id).Select(ListingQueries.Summary).SingleAsync(ct);
        return TypedResults.Created($"/api/v1/listings/{listing.Id}", ListingsApi.ToDto(summary, baseUrl));
    }

    private static async Task<Results<Ok<ListingDto>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        int id, ListingWriteDto body, ClaimsPrincipal user, HttpContext http, AppDbContext db, ListingWriter writer, CancellationToken ct)
    {
        var listing = await db.Listings.SingleOrDefaultAsync(l => l.Id == id, ct);
        if (Refusal(listing, user) is { } refusal)
        {
            return refusal;
        }

        var (input, status, errors) = await ValidateAsync(body, writer, ct);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Annonce invalide.");
        }

        var organisation = await db.Organisations.SingleAsync(o => o.Id == listing!.OrganisationId, ct);
        await writer.ApplyAsync(listing, organisation, input, body.Status is null ? listing!.Status : status, ct);
        var summary = await db.Listings.AsNoTracking().Where(l => l.Id == id).Select(ListingQueries.Summary).SingleAsync(ct);
        return TypedResults.Ok(ListingsApi.ToDto(summary, $"{http.Request.Scheme}://{http.Request.Host}"));
    }

    private static async Task<Results<Ok<ListingDto>, ProblemHttpResult>> WithdrawAsync(
        int id, ClaimsPrincipal user, HttpContext http, AppDbContext db, ListingChanges changes, TimeProvider time, CancellationToken ct)
    {
        var listing = await db.Listings.SingleOrDefaultAsync(l => l.Id == id, ct);
        if (Refusal(listing, user) is { } refusal)
        {
            return refusal;
        }

        if (listing!.Status is ListingStatus.Exchanged)
        {
            return TypedResults.Problem(title: "Une annonce échangée ne peut plus être retirée.", statusCode: StatusCodes.Status409Conflict);
        }

        listing.Status = ListingStatus.Withdrawn;
        listing.UpdatedAt = time.GetUtcNow().UtcDateTime;
        listing.Version++;
        await db.SaveChangesAsync(ct);
        changes.Bump();
        var summary = await db.Listings.AsNoTracking().Where(l => l.Id == id).Select(ListingQueries.Summary).SingleAsync(ct);
        return TypedResults.Ok(ListingsApi.ToDto(summary, $"{http.Request.Scheme}://{http.Request.Host}"));
    }

    /// Another organisation's public listing: 403; a listing that does not exist or that the token may not see: 404.
    private static ProblemHttpResult? Refusal(Listing? listing, ClaimsPrincipal user)
    {
        if (listing is null || (listing.OrganisationId != OrganisationOf(user) && !ListingLabels.PubliclyVisible(listing.Status)))
        {
            return TypedResults.Problem(title: "Annonce introuvable.", statusCode: StatusCodes.Status404NotFound);
        }

        return listing.OrganisationId != OrganisationOf(user)
            ? TypedResults.Problem(title: "Cette annonce appartient à une autre structure.", statusCode: StatusCodes.Status403Forbidden)
            : null;
    }

    private static async Task<(ListingInput Input, ListingStatus Status, Dictionary<string, string[]> Errors)> ValidateAsync(ListingWriteDto body, ListingWriter writer, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        ListingType? type = body.Type switch { "offer" => ListingType.Offer, "need" => ListingType.Need, _ => null };
        var unit = ListingLabels.ParseUnit(body.Unit);
        if (body.Unit is not null && unit is null)
        {
            errors["unit"] = ["Unités possibles : kg, t, L, m3, m2, pieces, pallets, hours, days, kW, kWh."];
        }

        var frequency = ListingLabels.ParseFrequency(body.Frequency);
        if (body.Frequency is not null && frequency is null)
        {
            errors["frequency"] = ["Valeurs possibles : once, daily, weekly, monthly, quarterly, yearly, continuous."];
        }

        var priceMode = ListingLabels.ParsePriceMode(body.PriceMode);
        if (body.PriceMode is not null && priceMode is null)
        {
            errors["price_mode"] = ["Valeurs possibles : free, price, exchange, to_discuss."];
        }

        var status = body.Status switch
        {
            null or "published" => ListingStatus.Published,
            "draft" => ListingStatus.Draft,
            _ => (ListingStatus?)null,
        };
        if (status is null)
        {
            errors["status"] = ["Valeurs possibles : draft, published."];
        }

        var input = new ListingInput
        {
            Type = type,
            Title = body.Title,
            Description = body.Description,
            Quantity = body.Quantity,
            Unit = unit,
            Frequency = frequency ?? Listings.Frequency.Once,
            PriceMode = priceMode ?? Listings.PriceMode.Free,
            PriceEur = body.PriceEur,
            CategoryCode = body.Category,
            WasteCode = body.WasteCode,
            AvailableFrom = body.AvailableFrom,
            AvailableUntil = body.AvailableTo,
        };
        foreach (var (key, messages) in await writer.ValidateAsync(input, ct))
        {
            errors[ApiName(key)] = messages;
        }

        return (input, status ?? ListingStatus.Published, errors);
    }

    private static string ApiName(string property) => property switch
    {
        nameof(ListingInput.Type) => "type",
        nameof(ListingInput.Title) => "title",
        nameof(ListingInput.Description) => "description",
        nameof(ListingInput.Quantity) => "quantity",
        nameof(ListingInput.Unit) => "unit",
        nameof(ListingInput.PriceEur) => "price_eur",
        nameof(ListingInput.CategoryCode) => "category",
        nameof(ListingInput.WasteCode) => "waste_code",
        nameof(ListingInput.AvailableUntil) => "available_to",
        _ => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(property),
    };
}
