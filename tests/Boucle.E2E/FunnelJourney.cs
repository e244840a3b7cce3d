using System.Globalization;
using System.Text.RegularExpressions;
using Boucle.Web.Data;
using Boucle.Web.Features.Synergies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

/// From a pair the engine proposes to a confirmed exchange: the facilitator accepts it, moves the
/// synergy to contact made then agreed; the giver records the exchange, the taker confirms it.
public sealed class FunnelJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task A_suggested_pair_becomes_a_confirmed_exchange()
    {
        // The territory's public impact page, before: its count of exchanges moves once the exchange is confirmed.
        var exchangesBefore = await CountedExchangesAsync();
        await SignInAsync(DemoSeeder.FacilitatorEmail, DemoSeeder.DemoPassword);
        await GoAsync("/animation/synergies");
        // The least relevant open pair of the first page: the other synergy journey takes the best ones.
        var row = Page.Locator("table.synergy-table tbody tr").Filter(new() { Has = Page.GetByRole(AriaRole.Button, new() { Name = "Accepter" }) }).Last;
        var offer = int.Parse(Regex.Match(await row.Locator("td:nth-child(1) a").GetAttributeAsync("href") ?? "", @"\d+").Value, CultureInfo.InvariantCulture);
        var need = int.Parse(Regex.Match(await row.Locator("td:nth-child(2) a").GetAttributeAsync("href") ?? "", @"\d+").Value, CultureInfo.InvariantCulture);
        await SubmitAsync(row.GetByRole(AriaRole.Button, new() { Name = "Accepter" }));
        await Expect(Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Synergie acceptée." })).ToBeVisibleAsync();

        var (id, giverKey, takerKey, giverName, takerName) = await SynergyAsync(offer, need);
        Output.WriteLine($"synergy {id}: {giverKey} → {takerKey}");

        // On the follow-up board, the synergy waits in the first column; the facilitator moves it on.
        var nav = Page.GetByRole(AriaRole.Navigation, new() { Name = "Navigation principale" });
        await OpenFacilitatorMenuAsync();
        await SubmitAsync(nav.GetByRole(AriaRole.Link, new() { Name = "Suivi", Exact = true }));
        var card = Page.Locator("section.funnel-column", new() { Has = Page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^Suggérée") }) })
            .Locator("li.funnel-card", new() { Has = Page.Locator($"a[href='/synergies/{id}']") });
        await Expect(card).ToHaveCountAsync(1);
        await card.Locator("summary").ClickAsync();
        await card.GetByLabel("Nouvelle étape").SelectOptionAsync(new SelectOptionValue { Label = "Contact pris" });
        await card.GetByLabel(new Regex("^Note")).FillAsync("Premier appel aux deux structures");
        await SubmitAsync(card.GetByRole(AriaRole.Button, new() { Name = "Déplacer" }));
        await Expect(Page).ToHaveURLAsync(new Regex("/animation/suivi$"));
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Synergie passée à l'étape « Contact pris »");
        await Expect(Page.Locator("section.funnel-column", new() { Has = Page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^Contact pris") }) })
            .Locator($"a[href='/synergies/{id}']")).ToHaveCountAsync(1);

        // From the synergy's own page: agreed.
        await GoAsync($"/synergies/{id}");
        await Page.GetByLabel("Nouvelle étape").SelectOptionAsync(new SelectOptionValue { Label = "Accord trouvé" });
        await SubmitAsync(Button("Déplacer"));
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Accord trouvé");
        await Expect(Page.GetByRole(AriaRole.Table, new() { Name = "Étapes successives de la synergie" })).ToContainTextAsync("Premier appel aux deux structures");

        // The giver records the exchange, from the synergy.
        var giver = await NewPersonAsync();
        ActAs(giver);
        await SignInAsDemoOwnerAsync(giverKey);
        await GoAsync("/mon-espace/synergies");
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = (await Page.Locator($"a[href='/synergies/{id}']").InnerTextAsync()).Trim() }).First);
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer un échange réalisé" })); // a link styled as a button
        Assert.Equal(giverName, (await Page.GetByLabel("Qui donne").Locator("option:checked").InnerTextAsync()).Trim());
        Assert.Equal(takerName, (await Page.GetByLabel("Qui reçoit").Locator("option:checked").InnerTextAsync()).Trim());
        await Page.GetByLabel("Quantité", new() { Exact = true }).FillAsync("350");
        await Page.GetByLabel("Unité").SelectOptionAsync("Kg");
        await Page.GetByLabel("Ce que devient la ressource").SelectOptionAsync(new SelectOptionValue { Label = "Réemploi, réutilisation (R0)" });
        await Page.GetByLabel("Mode de transport").SelectOptionAsync(new SelectOptionValue { Label = "Utilitaire" });
        await SubmitAsync(Button("Enregistrer l'échange"));
        var reference = Page.GetByLabel(new Regex("^Numéro du bordereau TrackDéchets"));
        if (await reference.GetAttributeAsync("aria-invalid") == "true")
        {
            // The offer's waste code is hazardous: the form asks for the TrackDéchets form number, next to the field.
            await Expect(FieldError("Input_TrackDechetsRef")).ToContainTextAsync("déchet dangereux");
            await reference.FillAsync("BSD-20260315-4K7PQ2XZ9");
            await SubmitAsync(Button("Enregistrer l'échange"));
        }

        await Expect(Page).ToHaveURLAsync(new Regex(@"/echanges/\d+$"));
        var exchangePath = new Uri(Page.Url).AbsolutePath;
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Échange enregistré.");
        await Expect(Page.Locator(".badge").First).ToHaveTextAsync($"en attente de {takerName}");

        // The taker confirms it from its list.
        var taker = await NewPersonAsync();
        ActAs(taker);
        await SignInAsDemoOwnerAsync(takerKey);
        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Nos échanges" }));
        var pending = Page.Locator("tr", new() { Has = Page.Locator($"a[href='{exchangePath}']") });
        await SubmitAsync(pending.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Confirmer") }));
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Échange confirmé");
        await GoAsync(exchangePath);
        await Expect(Page.Locator(".badge").First).ToHaveTextAsync("confirmé par les deux parties");

        // The synergy has had its first delivery.
        await GoAsync($"/synergies/{id}");
        await Expect(Page.Locator("dl.facts .badge")).ToHaveTextAsync("Premier échange");

        // The dashboard counts it.
        Assert.Equal(exchangesBefore + 1, await CountedExchangesAsync());
    }

    private async Task<int> CountedExchangesAsync()
    {
        await GoAsync("/impact");
        var text = await Page.Locator("[data-figure=exchanges] strong").InnerTextAsync();
        return int.Parse(Regex.Replace(text, @"\D", ""), CultureInfo.InvariantCulture);
    }

    private async Task<(int Id, string GiverKey, string TakerKey, string GiverName, string TakerName)> SynergyAsync(int offer, int need)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var s = await db.Set<Synergy>().SingleAsync(x => x.OfferListingId == offer && x.NeedListingId == need && x.Stage == SynergyStage.Suggested);
        var giver = await db.Organisations.SingleAsync(o => o.Id == s.GiverOrganisationId);
        var taker = await db.Organisations.SingleAsync(o => o.Id == s.TakerOrganisationId);
        return (s.Id, giver.ExternalKey!, taker.ExternalKey!, giver.Name, taker.Name);
    }
}
