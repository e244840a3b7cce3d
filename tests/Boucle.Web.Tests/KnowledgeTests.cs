using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Boucle.Web.Data;
using Boucle.Web.Features.Listings;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Boucle.Web.Tests;

public abstract class KnowledgeTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    private async Task<int> PostAsync(string organisationKey, ListingInput input)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var organisation = await db.Organisations.SingleAsync(o => o.ExternalKey == organisationKey);
        var listing = await scope.ServiceProvider.GetRequiredService<ListingWriter>().ApplyAsync(null, organisation, input, ListingStatus.Published, CancellationToken.None);
        return listing.Id;
    }

    [Fact]
    public async Task A_pathway_added_by_a_facilitator_is_used_by_the_next_matches()
    {
        var offer = await PostAsync("vignerons-de-pomport", new ListingInput
        {
            Type = ListingType.Offer,
            Title = "Barriques réformées en fin de vie",
            Description = "Fûts de chêne de 225 litres",
            CategoryCode = "wood.barrels",
        });
        var need = await PostAsync("letabli-coworking", new ListingInput
        {
            Type = ListingType.Need,
            Title = "Isolation phonique d'une salle",
            Description = "Amortir le bruit de la salle de réunion",
            CategoryCode = "use.insulation",
        });
        async Task<List<int>> MatchesAsync() => [.. (await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/listings/{offer}/matches?top=20"))
            .GetProperty("items").EnumerateArray().Select(i => i.GetProperty("listing").GetProperty("id").GetInt32())];
        Assert.DoesNotContain(need, await MatchesAsync());

        var member = await app.SignedInAsync("menuiserie-dupuy@demo.example.org");
        Assert.NotEqual(HttpStatusCode.OK, (await member.GetAsync("/animation/savoirs")).StatusCode);

        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        var missing = await BoucleApp.PostFormAsync(facilitator, "/animation/savoirs", new Dictionary<string, string>
        {
            ["From"] = "wood.barrels",
            ["To"] = "use.insulation",
            ["Operation"] = "R0",
            ["Label"] = "",
            ["Source"] = "",
        });
        Assert.Contains("Décrivez la voie", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var added = await BoucleApp.PostFormAsync(facilitator, "/animation/savoirs", new Dictionary<string, string>
        {
            ["From"] = "wood.barrels",
            ["To"] = "use.insulation",
            ["Operation"] = "R0",
            ["Label"] = "barriques → panneaux acoustiques",
            ["Source"] = "Atelier « j'ai / je cherche » du 12 mars",
        });
        Assert.Contains("Voie ajoutée", await added.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(need, await MatchesAsync());
    }
}

public sealed class KnowledgeTestsOnSqlite(SqliteApp app) : KnowledgeTests<SqliteApp>(app);

public sealed class KnowledgeTestsOnPostgres(PostgresApp app) : KnowledgeTests<PostgresApp>(app);
