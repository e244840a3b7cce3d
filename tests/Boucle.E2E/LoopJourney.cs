using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

/// The organic loop: the public page with its Sankey and table, then a canteen of the demo weighing
/// its waste (an overlapping period refused by the field, then accepted) and its flows page.
public sealed partial class LoopJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task A_canteen_follows_the_loop_and_records_a_weighing_campaign()
    {
        await GoAsync("/boucle");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("La boucle organique");
        await Expect(Page.Locator("#loop-sankey canvas")).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Table, new() { Name = "Flux de la boucle (en tonnes)" })).ToContainTextAsync("Plateforme de compostage des Coteaux");
        await Expect(Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Part des biodéchets des cantines retournée au sol" })).ToContainTextAsync("%");

        await SignInAsDemoOwnerAsync("rie-parc-des-vaures");
        await GoAsync("/boucle");
        await SubmitAsync(Page.Locator("main").GetByRole(AriaRole.Link, new() { Name = "Restaurant inter-entreprises du Parc des Vaures" }));
        await Expect(Page).ToHaveURLAsync(CanteenUrl());
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Obligations" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Table, new() { Name = "Campagnes de pesée, en grammes par repas (référence ADEME du secteur entre parenthèses)" })).ToContainTextAsync("02/02/2026");

        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Ajouter une campagne de pesée" }));
        await Page.GetByLabel("Début de la période").FillAsync("2026-02-04");
        await Page.GetByLabel("Fin de la période").FillAsync("2026-02-10");
        await Page.GetByLabel("Couverts sur la période").FillAsync("1600");
        await Page.GetByLabel("Masse totale gaspillée (kg)").FillAsync("150");
        await SubmitAsync(Button("Enregistrer la campagne"));
        await Expect(Page.Locator("#Input_PeriodStart-error")).ToContainTextAsync("chevauche la campagne du 02/02/2026 au 06/02/2026");
        await Expect(Page.Locator("#Input_PeriodStart")).ToHaveAttributeAsync("aria-invalid", "true");

        await Page.GetByLabel("Début de la période").FillAsync("2026-11-02");
        await Page.GetByLabel("Fin de la période").FillAsync("2026-11-06");
        await SubmitAsync(Button("Enregistrer la campagne"));
        await Expect(Page).ToHaveURLAsync(CanteenUrl());
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Campagne de pesée enregistrée.");
        // 150 kg for 1,600 meals: 93.75 g a meal, shown rounded.
        await Expect(Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "02/11/2026" })).ToContainTextAsync("94 g");

        await GoAsync("/boucle/saisie");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Transferts de biodéchets" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Plateforme de compostage des Coteaux" }).First).ToContainTextAsync("kg");
    }

    [GeneratedRegex(@"/boucle/cantines/\d+$")]
    private static partial Regex CanteenUrl();
}
