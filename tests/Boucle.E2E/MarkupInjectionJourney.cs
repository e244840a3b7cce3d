using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

/// Script and HTML typed into a listing come back as text. The Content-Security-Policy is turned off
/// in this browser so that only the encoding of the pages protects.
public sealed class MarkupInjectionJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    protected override bool BypassCsp => true;

    [Fact]
    public async Task Script_and_html_in_a_listing_are_shown_as_text()
    {
        await SignInAsNewUserAsync("<b>Eve</b> <script>window.__xss=1</script>");
        await CreateOrganisationAsync("Injection <img src=x onerror=\"window.__xss=1\"> " + BoucleServer.UniqueTag());
        var tag = BoucleServer.UniqueTag();
        var title = $"Palettes <script>window.__xss=1</script> {tag}";
        var description = "Voir <img src=x onerror=\"window.__xss=1\"> et <script>window.__xss=1</script> <a href=\"javascript:window.__xss=1\">ici</a>";

        await GoAsync("/annonces/nouvelle");
        await Page.GetByLabel("Titre").FillAsync(title);
        await Page.GetByLabel("Description").FillAsync(description);
        await SubmitAsync(Button("Publier"));

        await Expect(Page).ToHaveURLAsync(new Regex(@"/annonces/\d+$"));
        var listingPath = new Uri(Page.Url).AbsolutePath;
        await AssertInertAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(title);
        await Expect(Page.Locator("article p.description")).ToHaveTextAsync(description);
        Assert.Equal($"{title} · Boucle", await Page.TitleAsync());

        // Everywhere the title is listed: the board, the home page, the member's space.
        foreach (var path in new[] { "/annonces?q=palettes&tri=date", "/", "/mon-espace" })
        {
            await GoAsync(path);
            await AssertInertAsync();
            // The member's space may also list it under "Vos meilleures opportunités" (« Pour … »): every link goes to it.
            var links = Page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true });
            await Expect(links.First).ToBeVisibleAsync();
            foreach (var link in await links.AllAsync())
            {
                await Expect(link).ToHaveAttributeAsync("href", listingPath);
            }
        }
    }

    private async Task AssertInertAsync()
    {
        await Page.WaitForTimeoutAsync(300); // let an onerror fire if an image had been created
        Assert.Equal("undefined", await Page.EvaluateAsync<string>("() => typeof window.__xss"));
        Assert.Equal(0, await Page.Locator("img[src='x']").CountAsync());
        Assert.Equal(0, await Page.Locator("a[href^='javascript:']").CountAsync());
        Assert.Equal(0, await Page.Locator("script:not([src])").CountAsync());
        Assert.Equal(0, await Page.Locator("b:has-text('Eve')").CountAsync());
    }
}
