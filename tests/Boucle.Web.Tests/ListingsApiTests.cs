using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Boucle.Web.Features.Listings;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Tests;

public abstract class ListingsApiTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    private const string Bergerac = "44.85427,0.48645";

    [Fact]
    public async Task A_singular_word_finds_listings_written_in_the_plural()
    {
        var page = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/listings?q=palette&page_size=100");
        var titles = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!).ToList();
        Assert.NotEmpty(titles);
        Assert.Contains(titles, t => t.Contains("palettes", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(titles.Count, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Accents_and_case_are_ignored()
    {
        var client = app.CreateClient();
        var plain = await client.GetFromJsonAsync<JsonElement>("/api/v1/listings?q=dreches");
        var accented = await client.GetFromJsonAsync<JsonElement>("/api/v1/listings?q=DRÊCHES");
        Assert.True(plain.GetProperty("total").GetInt32() > 0);
        Assert.Equal(plain.GetProperty("total").GetInt32(), accented.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Type_filter_returns_only_that_type_and_items_have_the_documented_shape()
    {
        var page = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/listings?type=need&page_size=50");
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.Equal("need", i.GetProperty("type").GetString()));
        var first = items[0];
        foreach (var field in new[] { "id", "type", "title", "description", "category", "waste_code", "quantity", "unit", "frequency", "status", "organization", "location", "distance_km", "url" })
        {
            Assert.True(first.TryGetProperty(field, out _), $"champ {field} absent");
        }

        Assert.True(first.GetProperty("organization").TryGetProperty("name", out _));
        Assert.True(first.GetProperty("location").TryGetProperty("lat", out _));
        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(50, page.GetProperty("page_size").GetInt32());
    }

    [Fact]
    public async Task Distance_search_keeps_within_the_radius_and_sorts_nearest_first()
    {
        var page = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/listings?near={Bergerac}&radius_km=10&sort=distance&page_size=100");
        var distances = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("distance_km").GetDouble()).ToList();
        Assert.NotEmpty(distances);
        Assert.All(distances, d => Assert.InRange(d, 0, 10));
        Assert.Equal(distances.Order().ToList(), distances);
        var all = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/listings?page_size=1");
        Assert.True(all.GetProperty("total").GetInt32() > page.GetProperty("total").GetInt32(), "le rayon doit écarter des annonces");
    }

    [Theory]
    [InlineData("type=gift", "type")]
    [InlineData("near=abc", "near")]
    [InlineData("near=95,0.4", "near")]
    [InlineData("near=44.8,0.4&radius_km=-3", "radius_km")]
    [InlineData("radius_km=10", "radius_km")]
    [InlineData("sort=price", "sort")]
    [InlineData("page=0", "page")]
    [InlineData("page_size=1000", "page_size")]
    public async Task Bad_parameters_get_a_problem_naming_the_parameter(string query, string parameter)
    {
        var response = await app.CreateClient().GetAsync($"/api/v1/listings?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), $"pas d'erreur pour {parameter}");
    }

    [Fact]
    public async Task A_draft_is_invisible_to_visitors_through_api_and_page()
    {
        var draftId = await app.ScopedAsync(db => db.Listings.Where(l => l.Status == ListingStatus.Draft).Select(l => l.Id).FirstAsync());
        var client = app.CreateClient();
        var api = await client.GetAsync($"/api/v1/listings/{draftId}");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        var page = await client.GetAsync($"/annonces/{draftId}");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        var search = await client.GetFromJsonAsync<JsonElement>("/api/v1/listings?page_size=100&sort=date");
        Assert.DoesNotContain(search.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt32() == draftId);
    }

    [Fact]
    public async Task A_published_listing_is_readable_by_id_with_its_url()
    {
        var id = await app.ScopedAsync(db => db.Listings.Where(l => l.Status == ListingStatus.Published).Select(l => l.Id).FirstAsync());
        var listing = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/listings/{id}");
        Assert.Equal(id, listing.GetProperty("id").GetInt32());
        Assert.EndsWith($"/annonces/{id}", listing.GetProperty("url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_api_route_is_a_problem_not_an_html_page()
    {
        var response = await app.CreateClient().GetAsync("/api/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

public sealed class ListingsApiTestsOnSqlite(SqliteApp app) : ListingsApiTests<SqliteApp>(app);

public sealed class ListingsApiTestsOnPostgres(PostgresApp app) : ListingsApiTests<PostgresApp>(app);
