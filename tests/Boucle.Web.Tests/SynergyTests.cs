using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Boucle.Web.Data;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Synergies;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Tests;

public abstract class SynergyTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    private Task<int> IdOf(string key) => app.ScopedAsync(db => db.Listings.Where(l => l.ExternalKey == key).Select(l => l.Id).SingleAsync());

    [Fact]
    public async Task Coffee_grounds_find_the_oyster_mushroom_grower_with_reasons()
    {
        var offer = await IdOf("o-marc-cafe-brulerie");
        var need = await IdOf("n-marc-cafe-pleurotes");
        var page = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/listings/{offer}/matches?top=5");
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.Contains(items, i => i.GetProperty("listing").GetProperty("id").GetInt32() == need);
        Assert.All(items, i => Assert.Equal("need", i.GetProperty("listing").GetProperty("type").GetString()));
        var scores = items.Select(i => i.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending().ToList(), scores);
        var best = items.First(i => i.GetProperty("listing").GetProperty("id").GetInt32() == need);
        Assert.NotEmpty(best.GetProperty("reasons").EnumerateArray());
        Assert.False(string.IsNullOrWhiteSpace(best.GetProperty("pathway").GetString()));
        Assert.True(best.GetProperty("distance_km").GetDouble() > 0);
    }

    [Fact]
    public async Task A_hazardous_offer_is_never_proposed_to_an_organisation_not_authorised_to_take_it()
    {
        var drums = await IdOf("o-futs-metal-huile");
        var farmNeed = await IdOf("n-futs-abreuvoirs");
        Assert.True(await app.ScopedAsync(db => db.Listings.Where(l => l.Id == drums).Select(l => l.IsHazardous).SingleAsync()));
        var fromOffer = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/listings/{drums}/matches?top=50");
        Assert.DoesNotContain(fromOffer.GetProperty("items").EnumerateArray(), i => i.GetProperty("listing").GetProperty("id").GetInt32() == farmNeed);
        var fromNeed = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/listings/{farmNeed}/matches?top=50");
        Assert.DoesNotContain(fromNeed.GetProperty("items").EnumerateArray(), i => i.GetProperty("listing").GetProperty("id").GetInt32() == drums);
    }

    [Fact]
    public async Task An_organisation_is_never_matched_with_itself()
    {
        var ids = await app.ScopedAsync(db => db.Listings.Where(l => l.Status == ListingStatus.Published).OrderBy(l => l.Id).Select(l => new { l.Id, l.OrganisationId }).Take(15).ToListAsync());
        foreach (var listing in ids)
        {
            var page = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/listings/{listing.Id}/matches");
            Assert.DoesNotContain(page.GetProperty("items").EnumerateArray(), i => i.GetProperty("listing").GetProperty("organization").GetProperty("id").GetInt32() == listing.OrganisationId);
        }
    }

    [Fact]
    public async Task The_listing_page_shows_who_could_use_the_offer()
    {
        var offer = await IdOf("o-marc-cafe-brulerie");
        var html = await app.CreateClient().GetStringAsync($"/annonces/{offer}");
        Assert.Contains("Qui pourrait utiliser cette offre ?", html, StringComparison.Ordinal);
        Assert.Contains("pleurotes", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Matches_of_a_draft_are_hidden_from_others_and_bad_top_is_a_problem()
    {
        var draft = await app.ScopedAsync(db => db.Listings.Where(l => l.Status == ListingStatus.Draft).Select(l => l.Id).FirstAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync($"/api/v1/listings/{draft}/matches")).StatusCode);
        var bad = await app.CreateClient().GetAsync($"/api/v1/listings/{await IdOf("o-marc-cafe-brulerie")}/matches?top=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task A_facilitator_dismisses_a_pair_with_a_reason_and_it_is_not_proposed_again()
    {
        var offer = await IdOf("o-marc-cafe-hotel");
        var before = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/listings/{offer}/matches?top=3");
        var target = before.GetProperty("items")[0].GetProperty("listing").GetProperty("id").GetInt32();

        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        var board = await facilitator.GetAsync("/animation/synergies?seuil=30&distance=500");
        Assert.Equal(HttpStatusCode.OK, board.StatusCode);
        var noReason = await BoucleApp.PostFormAsync(facilitator, "/animation/synergies?handler=Decide&seuil=30&distance=500",
            new Dictionary<string, string> { ["offerId"] = $"{offer}", ["needId"] = $"{target}", ["decision"] = "Dismissed", ["reason"] = "" }, "/animation/synergies");
        Assert.Contains("Indiquez pourquoi", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var dismissed = await BoucleApp.PostFormAsync(facilitator, "/animation/synergies?handler=Decide&seuil=30&distance=500",
            new Dictionary<string, string> { ["offerId"] = $"{offer}", ["needId"] = $"{target}", ["decision"] = "Dismissed", ["reason"] = "Trop peu pour eux" }, "/animation/synergies");
        Assert.Equal(HttpStatusCode.Redirect, dismissed.StatusCode);
        Assert.Contains("seuil=30", dismissed.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Contains("ne sera plus proposée", await facilitator.GetStringAsync(dismissed.Headers.Location), StringComparison.Ordinal);
        var decision = await app.ScopedAsync(db => db.Set<SynergyDecision>().SingleAsync(d => d.OfferListingId == offer && d.NeedListingId == target));
        Assert.Equal("Trop peu pour eux", decision.Reason);

        var after = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/listings/{offer}/matches?top=10");
        Assert.DoesNotContain(after.GetProperty("items").EnumerateArray(), i => i.GetProperty("listing").GetProperty("id").GetInt32() == target);
    }

    [Fact]
    public async Task Members_who_are_not_facilitators_cannot_open_the_synergy_board()
    {
        var member = await app.SignedInAsync("menuiserie-dupuy@demo.example.org");
        Assert.Equal(HttpStatusCode.Redirect, (await member.GetAsync("/animation/synergies")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await app.Browser().GetAsync("/animation/synergies")).StatusCode);
    }

    [Fact]
    public async Task Publishing_a_listing_that_strongly_matches_tells_the_other_organisation_by_email()
    {
        var owner = await app.SignedInAsync("hotel-clos-des-pruniers@demo.example.org");
        var response = await BoucleApp.PostFormAsync(owner, "/annonces/nouvelle", new Dictionary<string, string>
        {
            ["Input.Type"] = "Offer",
            ["Input.Title"] = "Marc de café pour champignonnière",
            ["Input.Description"] = "Marc de café frais du service du petit-déjeuner, environ 15 kg par semaine, idéal pour la culture de pleurotes.",
            ["Input.Quantity"] = "15",
            ["Input.Unit"] = "Kg",
            ["Input.Frequency"] = "Weekly",
            ["publish"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var message = await app.Smtp.WaitForAsync("champignons-des-falaises@demo.example.org", "Nouvelle synergie possible");
        Assert.Contains("Marc de café pour champignonnière", message.TextBody, StringComparison.Ordinal);
    }
}

public sealed class SynergyTestsOnSqlite(SqliteApp app) : SynergyTests<SqliteApp>(app);

public sealed class SynergyTestsOnPostgres(PostgresApp app) : SynergyTests<PostgresApp>(app);
