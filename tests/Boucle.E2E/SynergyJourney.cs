using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed partial class SynergyJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    private const string CoffeeGrounds = "Marc de café frais, environ 60 kg par semaine";
    private const string MushroomNeed = "Recherche marc de café pour culture de pleurotes";

    [Fact]
    public async Task Coffee_grounds_listing_names_the_mushroom_grower_as_a_possible_user()
    {
        var listingId = await Server.DemoListingIdAsync("o-marc-cafe-brulerie");
        var needId = await Server.DemoListingIdAsync("n-marc-cafe-pleurotes");

        await GoAsync($"/annonces/{listingId}");
        var section = Page.Locator("section", new() { Has = Page.GetByRole(AriaRole.Heading, new() { Level = 2, Name = "Qui pourrait utiliser cette offre ?" }) });
        await Expect(section).ToBeVisibleAsync();
        var grower = section.Locator("li", new() { Has = Page.GetByRole(AriaRole.Link, new() { Name = MushroomNeed, Exact = true }) });
        await Expect(grower).ToHaveCountAsync(1);
        await Expect(grower.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", $"/annonces/{needId}");
        await Expect(grower.Locator(".listing-meta")).ToContainTextAsync("Les Champignons des Falaises");
        await Expect(grower.Locator(".listing-meta")).ToContainTextAsync(new Regex(@"pertinence \d+ %"));
        // Why: the pathway, then the reasons after a dash.
        var reasons = (await grower.Locator(".reasons").InnerTextAsync()).Trim();
        Assert.Matches(new Regex(@"\S.* — \S"), reasons);

        // And the other way round, from the need.
        await GoAsync($"/annonces/{needId}");
        var answers = Page.Locator("section", new() { Has = Page.GetByRole(AriaRole.Heading, new() { Level = 2, Name = "Qui pourrait répondre à ce besoin ?" }) });
        await Expect(answers.GetByRole(AriaRole.Link, new() { Name = CoffeeGrounds, Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Facilitator_filters_the_pairs_accepts_one_and_dismisses_another_with_a_reason()
    {
        await SignInAsync("animation@coopactions.example.org", Boucle.Web.Data.DemoSeeder.DemoPassword);
        var nav = Page.GetByRole(AriaRole.Navigation, new() { Name = "Navigation principale" });
        await OpenFacilitatorMenuAsync();
        await SubmitAsync(nav.GetByRole(AriaRole.Link, new() { Name = "Synergies", Exact = true }));
        await Expect(Page).ToHaveURLAsync(new Regex("/animation/synergies$"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Synergies du territoire");
        var rows = Page.Locator("table.synergy-table tbody tr");
        var all = await rows.CountAsync();
        Output.WriteLine($"{all} pair(s) to handle by default");
        Assert.True(all >= 3, $"only {all} pair(s) proposed to the facilitator");
        await Expect(Page.GetByText(new Regex(@"^\d+ paires"))).ToBeVisibleAsync();

        // Filter: closer and more relevant pairs only; the form keeps the choice.
        await Page.GetByLabel("Pertinence minimale").SelectOptionAsync("60");
        await Page.GetByLabel("Distance maximale").SelectOptionAsync("30");
        await SubmitAsync(Button("Filtrer"));
        await Expect(Page).ToHaveURLAsync(new Regex(@"[?&]seuil=60"));
        await Expect(Page.GetByLabel("Pertinence minimale")).ToHaveValueAsync("60");
        await Expect(Page.GetByLabel("Distance maximale")).ToHaveValueAsync("30");
        var filtered = await rows.CountAsync();
        Assert.True(filtered > 1 && filtered <= all, $"{filtered} pair(s) after filtering, {all} before");
        foreach (var why in await rows.Locator("td:nth-child(3)").AllInnerTextsAsync())
        {
            var score = int.Parse(Score().Match(why).Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.True(score >= 60, $"a pair at {score} % is shown above 60 %: {why}");
        }

        // Two pairs that do not involve the coffee grounds (another journey reads that listing's matches).
        var open = rows.Filter(new() { HasNotText = CoffeeGrounds }).Filter(new() { Has = Page.GetByRole(AriaRole.Button, new() { Name = "Accepter" }) });
        var toAccept = await PairAsync(open.Nth(0));
        var toDismiss = await PairAsync(open.Nth(1));

        await SubmitAsync(Row(toAccept).GetByRole(AriaRole.Button, new() { Name = "Accepter" }));
        await Expect(Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Synergie acceptée." })).ToBeVisibleAsync();
        await Expect(Row(toAccept)).ToHaveCountAsync(0); // no longer "à traiter"

        // Dismissing without a reason is refused, in French.
        await SubmitAsync(Row(toDismiss).GetByRole(AriaRole.Button, new() { Name = "Écarter" }));
        await Expect(Page.GetByText("Indiquez pourquoi vous écartez cette paire : la raison sert à améliorer les propositions.")).ToBeVisibleAsync();
        await Expect(Row(toDismiss).GetByRole(AriaRole.Button, new() { Name = "Écarter" })).ToBeVisibleAsync();

        await Row(toDismiss).GetByLabel("Raison pour écarter").FillAsync("Les deux structures travaillent déjà ensemble.");
        await SubmitAsync(Row(toDismiss).GetByRole(AriaRole.Button, new() { Name = "Écarter" }));
        await Expect(Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Paire écartée : elle ne sera plus proposée." })).ToBeVisibleAsync();
        await Expect(Row(toDismiss)).ToHaveCountAsync(0);

        // Each decision is found under its state.
        await Page.GetByLabel("État").SelectOptionAsync(new SelectOptionValue { Label = "Acceptées" });
        await SubmitAsync(Button("Filtrer"));
        await Expect(Row(toAccept).Locator(".badge")).ToHaveTextAsync("acceptée");
        await Page.GetByLabel("État").SelectOptionAsync(new SelectOptionValue { Label = "Écartées" });
        await SubmitAsync(Button("Filtrer"));
        await Expect(Row(toDismiss).Locator(".badge")).ToHaveTextAsync("écartée");
        await Expect(Row(toAccept)).ToHaveCountAsync(0);

        // A dismissed pair is no longer proposed on the offer's page.
        await GoAsync($"/annonces/{toDismiss.Offer}");
        await Expect(Page.Locator($"main section a[href='/annonces/{toDismiss.Need}']")).ToHaveCountAsync(0);
    }

    private ILocator Row((string Offer, string Need) pair) =>
        Page.Locator("table.synergy-table tbody tr").Filter(new() { Has = Page.Locator($"td:nth-child(1) a[href='/annonces/{pair.Offer}']") })
            .Filter(new() { Has = Page.Locator($"td:nth-child(2) a[href='/annonces/{pair.Need}']") });

    private static async Task<(string Offer, string Need)> PairAsync(ILocator row)
    {
        var offer = await row.Locator("input[name=offerId]").GetAttributeAsync("value");
        var need = await row.Locator("input[name=needId]").GetAttributeAsync("value");
        Assert.NotNull(offer);
        Assert.NotNull(need);
        return (offer, need);
    }

    [GeneratedRegex(@"^\s*(\d+) %")]
    private static partial Regex Score();
}
