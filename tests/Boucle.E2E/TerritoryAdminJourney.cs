using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed class TerritoryAdminJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task Administrator_opens_the_demo_territory_and_changes_its_listing_duration_and_sharing_then_puts_them_back()
    {
        await SignInAsync(Boucle.Web.Data.DemoSeeder.AdministratorEmail, Boucle.Web.Data.DemoSeeder.DemoPassword);
        await GoAsync("/admin/territoires");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Territoires");
        await CheckAtPhoneWidthAsync();

        // A territory without communes is refused next to the field, and nothing is created.
        await Page.GetByLabel(new Regex("^Nom \\(par défaut")).FillAsync("Territoire vide " + BoucleServer.UniqueTag());
        await SubmitAsync(Button("Créer le territoire"));
        await Expect(FieldError("Input_Communes")).ToHaveTextAsync("Indiquez les communes du territoire, ou le SIREN d'une intercommunalité.");

        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Grand Bergeracois" }));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Grand Bergeracois");
        await Expect(Page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = Boucle.Web.Data.DemoSeeder.FacilitatorEmail })).ToBeVisibleAsync();
        await CheckAtPhoneWidthAsync();

        // How long listings stay published: a wrong number is refused next to the field, a right one is saved,
        // then the demo's value is put back (journeys share the territory).
        var days = Page.GetByLabel(new Regex("^Durée de publication \\(jours"));
        var original = await days.InputValueAsync();
        Assert.Matches("^[0-9]+$", original);
        await days.FillAsync("3");
        await SubmitAsync(Button("Enregistrer la durée"));
        await Expect(FieldError("ExpiryDays")).ToHaveTextAsync("Indiquez un nombre entier de jours, de 7 à 365.");
        await Expect(days).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(days).ToHaveValueAsync("3");
        await CheckAtPhoneWidthAsync();
        await days.FillAsync("75");
        await SubmitAsync(Button("Enregistrer la durée"));
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Durée de publication enregistrée : 75 jours.");
        await GoAsync(new Uri(Page.Url).AbsolutePath);
        await Expect(days).ToHaveValueAsync("75");
        await days.FillAsync(original);
        await SubmitAsync(Button("Enregistrer la durée"));
        await Expect(days).ToHaveValueAsync(original);

        // Sharing switched, seen saved after the redirect, then switched back (journeys share the territory).
        var share = Page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("partager avec les voisins$", RegexOptions.IgnoreCase) });
        var before = await share.InnerTextAsync();
        await SubmitAsync(share);
        await Expect(share).Not.ToHaveTextAsync(before);
        await Expect(Page.Locator("main")).ToContainTextAsync(before == "Partager avec les voisins"
            ? "apparaissent chez ses voisins" : "restent dans ce territoire");
        await GoAsync(new Uri(Page.Url).AbsolutePath);
        await Expect(share).Not.ToHaveTextAsync(before);
        await SubmitAsync(share);
        await Expect(share).ToHaveTextAsync(before);
    }
}
