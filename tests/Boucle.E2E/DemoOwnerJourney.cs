using Boucle.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Boucle.E2E;

public sealed class DemoOwnerJourney(BoucleServer server, ITestOutputHelper output) : Journey(server, output)
{
    [Fact]
    public async Task Demo_owner_signs_in_and_sees_the_organisation_listings()
    {
        // The first organisation of the demo file, as a person trying the demo would pick it.
        var key = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "Demo", "organisations.csv")).Skip(1).First().Split(',')[0];
        string name;
        List<string> titles;
        await using (var scope = Server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var organisation = await db.Organisations.SingleAsync(o => o.ExternalKey == key);
            name = organisation.Name;
            titles = await db.Listings.Where(l => l.OrganisationId == organisation.Id).Select(l => l.Title).ToListAsync();
        }

        Assert.NotEmpty(titles);
        await SignInAsync($"{key}@demo.example.org", DemoSeeder.DemoPassword);

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 2, Name = name })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 3, Name = "Nos annonces" })).ToBeVisibleAsync();
        await Expect(Page.Locator("main .listing-list > li")).ToHaveCountAsync(titles.Count);
        foreach (var title in titles)
        {
            await Expect(Page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true })).ToBeVisibleAsync();
        }
    }
}
