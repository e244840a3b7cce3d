using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed class ListingJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task Member_posts_an_offer_after_fixing_errors_and_finds_it_in_the_search()
    {
        await SignInAsNewUserAsync("Marc Delpech");
        await CreateOrganisationAsync("Cartonnerie " + BoucleServer.UniqueTag());
        var title = "Chutes de carton ondulé " + BoucleServer.UniqueTag();

        await GoAsync("/annonces/nouvelle");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Publier une annonce");

        // First a bad submission: no title, a quantity that is not a number.
        await Page.GetByLabel("Quantité").FillAsync("beaucoup");
        await SubmitAsync(Button("Publier"));
        await Expect(Page).ToHaveURLAsync(new Regex("/annonces/nouvelle"));
        await Expect(FieldError("Input_Title")).ToHaveTextAsync("Donnez un titre à l'annonce.");
        await Expect(FieldError("Input_Quantity")).ToHaveTextAsync("Saisissez un nombre, par exemple 12,5.");

        await Page.GetByLabel("Offre : j'ai une ressource").CheckAsync();
        await Page.GetByLabel("Titre").FillAsync(title);
        await Page.GetByLabel("Description").FillAsync("Chutes propres et sèches issues de la découpe, en balles d'environ 300 kg. Enlèvement sur place.");
        await Page.GetByLabel("Quantité").FillAsync("2,5");
        await Page.GetByLabel("Unité").SelectOptionAsync(new SelectOptionValue { Label = "t" });
        await Page.GetByLabel("Régularité").SelectOptionAsync(new SelectOptionValue { Label = "mensuel" });
        await SubmitAsync(Button("Publier"));

        await Expect(Page).ToHaveURLAsync(new Regex(@"/annonces/\d+$"));
        var listingPath = new Uri(Page.Url).AbsolutePath;
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(title);
        await Expect(Page.Locator("article header .badge.offer")).ToHaveTextAsync("Offre (j'ai)");
        await Expect(Page.Locator("dt:has-text('Quantité') + dd")).ToHaveTextAsync("2,5 t, mensuel");

        // Found by a visitor's search from the board.
        await GoAsync("/annonces");
        await Page.GetByLabel("Mots").FillAsync("carton");
        await SubmitAsync(Button("Chercher"));
        await Expect(Page).ToHaveURLAsync(new Regex(@"[?&]q=carton"));
        var result = Page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true });
        await Expect(result).ToHaveAttributeAsync("href", listingPath);
        await Expect(Page.Locator("li", new() { Has = result }).Locator(".listing-meta")).ToContainTextAsync("2,5 t, mensuel");
        await SubmitAsync(result);
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(title);
    }
}
