using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed class DepositJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task Facilitator_reads_the_deposits_and_shares_a_read_only_link_that_an_elected_official_opens_then_loses()
    {
        await SignInAsync(Boucle.Web.Data.DemoSeeder.FacilitatorEmail, Boucle.Web.Data.DemoSeeder.DemoPassword);
        await GoAsync("/animation/gisements");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Gisements sans preneur");
        await Expect(Page.Locator("table[data-deposits='offer'] tbody tr").First).ToContainTextAsync("sans preneur");
        await Expect(Page.Locator("#carte-gisements")).ToBeVisibleAsync();

        var label = "Conseil communautaire " + BoucleServer.UniqueTag();
        await Page.GetByLabel("Nom de la vue").FillAsync(label);
        await SubmitAsync(Button("Créer un lien partagé (seuil 50 %)"));
        var link = await Page.Locator("a[data-new-link]").GetAttributeAsync("href");
        Assert.Matches("/gisements/[0-9a-f]{48}$", link!);

        // The elected official, without an account, sees aggregates and no organisation's name.
        var facilitator = Page;
        var official = await NewPersonAsync();
        ActAs(official);
        await GoAsync(new Uri(link!).AbsolutePath);
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Gisements sans preneur");
        await Expect(Page.Locator("main")).Not.ToContainTextAsync("Brasserie artisanale du Caudeau");

        // Revoked, the link no longer opens.
        ActAs(facilitator);
        await SubmitAsync(Button($"Révoquer la vue {label}"));
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Lien révoqué");
        ActAs(official);
        var gone = await Page.GotoAsync(new Uri(link!).AbsolutePath);
        Assert.Equal(404, gone!.Status);
        await CheckPageAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Lien non valide");
    }
}
