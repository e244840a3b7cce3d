using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed class DirectoryJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task Facilitator_finds_an_organisation_in_the_directory_and_corrects_its_public_page()
    {
        await SignInAsync(Boucle.Web.Data.DemoSeeder.FacilitatorEmail, Boucle.Web.Data.DemoSeeder.DemoPassword);

        // The facilitator's pages are under one "Animation" disclosure, closed at first, usable from the keyboard.
        var nav = Page.GetByRole(AriaRole.Navigation, new() { Name = "Navigation principale" });
        var menu = nav.Locator("details.nav-menu");
        var directory = nav.GetByRole(AriaRole.Link, new() { Name = "Structures", Exact = true });
        await Expect(directory).Not.ToBeVisibleAsync();
        await menu.Locator("summary").FocusAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Expect(directory).ToBeVisibleAsync();
        await CheckPageAsync(); // axe with the menu open
        await Page.Keyboard.PressAsync("Escape");
        await Expect(directory).Not.ToBeVisibleAsync();
        await Expect(menu.Locator("summary")).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("Space");
        await Page.Keyboard.PressAsync("Tab");
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Synergies", Exact = true })).ToBeFocusedAsync();
        await directory.FocusAsync();
        await SubmitAsync(directory);
        await Expect(Page).ToHaveURLAsync(new Regex("/animation/acteurs$"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Annuaire des structures");
        await CheckAtPhoneWidthAsync();

        // Found by a word of its name (no other journey reads this demo organisation).
        await Page.GetByLabel("Nom", new() { Exact = true }).FillAsync("Roques");
        await SubmitAsync(Button("Filtrer"));
        await Expect(Page.Locator("table.directory tbody tr")).ToHaveCountAsync(1);
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Cabinet Roques Expertise" }));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Cabinet Roques Expertise");
        await CheckAtPhoneWidthAsync();

        // The public page, edited for the organisation: an empty name is refused next to the field.
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Modifier la fiche pour la structure" }));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Modifier la fiche de Cabinet Roques Expertise");
        await CheckAtPhoneWidthAsync();
        await Page.GetByLabel("Nom de la structure").FillAsync("");
        await SubmitAsync(Button("Enregistrer"));
        await Expect(FieldError("Input_Name")).Not.ToBeEmptyAsync();
        await Expect(Page.GetByLabel("Nom de la structure")).ToHaveAttributeAsync("aria-invalid", "true");

        var presentation = "Expertise comptable, accompagne les démarches d'économie circulaire " + BoucleServer.UniqueTag();
        await Page.GetByLabel("Nom de la structure").FillAsync("Cabinet Roques Expertise");
        await Page.GetByLabel("Présentation").FillAsync(presentation);
        await SubmitAsync(Button("Enregistrer"));
        await Expect(Page).ToHaveURLAsync(new Regex(@"/animation/acteurs/\d+$"));

        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Fiche publique" }));
        await Expect(Page.Locator("main")).ToContainTextAsync(presentation);
    }
}
