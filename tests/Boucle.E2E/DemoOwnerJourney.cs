using Boucle.Web.Data;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed class DemoOwnerJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task Demo_owner_signs_in_and_sees_the_organisation_listings_as_written_in_the_demo_file()
    {
        // The first organisation of the demo file, as a person trying the demo would pick it.
        var organisation = DemoFile.Read("organisations.csv")[0];
        var key = organisation["key"];
        var titles = DemoFile.Read("listings.csv").Where(l => l["organisation"] == key).Select(l => l["title"]).ToList();
        Assert.NotEmpty(titles);

        await SignInAsync($"{key}@demo.example.org", DemoSeeder.DemoPassword);

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync(organisation["name"]);
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 3, Name = "Nos annonces" })).ToBeVisibleAsync();
        var shown = Page.Locator("main .listing-list > li h3 a");
        await Expect(shown.First).ToBeVisibleAsync();
        // Every listing of the file, titles exactly as in the file: a title with a comma is quoted in the CSV, the quotes are not part of it.
        Assert.Equal(titles.Order(StringComparer.Ordinal), (await shown.AllInnerTextsAsync()).Select(t => t.Trim()).Order(StringComparer.Ordinal));

        await SubmitAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Profil de la structure" }));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(organisation["name"]);
        await Expect(Page.Locator("main > p").Filter(new() { HasText = organisation["description"][..20] })).ToHaveTextAsync(organisation["description"]);
    }
}
