using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed partial class ImpactJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task Public_dashboard_then_method_then_facilitator_dashboard_exchange_and_funder_report()
    {
        // Anyone: the territory's figures, charts drawn, each chart followed by its table.
        await GoAsync("/impact");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Impact du territoire Grand Bergeracois");
        // The demo's 46 exchanges and 32 organic-loop transfers, plus the one the synergy journey confirms when it runs first.
        await Expect(Page.Locator("[data-figure=exchanges] strong")).ToHaveTextAsync(new Regex("^7[89]$"));
        await Expect(Page.Locator(".chart canvas").First).ToBeVisibleAsync();
        Assert.True(await Page.Locator(".chart canvas").CountAsync() >= 4, "the month, category, operation and Sankey charts");
        await Expect(Page.GetByRole(AriaRole.Table, new() { Name = "Flux par type de structure" })).ToBeVisibleAsync();
        await Expect(Page.Locator("#flow-map")).ToHaveCountAsync(0); // the map of parties is for facilitators

        // Every figure leads to its method.
        await SubmitAsync(Page.Locator("[data-figure=co2e-avoided]"));
        await Expect(Page).ToHaveURLAsync(new Regex("/impact/calcul#co2e-evite$"));
        await Expect(Page.GetByRole(AriaRole.Table, new() { Name = "Facteurs de l’élimination évitée (stockage)" })).ToContainTextAsync("Déchets putrescibles - Stockage - Impacts");

        // The facilitator: the map, the parties, one exchange's arithmetic, the funder report.
        await SignInAsync("animation@coopactions.example.org", Boucle.Web.Data.DemoSeeder.DemoPassword);
        await GoAsync("/impact");
        await Expect(Page.Locator("#flow-map path.leaflet-interactive").First).ToBeAttachedAsync();
        var rows = Page.GetByRole(AriaRole.Table, new() { Name = "Échanges comptés, avec leur calcul" }).Locator("tbody tr");
        await Expect(rows.First).ToBeVisibleAsync();
        Assert.True(await rows.CountAsync() >= 78, "the demo's exchanges and the organic loop's transfers");
        await SubmitAsync(rows.Filter(new() { HasText = "Digestat" }).GetByRole(AriaRole.Link));
        await Expect(Page.Locator("ol.arithmetic")).ToContainTextAsync("Masse : 180 m³ × 0,9492 t par m³");
        await Expect(Page.GetByRole(AriaRole.Table, new() { Name = "Densité utilisée" })).ToContainTextAsync("CalRecycle");

        await GoAsync("/impact/rapport?du=2025-12-01&au=2026-11-30");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Rapport d'impact : Grand Bergeracois");
        await Expect(Page.GetByRole(AriaRole.Table, new() { Name = "Structures ayant donné ou reçu au moins une fois, par famille" })).ToContainTextAsync("Public");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Les plus grands échanges" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_canteen_sees_its_own_dashboard_and_not_another_organisations()
    {
        await SignInAsDemoOwnerAsync("cuisine-centrale-bergerac");
        await GoAsync("/impact/structure");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(new Regex("^Impact de Cuisine centrale"));
        await Expect(Page.Locator("[data-figure=tonnes-diverted] strong")).ToHaveTextAsync(new Regex(@"^\d+(,\d+)? t$"));
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "CSV" }).First).ToHaveAttributeAsync("href", new Regex("^/impact/export/echanges.csv\\?organisation="));
    }
}
