using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed class SavedSearchJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    private const string Pallets = "Palettes non consignées à donner";

    [Fact]
    public async Task Owner_saves_a_pallet_search_edits_it_and_stars_a_listing()
    {
        await SignInAsDemoOwnerAsync("atelier-bois-solidaire");
        var name = "Palettes du Bergeracois " + BoucleServer.UniqueTag();

        await GoAsync("/annonces?q=palette");
        await Expect(Page.GetByLabel("Mots")).ToHaveValueAsync("palette");
        await Expect(Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "trouvée" })).ToHaveTextAsync(new Regex(@"^\d+ annonces trouvées\.$"));
        // The map is a named region, its tiles cannot load here and the page says so; the list carries the same results.
        await Expect(Page.GetByRole(AriaRole.Region, new() { Name = "Carte des annonces trouvées" })).ToBeVisibleAsync();
        await Expect(Page.Locator("#carte-annonces-note")).ToContainTextAsync("Le fond de carte ne peut pas être chargé");
        var results = Page.Locator("main ul.listing-list > li h3 a");
        Assert.True(await results.CountAsync() >= 3, "fewer than 3 pallet listings found");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = Pallets, Exact = true })).ToBeVisibleAsync();

        // Save it: a name and a weekly e-mail.
        var save = Page.Locator("section.save-search");
        await Expect(save.GetByLabel("Nom de la recherche")).ToHaveValueAsync("palette");
        await save.GetByLabel("Nom de la recherche").FillAsync(name);
        await save.GetByLabel("Nouvelles annonces par e-mail").SelectOptionAsync(new SelectOptionValue { Label = "une fois par semaine" });
        await SubmitAsync(save.GetByRole(AriaRole.Button, new() { Name = "Enregistrer cette recherche" }));

        await Expect(Page).ToHaveURLAsync(new Regex("/alertes$"));
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Recherche « {name} » enregistrée : vous recevrez les nouvelles annonces une fois par semaine.");
        var saved = Page.Locator("ul.saved-searches > li", new() { Has = Page.GetByRole(AriaRole.Heading, new() { Name = name, Exact = true }) });
        await Expect(saved).ToContainTextAsync("palette");
        await Expect(saved).ToContainTextAsync("E-mails : une fois par semaine.");

        // Its edit page: an empty name is refused next to the field, then a new frequency is kept.
        await SubmitAsync(saved.GetByRole(AriaRole.Link, new() { Name = $"Modifier « {name} »" }));
        await Expect(Page).ToHaveURLAsync(new Regex(@"/alertes/\d+$"));
        var editPath = new Uri(Page.Url).AbsolutePath;
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Modifier « {name} »");
        await Expect(Page.GetByLabel("Nom de la recherche")).ToHaveValueAsync(name);
        await Expect(Page.GetByLabel("une fois par semaine")).ToBeCheckedAsync();
        await Expect(Page.Locator("main a[type='application/atom+xml']")).ToBeVisibleAsync();

        await Page.GetByLabel("Nom de la recherche").FillAsync("");
        await SubmitAsync(Button("Enregistrer"));
        await Expect(Page).ToHaveURLAsync(new Regex(Regex.Escape(editPath) + "$"));
        await Expect(Page.Locator("#Name-error")).ToHaveTextAsync("Donnez un nom à cette recherche.");
        await Expect(Page.GetByLabel("Nom de la recherche")).ToHaveAttributeAsync("aria-invalid", "true");

        await Page.GetByLabel("Nom de la recherche").FillAsync(name);
        await Page.GetByLabel("dès la publication").CheckAsync();
        await SubmitAsync(Button("Enregistrer"));
        await Expect(Page).ToHaveURLAsync(new Regex("/alertes$"));
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Recherche « {name} » modifiée.");
        await Expect(saved).ToContainTextAsync("E-mails : dès la publication.");

        // Star a pallet listing and find it among the favourites.
        await SubmitAsync(saved.GetByRole(AriaRole.Link, new() { Name = $"Voir les annonces de « {name} »" }));
        await Expect(Page.GetByLabel("Mots")).ToHaveValueAsync("palette");
        var listing = Page.GetByRole(AriaRole.Link, new() { Name = Pallets, Exact = true });
        var listingPath = await listing.GetAttributeAsync("href");
        await SubmitAsync(listing);
        await SubmitAsync(Button("Ajouter aux favoris"));
        await Expect(Page).ToHaveURLAsync(new Regex(Regex.Escape(listingPath!) + "$"));
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Annonce ajoutée à vos favoris.");
        await Expect(Button("Retirer des favoris")).ToBeVisibleAsync();

        await SubmitAsync(Page.Locator("form.favourite-toggle").GetByRole(AriaRole.Link, new() { Name = "Mes favoris" }));
        await Expect(Page).ToHaveURLAsync(new Regex("/favoris$"));
        var favourite = Page.GetByRole(AriaRole.Heading, new() { Level = 2, Name = Pallets });
        await Expect(favourite.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", listingPath!);
        await Expect(Page.Locator("main ul.listing-list > li")).ToHaveCountAsync(1);

        // And removed from there.
        await SubmitAsync(Button($"Retirer des favoris : {Pallets}"));
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Annonce retirée de vos favoris.");
        await Expect(Page.GetByText("Vous n'avez encore aucune annonce en favori.")).ToBeVisibleAsync();
    }
}
