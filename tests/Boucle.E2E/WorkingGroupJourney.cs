using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed class WorkingGroupJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task Facilitator_creates_a_working_group_adds_two_organisations_and_records_a_session()
    {
        await SignInAsync(Boucle.Web.Data.DemoSeeder.FacilitatorEmail, Boucle.Web.Data.DemoSeeder.DemoPassword);
        await GoAsync("/animation/acteurs");
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Groupes de travail" }));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Groupes de travail");
        await CheckAtPhoneWidthAsync();

        // No name: refused next to the field.
        await SubmitAsync(Button("Créer le groupe"));
        await Expect(FieldError("Name")).ToHaveTextAsync("Indiquez le nom du groupe (2 à 200 caractères).");

        var name = "Réemploi informatique " + BoucleServer.UniqueTag();
        await Page.GetByLabel("Nom", new() { Exact = true }).FillAsync(name);
        await Page.GetByLabel("Objet").FillAsync("Mutualiser la collecte des ordinateurs et des plants en pot.");
        await SubmitAsync(Button("Créer le groupe"));
        await Expect(Page).ToHaveURLAsync(new Regex(@"/animation/groupes/\d+$"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(name);

        // Adding without choosing is refused; then two demo organisations no other journey reads.
        await SubmitAsync(Button("Ajouter"));
        await Expect(FieldError("OrganisationId")).ToHaveTextAsync("Choisissez une structure du territoire.");
        foreach (var organisation in new[] { "Ordi'Solidaire 24", "Pépinières du Roc" })
        {
            await Page.GetByLabel("Ajouter une structure").SelectOptionAsync(new SelectOptionValue { Label = organisation });
            await SubmitAsync(Button("Ajouter"));
        }

        var members = Page.Locator("h2:text-is('Structures membres') + ul > li");
        await Expect(members).ToHaveCountAsync(2);
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Retirer Pépinières du Roc du groupe" })).ToBeVisibleAsync();

        await Page.GetByLabel("Date").FillAsync("2026-11-20");
        await Page.GetByLabel("Compte rendu").FillAsync("Premier tour de table.");
        await Page.GetByLabel("Décisions").FillAsync("Une collecte commune au printemps.");
        await SubmitAsync(Button("Enregistrer la séance"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "20 novembre 2026" })).ToBeVisibleAsync();
        await CheckAtPhoneWidthAsync();

        // The group is listed with its members, and on each member's profile.
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "← Groupes de travail" }));
        await Expect(Page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = name })).ToContainTextAsync("2 structure(s), 1 séance(s)");
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = name }));
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Pépinières du Roc" }));
        await Expect(Page.GetByRole(AriaRole.Region, new() { Name = "Groupes de travail" }).GetByRole(AriaRole.Link, new() { Name = name })).ToBeVisibleAsync();
    }
}
