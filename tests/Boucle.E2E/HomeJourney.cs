using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed class HomeJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task Home_page_presents_the_territory_and_leads_to_a_listing()
    {
        await GoAsync("/");

        await Expect(Page).ToHaveTitleAsync(new Regex("Grand Bergeracois"));
        Assert.Equal("fr", await Page.Locator("html").GetAttributeAsync("lang"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Grand Bergeracois");
        await Expect(Page.Locator("main")).ToHaveCountAsync(1);
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "English" })).ToBeVisibleAsync();

        // The figures: offers, needs and organisations of the demo territory are counted.
        var stats = Page.Locator(".stats > div");
        await Expect(stats).ToHaveCountAsync(4);
        foreach (var label in new[] { "offres publiées", "besoins publiés", "structures" })
        {
            var figure = stats.Filter(new() { HasText = label }).Locator("strong");
            var value = int.Parse(await figure.InnerTextAsync(), NumberStyles.Integer, CultureInfo.InvariantCulture);
            Assert.True(value > 0, $"« {label} » shows {value}");
        }

        var offers = Page.Locator("section", new() { Has = Page.GetByRole(AriaRole.Heading, new() { Name = "Dernières offres" }) }).Locator("li");
        var needs = Page.Locator("section", new() { Has = Page.GetByRole(AriaRole.Heading, new() { Name = "Derniers besoins" }) }).Locator("li");
        Assert.True(await offers.CountAsync() > 0, "no latest offer listed");
        Assert.True(await needs.CountAsync() > 0, "no latest need listed");

        // The map's tiles cannot load here: the page says so and the lists stay usable.
        await Expect(Page.Locator(".map-fallback")).ToContainTextAsync("Le fond de carte ne peut pas être chargé");

        var link = offers.First.Locator("h3 a");
        var title = (await link.InnerTextAsync()).Trim();
        await SubmitAsync(link);
        await Expect(Page).ToHaveURLAsync(new Regex(@"/annonces/\d+$"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(title);
        await Expect(Page.Locator("article header .badge.offer")).ToHaveTextAsync("Offre (j'ai)");
    }

    [Fact]
    public async Task Skip_link_moves_the_focus_to_the_main_content()
    {
        await GoAsync("/");
        var skip = Page.Locator("a.skip-link");
        await Expect(skip).ToHaveAttributeAsync("href", "#contenu");
        await Expect(Page.Locator("main#contenu")).ToHaveCountAsync(1);

        await Page.Keyboard.PressAsync("Tab");
        await Expect(skip).ToBeFocusedAsync();
        await Expect(skip).ToHaveTextAsync("Aller au contenu");
        await Expect(skip).ToBeInViewportAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.Locator("main#contenu")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task Language_switch_turns_the_interface_to_English_and_back()
    {
        await GoAsync("/");
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "English" }));
        Assert.Equal("en", await Page.Locator("html").GetAttributeAsync("lang"));
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Français" })).ToBeVisibleAsync();

        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Français" }));
        Assert.Equal("fr", await Page.Locator("html").GetAttributeAsync("lang"));
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "English" })).ToBeVisibleAsync();
    }
}
