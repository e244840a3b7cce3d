using System.Globalization;
using System.Text;
using System.Text.Json;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Territories;
using Microsoft.AspNetCore.Http.HttpResults;
using MiniExcelLibs;

namespace Boucle.Web.Features.Impact;

public sealed record ImpactFiguresDto(string Category, string Label, int Exchanges, double TonnesDiverted, double Co2eInducedT, double Co2eAvoidedT);

public sealed record ImpactMonthDto(string Month, int Exchanges, double TonnesDiverted, double Co2eInducedT, double Co2eAvoidedT);

public sealed record ImpactDto(int Exchanges, double TonnesDiverted, double Co2eInducedT, double Co2eAvoidedT, double EurosSaved,
    IReadOnlyList<ImpactFiguresDto> ByCategory, IReadOnlyList<ImpactMonthDto> ByMonth);

public static class ImpactEndpoints
{
    public static RouteGroupBuilder MapImpactApi(this RouteGroupBuilder api)
    {
        api.MapGet("/impact", GetAsync).WithName("GetImpact")
            .WithSummary("Impact des échanges comptés d'un territoire : tonnes détournées, CO2e induit et évité (à part), euros économisés, par catégorie et par mois.");
        return api;
    }

    public static IEndpointRouteBuilder MapImpactExports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/impact/export/echanges.{format}", ExchangesAsync);
        app.MapGet("/impact/export/indicateurs.{format}", IndicatorsAsync);
        app.MapGet("/impact/export/flux.geojson", FlowsAsync);
        return app;
    }

    private static async Task<Results<Ok<ImpactDto>, ValidationProblem>> GetAsync(
        ImpactService impact, AppDbContext db, CancellationToken ct, string? territory = null, string? from = null, string? to = null)
    {
        var errors = new Dictionary<string, string[]>();
        var (start, end) = Period(from, to, errors);
        TerritorySummary? t = null;
        if (string.IsNullOrWhiteSpace(territory))
        {
            t = await TerritoryQueries.MainAsync(db, ct);
        }
        else if ((t = await impact.TerritoryAsync(territory.Trim(), ct)) is null)
        {
            errors["territory"] = [$"Aucun territoire « {territory} » (identifiant ou slug)."];
        }

        if (errors.Count > 0 || t is null)
        {
            if (t is null && errors.Count == 0)
            {
                errors["territory"] = ["Aucun territoire sur cette instance."];
            }

            return TypedResults.ValidationProblem(errors, title: "Paramètres non valides.");
        }

        var rows = await impact.RowsAsync(new ImpactQuery(t, start, end, null), ct);
        var totals = ImpactTotals.Of(rows);
        return TypedResults.Ok(new ImpactDto(totals.Exchanges, R(totals.TonnesDiverted), R(totals.Co2eInducedT), R(totals.Co2eAvoidedT), Math.Round(totals.EurosSaved, 2),
            [.. ImpactService.ByCategory(rows).Select(g => new ImpactFiguresDto(g.Key, g.Label, g.Totals.Exchanges, R(g.Totals.TonnesDiverted), R(g.Totals.Co2eInducedT), R(g.Totals.Co2eAvoidedT)))],
            [.. ImpactService.ByMonth(rows).Select(g => new ImpactMonthDto(g.Key, g.Totals.Exchanges, R(g.Totals.TonnesDiverted), R(g.Totals.Co2eInducedT), R(g.Totals.Co2eAvoidedT)))]));
    }

    private static double R(double v) => Math.Round(v, 3);

    /// Parses from/to (YYYY-MM-DD); errors name the parameter.
    public static (DateOnly? From, DateOnly? To) Period(string? from, string? to, Dictionary<string, string[]> errors)
    {
        DateOnly? Parse(string? s, string name)
        {
            if (string.IsNullOrWhiteSpace(s))
            {
                return null;
            }

            if (DateOnly.TryParseExact(s.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                return d;
            }

            errors[name] = [$"Date attendue au format AAAA-MM-JJ (reçu « {s} »)."];
            return null;
        }

        var start = Parse(from, "from");
        var end = Parse(to, "to");
        if (start is { } a && end is { } b && a > b)
        {
            errors["to"] = ["La fin de la période précède son début."];
        }

        return (start, end);
    }

    /// Who may read what: a territory's detail is for its facilitators; an organisation's for its members and the territory's facilitators.
    public static async Task<ImpactQuery?> AuthorisedQueryAsync(HttpContext http, AppDbContext db, ImpactService impact, CurrentActor actor, CancellationToken ct)
    {
        var info = await actor.GetAsync(ct);
        if (info.UserId is null)
        {
            return null;
        }

        var errors = new Dictionary<string, string[]>();
        var (from, to) = Period(http.Request.Query["from"], http.Request.Query["to"], errors);
        if (errors.Count > 0)
        {
            return null;
        }

        if (int.TryParse(http.Request.Query["organisation"], NumberStyles.None, CultureInfo.InvariantCulture, out var orgId))
        {
            var territoryId = db.Organisations.Where(o => o.Id == orgId).Select(o => (int?)o.TerritoryId).FirstOrDefault();
            if (territoryId is null || !(info.IsMemberOf(orgId) || info.Facilitates(territoryId.Value)))
            {
                return null;
            }

            var t = await impact.TerritoryAsync(territoryId.Value.ToString(CultureInfo.InvariantCulture), ct);
            return t is null ? null : new ImpactQuery(t, from, to, orgId);
        }

        string? slug = http.Request.Query["territory"];
        var territory = string.IsNullOrWhiteSpace(slug) ? await TerritoryQueries.MainAsync(db, ct) : await impact.TerritoryAsync(slug, ct);
        return territory is not null && info.Facilitates(territory.Id) ? new ImpactQuery(territory, from, to, null) : null;
    }

    private static readonly string[] ExchangeColumns = ["echange", "date", "donneur", "receveur", "categorie", "libelle_categorie", "code_dechet", "operation", "quantite", "unite",
        "distance_km", "tonnes", "tonnes_detournees", "co2e_induit_traitement_kg", "co2e_induit_transport_kg", "co2e_evite_matiere_kg", "co2e_evite_elimination_kg",
        "euros_elimination_evitee", "euros_achats_evites", "matiere_neuve_economisee_t", "dangereux_reemployes_t", "facteurs", "calcul"];

    private static async Task<IResult> ExchangesAsync(string format, HttpContext http, AppDbContext db, ImpactService impact, CurrentActor actor, CancellationToken ct)
    {
        var q = await AuthorisedQueryAsync(http, db, impact, actor, ct);
        if (q is null)
        {
            return actor.IsSignedIn ? Results.Forbid() : Results.Challenge();
        }

        var rows = await impact.RowsAsync(q, ct);
        var table = rows.Select(r => new Dictionary<string, object?>
        {
            ["echange"] = r.ExchangeId,
            ["date"] = r.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["donneur"] = r.Giver.Name,
            ["receveur"] = r.Taker.Name,
            ["categorie"] = r.CategoryCode,
            ["libelle_categorie"] = r.CategoryLabel,
            ["code_dechet"] = r.WasteCode,
            ["operation"] = r.Operation,
            ["quantite"] = r.Quantity,
            ["unite"] = ImpactCalculator.UnitLabel(r.Unit),
            ["distance_km"] = r.DistanceKm,
            ["tonnes"] = r.Impact.Tonnes,
            ["tonnes_detournees"] = r.Impact.TonnesDiverted,
            ["co2e_induit_traitement_kg"] = Math.Round(r.Impact.Co2eTreatmentKg, 3),
            ["co2e_induit_transport_kg"] = Math.Round(r.Impact.Co2eTransportKg, 3),
            ["co2e_evite_matiere_kg"] = Math.Round(r.Impact.Co2eAvoidedVirginKg, 3),
            ["co2e_evite_elimination_kg"] = Math.Round(r.Impact.Co2eAvoidedDisposalKg, 3),
            ["euros_elimination_evitee"] = Math.Round(r.Impact.EurDisposalAvoided, 2),
            ["euros_achats_evites"] = Math.Round(r.Impact.EurPurchasesAvoided, 2),
            ["matiere_neuve_economisee_t"] = r.Impact.VirginMaterialTonnes,
            ["dangereux_reemployes_t"] = r.Impact.HazardousReusedTonnes,
            ["facteurs"] = r.Impact.FactorIds,
            ["calcul"] = r.Impact.Arithmetic,
        }).ToList();
        return Table(format, "echanges", table, ExchangeColumns);
    }

    private static async Task<IResult> IndicatorsAsync(string format, HttpContext http, AppDbContext db, ImpactService impact, CurrentActor actor, CancellationToken ct)
    {
        var q = await AuthorisedQueryAsync(http, db, impact, actor, ct);
        if (q is null)
        {
            return actor.IsSignedIn ? Results.Forbid() : Results.Challenge();
        }

        var rows = await impact.RowsAsync(q, ct);
        var table = new List<Dictionary<string, object?>> { Indicators("total", "Total", ImpactTotals.Of(rows)) };
        table.AddRange(ImpactService.ByCategory(rows).Select(g => Indicators("categorie", g.Label, g.Totals)));
        table.AddRange(ImpactService.ByOperation(rows).Select(g => Indicators("operation", g.Label, g.Totals)));
        table.AddRange(ImpactService.ByMonth(rows).Select(g => Indicators("mois", g.Key, g.Totals)));
        if (q.OrganisationId is null)
        {
            table.AddRange(ImpactService.ByOrganisation(rows).Select(g => Indicators("structure", g.Label, g.Totals)));
        }

        return Table(format, "indicateurs", table, []);
    }

    private static Dictionary<string, object?> Indicators(string group, string label, ImpactTotals t) => new()
    {
        ["regroupement"] = group,
        ["libelle"] = label,
        ["echanges"] = t.Exchanges,
        ["echanges_sans_tonnage"] = t.ExchangesWithoutTonnes,
        ["tonnes"] = Math.Round(t.Tonnes, 3),
        ["tonnes_detournees"] = Math.Round(t.TonnesDiverted, 3),
        ["co2e_induit_traitement_t"] = Math.Round(t.Co2eTreatmentT, 3),
        ["co2e_induit_transport_t"] = Math.Round(t.Co2eTransportT, 3),
        ["co2e_induit_t"] = Math.Round(t.Co2eInducedT, 3),
        ["co2e_evite_matiere_t"] = Math.Round(t.Co2eAvoidedVirginT, 3),
        ["co2e_evite_elimination_t"] = Math.Round(t.Co2eAvoidedDisposalT, 3),
        ["co2e_evite_t"] = Math.Round(t.Co2eAvoidedT, 3),
        ["euros_elimination_evitee"] = Math.Round(t.EurDisposalAvoided, 2),
        ["euros_achats_evites"] = Math.Round(t.EurPurchasesAvoided, 2),
        ["matiere_neuve_economisee_t"] = Math.Round(t.VirginMaterialT, 3),
        ["dangereux_reemployes_t"] = Math.Round(t.HazardousReusedT, 3),
    };

    private static IResult Table(string format, string name, List<Dictionary<string, object?>> rows, IEnumerable<string> header)
    {
        if (format == "xlsx")
        {
            var stream = new MemoryStream();
            stream.SaveAs(rows.Count > 0 ? rows.Select(r => (IDictionary<string, object?>)r).ToList() : [header.ToDictionary(h => h, _ => (object?)null)], sheetName: name);
            stream.Position = 0;
            return Results.File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"boucle-{name}.xlsx");
        }

        if (format != "csv")
        {
            return Results.NotFound();
        }

        var csv = new StringBuilder();
        csv.AppendLine(string.Join(',', rows.Count > 0 ? rows[0].Keys : header));
        foreach (var r in rows)
        {
            csv.AppendLine(string.Join(',', r.Values.Select(Cell)));
        }

        return Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), "text/csv; charset=utf-8", $"boucle-{name}.csv");
    }

    private static string Cell(object? value)
    {
        var s = value switch
        {
            null => "",
            double d => d.ToString(CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        // Spreadsheets run cells that start with =, +, - or @: quote them, and quote separators.
        if (s.Length > 0 && "=+@".Contains(s[0], StringComparison.Ordinal) && value is string)
        {
            s = "'" + s;
        }

        return s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }

    private static async Task<IResult> FlowsAsync(HttpContext http, AppDbContext db, ImpactService impact, CurrentActor actor, CancellationToken ct)
    {
        var q = await AuthorisedQueryAsync(http, db, impact, actor, ct);
        if (q is null)
        {
            return actor.IsSignedIn ? Results.Forbid() : Results.Challenge();
        }

        var rows = await impact.RowsAsync(q, ct);
        return Results.Text(FlowsGeoJson(rows), "application/geo+json", Encoding.UTF8);
    }

    /// One line per pair of parties and category, from giver to taker, weighted by tonnes.
    public static string FlowsGeoJson(IEnumerable<ImpactRow> rows)
    {
        var features = rows.Where(r => r.Giver.Latitude is not null && r.Taker.Latitude is not null)
            .GroupBy(r => (r.Giver.Id, r.Taker.Id, r.CategoryLabel))
            .Select(g =>
            {
                var f = g.First();
                return new
                {
                    type = "Feature",
                    geometry = new
                    {
                        type = "LineString",
                        coordinates = new[] { new[] { f.Giver.Longitude!.Value, f.Giver.Latitude!.Value }, new[] { f.Taker.Longitude!.Value, f.Taker.Latitude!.Value } },
                    },
                    properties = new
                    {
                        giver = f.Giver.Name,
                        taker = f.Taker.Name,
                        category = g.Key.CategoryLabel,
                        exchanges = g.Count(),
                        tonnes = Math.Round(g.Sum(r => r.Impact.Tonnes ?? 0), 3),
                    },
                };
            });
        return JsonSerializer.Serialize(new { type = "FeatureCollection", features });
    }
}
