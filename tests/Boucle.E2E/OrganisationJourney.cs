using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed class OrganisationJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task Signed_in_person_creates_an_organisation_after_fixing_the_siret()
    {
        await SignInAsNewUserAsync("Nadia Ferrand");
        var name = "Atelier du carton " + BoucleServer.UniqueTag();

        await GoAsync("/structures/nouvelle");
        await FillOrganisationAsync(name, "12345678901234");
        await SubmitAsync(Button("Créer la structure"));

        await Expect(Page).ToHaveURLAsync(new Regex("/structures/nouvelle"));
        await Expect(FieldError("Input_Siret")).ToHaveTextAsync("Le SIRET doit compter 14 chiffres et sa clé de contrôle doit être juste.");
        // What was typed is kept.
        await Expect(Page.GetByLabel("Nom de la structure")).ToHaveValueAsync(name);
        await Expect(Page.GetByLabel("Commune (nom, code postal ou code INSEE)")).ToHaveValueAsync("Bergerac");

        await Page.GetByLabel("SIRET").FillAsync("73282932000074");
        await Page.GetByLabel("Type de structure").SelectOptionAsync(new SelectOptionValue { Label = "Entreprise" });
        await SubmitAsync(Button("Créer la structure"));

        await Expect(Page).ToHaveURLAsync(new Regex(@"/structures/\d+$"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(name);
        await Expect(Page.Locator("main .listing-meta").First).ToContainTextAsync("Entreprise · Bergerac");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Membres de la structure" })).ToBeVisibleAsync();

        await GoAsync("/mon-espace");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 2, Name = name })).ToBeVisibleAsync();
    }
}
