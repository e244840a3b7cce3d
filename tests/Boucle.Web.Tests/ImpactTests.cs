using System.Globalization;
using System.Net;
using System.Text.Json;
using Boucle.Web.Data;
using Boucle.Web.Features.Exchanges;
using Boucle.Web.Features.Impact;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Territories;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Tests;

/// Impact figures: a small example computed by hand, the counting rule, who reads what, bad parameters.
public abstract class ImpactTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    /*
     * The example, with the seeded factors (Data/Reference/impact_factors.csv → emission_factors.csv):
     *   composting 140 kg CO2e/t; landfill of biowaste 692; energy recovery of biowaste 45; landfill of steel 41;
     *   scrap metal, primary 3473.11953 and closed-loop 1706.42359; truck 0.19748 kg CO2e/t.km; van 0.6313;
     *   TGAP 65 €/t; wood chips 625 lb/yd3 = 0.3708 t/m3.
     *
     * A  2026-03-05  2 t kitchen biowaste (20 01 08), composting, truck 10 km, 200 € avoided declared
     *    treatment 2 × 140 = 280 kg; transport 2 × 10 × 0.19748 = 3.9496 kg; disposal avoided 2 × 692 = 1384 kg; 200 € disposal
     * B  2026-03-20  500 kg steel (12 01 01), reuse R0, van 20 km
     *    t = 0.5; transport 0.5 × 20 × 0.6313 = 6.313 kg; disposal avoided 0.5 × 41 = 20.5 kg;
     *    virgin avoided 0.5 × (3473.11953 − 1706.42359) = 883.34797 kg; 0.5 × 65 = 32.5 € (TGAP default)
     * C  2026-04-02  10 m3 wood chips, R1, truck 5 km, no waste code
     *    t = 10 × 0.3708 = 3.708; treatment 3.708 × 45 = 166.86 kg; transport 3.708 × 5 × 0.19748 = 3.661279 kg;
     *    disposal avoided 3.708 × 692 = 2565.936 kg; no euros
     * E  2026-04-10  50 t biowaste, composting: corrected by F, so it does not count
     * F  2026-04-10  1 t biowaste (20 01 08), composting, no transport (version 2 of E)
     *    treatment 140 kg; disposal avoided 692 kg; 65 € (TGAP default)
     * D  2026-03-10  100 t biowaste confirmed by the giver only: does not count
     *
     * Totals: 4 exchanges; tonnes diverted 2 + 0.5 + 3.708 + 1 = 7.208
     *   induced (280 + 166.86 + 140) + (3.9496 + 6.313 + 3.661279) = 600.783879 kg → 0.601 t
     *   avoided (1384 + 20.5 + 2565.936 + 692) + 883.34797 = 5545.78397 kg → 5.546 t
     *   euros 200 + 32.5 + 65 = 297.5
     * March (A, B): 2.5 t; induced 289.2626 kg → 0.29 t; avoided 2287.84797 kg → 2.288 t
     * April (C, F): 4.708 t; induced 310.521279 kg → 0.311 t; avoided 3257.936 kg → 3.258 t
     */
    [Fact]
    public async Task The_hand_computed_example_matches_the_api_and_the_dashboard()
    {
        var t = await ExampleTerritoryAsync();
        var client = app.CreateClient();
        using var json = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/impact?territory={t.Slug}"));
        var root = json.RootElement;
        Assert.Equal(4, root.GetProperty("exchanges").GetInt32());
        Assert.Equal(7.208, root.GetProperty("tonnes_diverted").GetDouble(), 3);
        Assert.Equal(0.601, root.GetProperty("co2e_induced_t").GetDouble(), 3);
        Assert.Equal(5.546, root.GetProperty("co2e_avoided_t").GetDouble(), 3);
        Assert.Equal(297.5, root.GetProperty("euros_saved").GetDouble(), 2);

        var categories = root.GetProperty("by_category").EnumerateArray().ToDictionary(c => c.GetProperty("category").GetString()!);
        Assert.Equal(2, categories["biowaste.kitchen"].GetProperty("exchanges").GetInt32());
        Assert.Equal(3, categories["biowaste.kitchen"].GetProperty("tonnes_diverted").GetDouble(), 3);
        Assert.Equal(0.424, categories["biowaste.kitchen"].GetProperty("co2e_induced_t").GetDouble(), 3); // 280 + 3.9496 + 140
        Assert.Equal(2.076, categories["biowaste.kitchen"].GetProperty("co2e_avoided_t").GetDouble(), 3); // 1384 + 692
        Assert.Equal(0.904, categories["metals.ferrous"].GetProperty("co2e_avoided_t").GetDouble(), 3); // 20.5 + 883.34797
        Assert.Equal(3.708, categories["greenwaste.chips"].GetProperty("tonnes_diverted").GetDouble(), 3);
        Assert.Equal("Broyat de bois et plaquettes", categories["greenwaste.chips"].GetProperty("label").GetString());

        var months = root.GetProperty("by_month").EnumerateArray().ToList();
        Assert.Equal(["2026-03", "2026-04"], months.Select(m => m.GetProperty("month").GetString()));
        Assert.Equal(2.5, months[0].GetProperty("tonnes_diverted").GetDouble(), 3);
        Assert.Equal(0.29, months[0].GetProperty("co2e_induced_t").GetDouble(), 3);
        Assert.Equal(2.288, months[0].GetProperty("co2e_avoided_t").GetDouble(), 3);
        Assert.Equal(4.708, months[1].GetProperty("tonnes_diverted").GetDouble(), 3);
        Assert.Equal(0.311, months[1].GetProperty("co2e_induced_t").GetDouble(), 3);
        Assert.Equal(3.258, months[1].GetProperty("co2e_avoided_t").GetDouble(), 3);

        // A period keeps April only; the territory can be named by id too.
        using var april = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/impact?territory={t.Id}&from=2026-04-01&to=2026-04-30"));
        Assert.Equal(2, april.RootElement.GetProperty("exchanges").GetInt32());
        Assert.Equal(4.708, april.RootElement.GetProperty("tonnes_diverted").GetDouble(), 3);

        // The public dashboard shows the same figures, each linked to its method.
        var page = WebUtility.HtmlDecode(await client.GetStringAsync($"/impact?territoire={t.Slug}"));
        Assert.Contains("<strong>4</strong> <span>échanges comptés</span>", page, StringComparison.Ordinal);
        Assert.Contains("<strong>7,21 t</strong>", page, StringComparison.Ordinal);
        Assert.Contains("<strong>0,6 t CO2e</strong> <span>induites", page, StringComparison.Ordinal);
        Assert.Contains("<strong>5,55 t CO2e</strong> <span>évitées", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/impact/calcul#co2e-evite\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain(t.GiverName, page, StringComparison.Ordinal); // parties are for facilitators

        // The facilitator sees the exchanges, each with its arithmetic and the factor versions kept.
        var admin = await app.SignedInAsync(DemoSeeder.AdministratorEmail);
        var detailed = WebUtility.HtmlDecode(await admin.GetStringAsync($"/impact?territoire={t.Slug}"));
        Assert.Contains(t.GiverName, detailed, StringComparison.Ordinal);
        Assert.Contains($"/impact/echange/{t.SteelId}", detailed, StringComparison.Ordinal);
        var steel = WebUtility.HtmlDecode(await admin.GetStringAsync($"/impact/echange/{t.SteelId}"));
        Assert.Contains("0,5 t × (3\u202f473,12 − 1\u202f706,42) kg CO2e/t", steel.Replace('\u00a0', '\u202f'), StringComparison.Ordinal);
        Assert.Contains("HGV", await admin.GetStringAsync($"/impact/echange/{t.ChipsId}"), StringComparison.Ordinal);
        Assert.Contains("0,3708 t par m³", WebUtility.HtmlDecode(await admin.GetStringAsync($"/impact/echange/{t.ChipsId}")), StringComparison.Ordinal);
        Assert.Contains("remplacé par une version corrigée", WebUtility.HtmlDecode(await admin.GetStringAsync($"/impact/echange/{t.SupersededId}")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_factor_version_applies_to_new_exchanges_and_computed_ones_keep_theirs()
    {
        var t = await ExampleTerritoryAsync();
        var client = app.CreateClient();
        await client.GetStringAsync($"/api/v1/impact?territory={t.Slug}");
        var admin = await app.SignedInAsync(DemoSeeder.AdministratorEmail);

        // A value without a source is refused next to the field; nothing is written.
        var before = await app.ScopedAsync(db => db.Set<ImpactFactor>().CountAsync(f => f.Key == "treatment.composting"));
        var refused = await BoucleApp.PostFormAsync(admin, "/impact/facteurs?handler=Factor",
            new Dictionary<string, string> { ["Key"] = "treatment.composting", ["Value"] = "abc", ["Source"] = "" }, "/impact/facteurs");
        var refusedHtml = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("Saisissez un nombre", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("Indiquez la source", refusedHtml, StringComparison.Ordinal);
        Assert.Equal(before, await app.ScopedAsync(db => db.Set<ImpactFactor>().CountAsync(f => f.Key == "treatment.composting")));

        // A member cannot edit factors.
        var member = await app.SignedInAsync("menuiserie-dupuy@demo.example.org");
        var forbidden = await BoucleApp.PostFormAsync(member, "/impact/facteurs?handler=Factor",
            new Dictionary<string, string> { ["Key"] = "treatment.composting", ["Value"] = "1", ["Source"] = "x" }, "/impact/facteurs");
        AssertDenied(forbidden);

        var saved = await BoucleApp.PostFormAsync(admin, "/impact/facteurs?handler=Factor",
            new Dictionary<string, string> { ["Key"] = "treatment.composting", ["Value"] = "150", ["Source"] = "Test : nouvelle valeur de compostage" }, "/impact/facteurs");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("v" + (before + 1), await admin.GetStringAsync("/impact/facteurs"), StringComparison.Ordinal);

        // F (1 t composted) keeps 140; its correction G (version 3) is computed with 150.
        var g = await app.ScopedAsync(async db =>
        {
            var f = await db.Exchanges.SingleAsync(x => x.Id == t.CorrectionId);
            var next = Copy(f, 1, version: 3);
            db.Exchanges.Add(next);
            await db.SaveChangesAsync();
            f.SupersededById = next.Id;
            await db.SaveChangesAsync();
            return next.Id;
        });
        using var json = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/impact?territory={t.Slug}"));
        Assert.Equal(0.611, json.RootElement.GetProperty("co2e_induced_t").GetDouble(), 3); // 600.783879 − 140 + 150
        Assert.Equal(140, await app.ScopedAsync(db => db.Set<ExchangeImpact>().Where(i => i.ExchangeId == t.CorrectionId).Select(i => i.Co2eTreatmentKg).SingleAsync()), 6);
        Assert.Equal(150, await app.ScopedAsync(db => db.Set<ExchangeImpact>().Where(i => i.ExchangeId == g).Select(i => i.Co2eTreatmentKg).SingleAsync()), 6);

        // Back to the published value, for the other tests of this class (a third version: history is never rewritten).
        await BoucleApp.PostFormAsync(admin, "/impact/facteurs?handler=Factor",
            new Dictionary<string, string> { ["Key"] = "treatment.composting", ["Value"] = "140", ["Source"] = "Retour à la valeur ADEME" }, "/impact/facteurs");
    }

    [Fact]
    public async Task An_organisation_dashboard_and_its_exports_are_for_its_members_only()
    {
        var dupuy = await app.ScopedAsync(db => db.Organisations.Where(o => o.ExternalKey == "menuiserie-dupuy").Select(o => o.Id).SingleAsync());
        var other = await app.ScopedAsync(db => db.Exchanges.Where(x => x.GiverOrganisationId != dupuy && x.TakerOrganisationId != dupuy)
            .Select(x => x.GiverOrganisationId).FirstAsync());
        var member = await app.SignedInAsync("menuiserie-dupuy@demo.example.org");

        var own = await member.GetAsync("/impact/structure");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("Menuiserie Dupuy", WebUtility.HtmlDecode(await own.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var csv = await member.GetAsync($"/impact/export/echanges.csv?organisation={dupuy}");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.StartsWith("echange,date,donneur,receveur", (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF'), StringComparison.Ordinal);
        var xlsx = await member.GetAsync($"/impact/export/indicateurs.xlsx?organisation={dupuy}");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType!.MediaType);
        Assert.Equal((byte)'P', (await xlsx.Content.ReadAsByteArrayAsync())[0]); // a zip container

        AssertDenied(await member.GetAsync($"/impact/structure?id={other}"));
        AssertDenied(await member.GetAsync($"/impact/export/echanges.csv?organisation={other}"));
        AssertDenied(await member.GetAsync($"/impact/export/flux.geojson?organisation={other}"));
        AssertDenied(await member.GetAsync("/impact/export/echanges.csv")); // the territory's detail
        AssertDenied(await member.GetAsync("/impact/rapport"));
        var anonymous = app.Browser();
        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.GetAsync($"/impact/export/echanges.csv?organisation={dupuy}")).StatusCode);

        // The facilitator reads the territory's flows and the funder report.
        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        using var flows = JsonDocument.Parse(await facilitator.GetStringAsync("/impact/export/flux.geojson"));
        Assert.True(flows.RootElement.GetProperty("features").GetArrayLength() > 10);
        var report = WebUtility.HtmlDecode(await facilitator.GetStringAsync("/impact/rapport?du=2025-12-01&au=2026-11-30"));
        Assert.Contains("Structures impliquées", report, StringComparison.Ordinal);
        Assert.Contains("Économie sociale et solidaire", report, StringComparison.Ordinal);
        Assert.Contains("Les plus grands échanges", report, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("to=hier", "to")]
    [InlineData("from=2026-05-01&to=2026-04-01", "to")]
    [InlineData("territory=nulle-part", "territory")]
    public async Task Bad_parameters_are_a_problem_naming_the_parameter(string query, string parameter)
    {
        var response = await app.CreateClient().GetAsync($"/api/v1/impact?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("errors").TryGetProperty(parameter, out _));
    }

    [Fact]
    public async Task The_demo_territory_counts_its_exchanges_and_shows_pieces_without_density_apart()
    {
        using var json = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/api/v1/impact"));
        // The demo's 46 exchanges and the organic loop's transfers (each one an exchange), all confirmed by both parties.
        var counted = await app.ScopedAsync(async db =>
        {
            var main = await TerritoryQueries.MainAsync(db, CancellationToken.None);
            return await db.Exchanges.Where(Exchange.Counts).CountAsync(x => x.TerritoryId == main!.Id);
        });
        Assert.True(counted > 46, $"{counted} counted exchanges");
        Assert.Equal(counted, json.RootElement.GetProperty("exchanges").GetInt32());
        Assert.True(json.RootElement.GetProperty("tonnes_diverted").GetDouble() > 100);
        Assert.Equal(12, json.RootElement.GetProperty("by_month").GetArrayLength()); // December 2025 to November 2026
        var page = WebUtility.HtmlDecode(await app.CreateClient().GetStringAsync("/impact"));
        Assert.Contains("échange(s) sans tonnage", page, StringComparison.Ordinal);
    }

    /// Cookie sign-in turns a refusal into a redirect to the access-denied page.
    private static void AssertDenied(HttpResponseMessage response) =>
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden
            || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.AbsolutePath == "/acces-refuse"),
            $"{response.RequestMessage!.RequestUri} answered {(int)response.StatusCode} {response.Headers.Location}");

    private sealed record Example(int Id, string Slug, string GiverName, int SteelId, int ChipsId, int SupersededId, int CorrectionId);

    private Task<Example> ExampleTerritoryAsync() => app.ScopedAsync(async db =>
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var now = DateTime.UtcNow;
        var territory = new Territory { Slug = $"impact-{suffix}", Name = $"Impact {suffix}", CenterLatitude = 45.0, CenterLongitude = 0.5, CreatedAt = now };
        db.Territories.Add(territory);
        await db.SaveChangesAsync();
        Organisation Org(string name, OrganisationKind kind, double lat) => new() { TerritoryId = territory.Id, Name = $"{name} {suffix}", Kind = kind, Latitude = lat, Longitude = 0.5, CreatedAt = now };
        var canteen = Org("Cantine", OrganisationKind.Canteen, 45.0);
        var farm = Org("Ferme", OrganisationKind.Farm, 45.1);
        db.Organisations.AddRange(canteen, farm);
        await db.SaveChangesAsync();

        Exchange X(string category, string? wasteCode, double quantity, QuantityUnit unit, string date, string operation, TransportMode mode, double? km, double? avoided = null, bool confirmed = true) => new()
        {
            TerritoryId = territory.Id,
            GiverOrganisationId = canteen.Id,
            TakerOrganisationId = farm.Id,
            CategoryCode = category,
            WasteCode = wasteCode,
            Quantity = quantity,
            Unit = unit,
            Date = DateOnly.Parse(date, CultureInfo.InvariantCulture),
            Operation = operation,
            TransportMode = mode,
            DistanceKm = km,
            AvoidedCostEur = avoided,
            CreatedAt = now,
            GiverConfirmedAt = now,
            TakerConfirmedAt = confirmed ? now : null,
        };
        var a = X("biowaste.kitchen", "20 01 08", 2, QuantityUnit.T, "2026-03-05", "composting", TransportMode.Truck, 10, avoided: 200);
        var b = X("metals.ferrous", "12 01 01", 500, QuantityUnit.Kg, "2026-03-20", "R0", TransportMode.Van, 20);
        var c = X("greenwaste.chips", null, 10, QuantityUnit.M3, "2026-04-02", "R1", TransportMode.Truck, 5);
        var d = X("biowaste.kitchen", "20 01 08", 100, QuantityUnit.T, "2026-03-10", "composting", TransportMode.None, null, confirmed: false);
        var e = X("biowaste.kitchen", "20 01 08", 50, QuantityUnit.T, "2026-04-10", "composting", TransportMode.None, null);
        db.Exchanges.AddRange(a, b, c, d, e);
        await db.SaveChangesAsync();
        var f = Copy(e, 1, version: 2);
        db.Exchanges.Add(f);
        await db.SaveChangesAsync();
        e.SupersededById = f.Id;
        await db.SaveChangesAsync();
        return new Example(territory.Id, territory.Slug, canteen.Name, b.Id, c.Id, e.Id, f.Id);
    });

    private static Exchange Copy(Exchange x, double quantity, int version) => new()
    {
        TerritoryId = x.TerritoryId,
        GiverOrganisationId = x.GiverOrganisationId,
        TakerOrganisationId = x.TakerOrganisationId,
        CategoryCode = x.CategoryCode,
        WasteCode = x.WasteCode,
        Quantity = quantity,
        Unit = x.Unit,
        Date = x.Date,
        Operation = x.Operation,
        TransportMode = x.TransportMode,
        DistanceKm = x.DistanceKm,
        CreatedAt = x.CreatedAt,
        GiverConfirmedAt = x.GiverConfirmedAt,
        TakerConfirmedAt = x.TakerConfirmedAt,
        Version = version,
        OriginalId = x.OriginalId ?? x.Id,
    };
}

public sealed class ImpactTestsOnSqlite(SqliteApp app) : ImpactTests<SqliteApp>(app);

public sealed class ImpactTestsOnPostgres(PostgresApp app) : ImpactTests<PostgresApp>(app);
