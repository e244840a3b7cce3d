using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed class EditListingJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task Owner_renames_a_listing_after_an_empty_title_is_refused()
    {
        var listing = DemoFile.Read("listings.csv").Single(l => l["key"] == "o-chutes-chene");
        await SignInAsDemoOwnerAsync(listing["organisation"]);

        await SubmitAsync(Page.Locator("main ul.listing-list").GetByRole(AriaRole.Link, new() { Name = listing["title"], Exact = true }));
        await Expect(Page).ToHaveURLAsync(new Regex(@"/annonces/\d+$"));
        var listingPath = new Uri(Page.Url).AbsolutePath;
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(listing["title"]);

        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Modifier l'annonce" }));
        await Expect(Page).ToHaveURLAsync(new Regex(Regex.Escape(listingPath) + "/modifier$"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Modifier l'annonce");
        await Expect(Page.GetByLabel("Titre")).ToHaveValueAsync(listing["title"]);
        await Expect(Page.GetByLabel("Description")).ToHaveValueAsync(listing["description"]);

        // Empty title: the French message next to the field, tied to it, nothing saved.
        await Page.GetByLabel("Titre").FillAsync("");
        await SubmitAsync(Button("Enregistrer"));
        await Expect(Page).ToHaveURLAsync(new Regex(Regex.Escape(listingPath) + "/modifier$"));
        await Expect(FieldError("Input_Title")).ToHaveTextAsync("Donnez un titre à l'annonce.");
        await Expect(Page.GetByLabel("Titre")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Page.GetByLabel("Description")).ToHaveValueAsync(listing["description"]);

        var title = "Chutes de chêne massif, caisse palette " + BoucleServer.UniqueTag();
        await Page.GetByLabel("Titre").FillAsync(title);
        await SubmitAsync(Button("Enregistrer"));
        await Expect(Page).ToHaveURLAsync(new Regex(Regex.Escape(listingPath) + "$"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(title);
        await Expect(Page.Locator("dt:has-text('Quantité') + dd")).ToHaveTextAsync("2 m³, mensuel");

        // The owner's space lists the new title.
        await GoAsync("/mon-espace");
        await Expect(Page.Locator("main ul.listing-list").GetByRole(AriaRole.Link, new() { Name = title, Exact = true })).ToHaveAttributeAsync("href", listingPath);
        await Expect(Page.Locator("main ul.listing-list").GetByRole(AriaRole.Link, new() { Name = listing["title"], Exact = true })).ToHaveCountAsync(0);
    }
}
