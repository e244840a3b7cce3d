using System.Globalization;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Territories;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Loop;

public sealed record LoopClosureDto(double? BiowasteToSoil, double? CompostToSupplyingFarms, double? PurchasesFromLoopFarmsEur, double? PurchasesFromLoopFarmsKg);

public sealed record LoopDto(int Canteens, long Meals, double? WasteGPerMeal, double BiowasteT, double ReturnedToSoilT, double CompostToFarmsT, LoopClosureDto Closure);

public static class LoopServices
{
    public static IServiceCollection AddLoop(this IServiceCollection services)
    {
        services.AddScoped<LoopWriter>();
        services.AddScoped<LoopIndicators>();
        services.AddScoped<LoopCsv>();
        services.AddScoped<LoopDemoSeed>();
        return services;
    }

    public static RouteGroupBuilder MapLoopApi(this RouteGroupBuilder api)
    {
        api.MapGet("/loop", GetLoopAsync).WithName("GetLoop")
            .WithSummary("La boucle organique d'un territoire : gaspillage des cantines, biodéchets, retour au sol et part des achats venant des fermes de la boucle.");
        return api;
    }

    /// CSV exports of transfers and deliveries (signed in: the rows of one's organisations, or the territory for its facilitators).
    public static IEndpointRouteBuilder MapLoopExports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/boucle/export/{kind}.csv", async (string kind, CurrentActor actor, AppDbContext db, LoopCsv csv, CancellationToken ct) =>
        {
            var me = await actor.GetAsync(ct);
            if (me.UserId is null)
            {
                return Results.Redirect("/connexion?ReturnUrl=/boucle/saisie");
            }

            var territory = await LoopScope.TerritoryAsync(db, me, ct);
            var whole = me.Facilitates(territory);
            var mine = me.Memberships.Select(m => m.OrganisationId).ToList();
            var text = kind switch
            {
                "transferts" => await csv.ExportTransfersAsync(mine, territory, whole, ct),
                "livraisons" => await csv.ExportDeliveriesAsync(mine, territory, whole, ct),
                _ => null,
            };
            return text is null ? Results.NotFound() : Results.File(System.Text.Encoding.UTF8.GetBytes(text), "text/csv; charset=utf-8", $"boucle-{kind}.csv");
        }).RequireAuthorization();
        return app;
    }

    private static async Task<Results<Ok<LoopDto>, ValidationProblem>> GetLoopAsync(
        AppDbContext db, LoopIndicators indicators, CancellationToken ct, string? territory = null, string? from = null, string? to = null)
    {
        var errors = new Dictionary<string, string[]>();
        DateOnly? Date(string name, string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                return d;
            }

            errors[name] = [$"« {text} » n'est pas une date AAAA-MM-JJ."];
            return null;
        }

        var start = Date("from", from);
        var end = Date("to", to);
        if (start is not null && end is not null && end < start)
        {
            errors["to"] = ["La fin de la période (to) doit suivre son début (from)."];
        }

        int? territoryId = null;
        if (!string.IsNullOrWhiteSpace(territory))
        {
            territoryId = !TerritoryQueries.CanBeSlug(territory) ? null
                : await db.Territories.AsNoTracking().Where(t => t.Slug == territory).Select(t => (int?)t.Id).SingleOrDefaultAsync(ct);
            if (territoryId is null)
            {
                errors["territory"] = [$"Aucun territoire « {(territory.Length > 64 ? territory[..64] : territory)} »."];
            }
        }
        else
        {
            territoryId = (await TerritoryQueries.MainAsync(db, ct))?.Id;
            if (territoryId is null)
            {
                errors["territory"] = ["Cette instance n'a pas encore de territoire."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Paramètre non valide.");
        }

        var f = await indicators.TerritoryAsync(territoryId!.Value, start, end, ct);
        return TypedResults.Ok(new LoopDto(f.Canteens, f.Meals, Round(f.WasteGramsPerMeal, 1), Math.Round(f.BiowasteT, 3), Math.Round(f.ReturnedToSoilT, 3), Math.Round(f.CompostToFarmsT, 3),
            new LoopClosureDto(Round(f.BiowasteToSoil, 4), Round(f.CompostToSupplyingFarms, 4), Round(f.PurchasesFromLoopFarmsEur, 4), Round(f.PurchasesFromLoopFarmsKg, 4))));
    }

    private static double? Round(double? v, int digits) => v is null ? null : Math.Round(v.Value, digits);
}

public static class LoopScope
{
    /// The territory a signed-in person works in: their organisation's, else the first they facilitate, else the main one.
    public static async Task<int> TerritoryAsync(AppDbContext db, ActorInfo me, CancellationToken ct)
    {
        if (me.Current is { } current)
        {
            return current.TerritoryId;
        }

        if (me.FacilitatedTerritories.Count > 0)
        {
            return me.FacilitatedTerritories[0];
        }

        return (await TerritoryQueries.MainAsync(db, ct))?.Id ?? 0;
    }
}
