using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Listings;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Boucle.Web.Features.Synergies;

public static class SynergyServices
{
    public static IServiceCollection AddSynergies(this IServiceCollection services)
    {
        services.AddSingleton<ListingChanges>();
        services.AddSingleton<SynergyService>();
        services.AddScoped<SynergyDigest>();
        services.AddScoped<SynergyFunnel>();
        return services;
    }

    public static RouteGroupBuilder MapSynergiesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/listings/{id:int}/matches", async Task<Results<Ok<MatchPageDto>, ProblemHttpResult, ValidationProblem>> (
            int id, HttpContext http, AppDbContext db, CurrentActor actor, SynergyService synergies, CancellationToken ct, int? top = null) =>
        {
            if (top is < 1 or > 50)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["top"] = ["top doit être compris entre 1 et 50."] });
            }

            if (await ListingQueries.FindVisibleAsync(db, actor, id, ct) is null)
            {
                return TypedResults.Problem(title: "Annonce introuvable.", statusCode: StatusCodes.Status404NotFound);
            }

            var baseUrl = $"{http.Request.Scheme}://{http.Request.Host}";
            var matches = await synergies.MatchesForAsync(db, id, top ?? 10, ct);
            return TypedResults.Ok(new MatchPageDto([.. matches.Select(m => new MatchDto(
                ListingsApi.ToDto(m.Listing, baseUrl), Math.Round(m.Score, 3), m.Pathway, m.DistanceKm is { } d ? Math.Round(d, 1) : null, m.Reasons))]));
        }).WithName("ListingMatches").WithSummary("Les contreparties proposées par le moteur de synergies, les meilleures d'abord, avec leurs raisons.");
        return api;
    }
}

public sealed record MatchPageDto(IReadOnlyList<MatchDto> Items);

public sealed record MatchDto(ListingDto Listing, double Score, string Pathway, double? DistanceKm, IReadOnlyList<string> Reasons);
