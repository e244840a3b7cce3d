using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed class EnglishJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task Switching_to_English_on_the_board_keeps_the_search_usable()
    {
        await GoAsync("/annonces?q=palette");
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "English" }));

        // Back on the same page, with its query, the document now says English.
        await Expect(Page).ToHaveURLAsync(new Regex(@"/annonces\?q=palette$"));
        Assert.Equal("en", await Page.Locator("html").GetAttributeAsync("lang"));
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Français" })).ToHaveAttributeAsync("lang", "fr");

        // Still usable: the search runs and leads to a listing.
        var words = Page.Locator("form[role=search] input[name=q]");
        await Expect(words).ToHaveValueAsync("palette");
        await words.FillAsync("marc");
        await SubmitAsync(Page.Locator("form[role=search] button[type=submit]"));
        await Expect(Page).ToHaveURLAsync(new Regex(@"[?&]q=marc"));
        Assert.Equal("en", await Page.Locator("html").GetAttributeAsync("lang"));
        var first = Page.Locator("main ul.listing-list > li h3 a").First;
        var title = (await first.InnerTextAsync()).Trim();
        await SubmitAsync(first);
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(title);
        Assert.Equal("en", await Page.Locator("html").GetAttributeAsync("lang"));
    }

    [Fact(Skip = "App: no English resources (AddLocalization with ResourcesPath \"Resources\", no .resx): with lang=\"en\" the interface stays in French.")]
    public async Task English_interface_is_translated()
    {
        await GoAsync("/");
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = "English" }));
        var nav = Page.GetByRole(AriaRole.Navigation);
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(Page.Locator("a.skip-link")).ToHaveTextAsync("Skip to content");
    }
}
