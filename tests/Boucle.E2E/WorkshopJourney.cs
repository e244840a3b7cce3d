using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed class WorkshopJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task Two_phones_write_cards_and_the_facilitators_board_pairs_them_without_reloading()
    {
        var title = "Atelier drêches " + BoucleServer.UniqueTag();

        // The facilitator opens the session on a laptop.
        var board = Page;
        await SignInAsync(Boucle.Web.Data.DemoSeeder.FacilitatorEmail, Boucle.Web.Data.DemoSeeder.DemoPassword);
        await GoAsync("/animation/ateliers");
        await Page.GetByLabel("Titre").FillAsync(title);
        await Page.GetByLabel("Date").FillAsync("2026-12-03");
        await Page.GetByLabel("Lieu (facultatif)").FillAsync("Brasserie du Caudeau");
        await SubmitAsync(Button("Ouvrir l'atelier"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(title);
        var code = (await Page.Locator(".join-code").TextContentAsync())!.Trim();
        Assert.Matches("^[A-Z2-9]{6}$", code);
        // A mark that a reload would wipe: the board must change under it.
        await board.EvaluateAsync("() => { window.boucleNoReload = true; }");
        var cards = board.Locator("#tableau");
        await Expect(cards).ToContainTextAsync("0 carte");

        // The brewery's phone joins by typing the code.
        var brewery = await NewPersonAsync();
        await brewery.SetViewportSizeAsync(375, 812);
        ActAs(brewery);
        await SignInAsDemoOwnerAsync("brasserie-du-caudeau");
        await GoAsync("/atelier");
        await Page.GetByLabel("Code de l'atelier").FillAsync(code.ToLowerInvariant());
        await SubmitAsync(Button("Rejoindre"));
        await Expect(Page).ToHaveURLAsync(new Regex($"/atelier/{code}$"));
        // A card without anything: errors next to the fields.
        await SubmitAsync(Button("Ajouter la carte"));
        await Expect(FieldError("Card_Text")).ToHaveTextAsync("Écrivez en quelques mots ce que vous avez ou cherchez.");
        await Page.GetByRole(AriaRole.Radio, new() { Name = "a (offre)" }).CheckAsync();
        await Page.GetByLabel("En quelques mots").FillAsync("Drêches de brasserie humides");
        await Page.GetByLabel("Quantité (facultatif)").FillAsync("500");
        await Page.GetByLabel("Unité").SelectOptionAsync(new SelectOptionValue { Label = "kg" });
        await Page.GetByLabel("Régularité").SelectOptionAsync("Weekly");
        await SubmitAsync(Button("Ajouter la carte"));
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Carte ajoutée : « Drêches de brasserie humides »");
        await Expect(Page.Locator(".workshop-cards li")).ToHaveCountAsync(1);

        // The board shows it without a reload.
        ActAs(board);
        await Expect(cards).ToContainTextAsync("Drêches de brasserie humides", new() { Timeout = 15_000 });

        // The farm's phone follows the link and writes what it looks for.
        var farm = await NewPersonAsync();
        await farm.SetViewportSizeAsync(375, 812);
        ActAs(farm);
        await SignInAsDemoOwnerAsync("gaec-pech-rouge");
        await GoAsync($"/atelier/{code}");
        await Page.GetByRole(AriaRole.Radio, new() { Name = "cherche (besoin)" }).CheckAsync();
        await Page.GetByLabel("En quelques mots").FillAsync("Drêches pour nourrir nos vaches");
        await SubmitAsync(Button("Ajouter la carte"));
        // The farm sees its own card only.
        await Expect(Page.Locator(".workshop-cards li")).ToHaveCountAsync(1);
        await Expect(Page.Locator(".workshop-cards")).Not.ToContainTextAsync("humides");

        // The board pairs the two cards (and the farm's card with the brewery's published listing), with the engine's reasons, still without a reload.
        ActAs(board);
        var pair = board.Locator("tr[data-pair^='c'][data-pair*='-c']").Filter(new() { HasText = "Drêches pour nourrir nos vaches" }).Filter(new() { HasText = "Drêches de brasserie humides" });
        await Expect(pair).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Expect(pair).ToContainTextAsync("Brasserie artisanale du Caudeau");
        await Expect(pair).ToContainTextAsync("%");
        Assert.True(await board.EvaluateAsync<bool>("() => window.boucleNoReload === true"), "the board reloaded");
        await CheckPageAsync();

        // Marked discussed in place.
        await pair.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(pair.Locator(".badge")).ToHaveTextAsync("discutée");
        await Expect(cards).ToContainTextAsync("1 discutée");
        Assert.True(await board.EvaluateAsync<bool>("() => window.boucleNoReload === true"), "the board reloaded");
        await CheckPageAsync();

        // The printable summary, then closing: the cards become drafts for each organisation.
        await GoAsync(new Uri(board.Url).AbsolutePath + "/synthese");
        await Expect(Page.Locator("ol").First).ToContainTextAsync("Drêches de brasserie humides");
        await GoAsync(new Uri(board.Url).AbsolutePath.Replace("/synthese", "", StringComparison.Ordinal));
        await SubmitAsync(Button("Clore l'atelier et créer les brouillons"));
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("2 brouillons d'annonce créés");

        ActAs(brewery);
        await GoAsync($"/atelier/{code}");
        await Expect(Page.GetByText("L'atelier est clos")).ToBeVisibleAsync();
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Brouillon d'annonce à confirmer : Drêches de brasserie humides" }));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Drêches de brasserie humides");
    }
}
