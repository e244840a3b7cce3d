using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Boucle.Web.Features.ApiTokens;
using Boucle.Web.Features.Listings;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Tests;

public abstract partial class ApiTokenTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    private async Task<string> TokenForAsync(string email)
    {
        var client = await app.SignedInAsync(email);
        var organisationId = await app.ScopedAsync(db => db.Memberships.Where(m => db.Users.Any(u => u.Id == m.UserId && u.Email == email)).Select(m => m.OrganisationId).FirstAsync());
        var response = await BoucleApp.PostFormAsync(client, "/mon-espace/jetons?handler=Create",
            new Dictionary<string, string> { ["Name"] = "Test", ["OrganisationId"] = $"{organisationId}" }, "/mon-espace/jetons");
        var html = await response.Content.ReadAsStringAsync();
        return TokenRegex().Match(html).Value;
    }

    private HttpClient Api(string? token)
    {
        var client = app.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task The_openapi_document_declares_the_bearer_scheme_and_requires_it_on_exactly_the_write_endpoints()
    {
        var doc = await app.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var scheme = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());

        var paths = doc.GetProperty("paths");
        bool RequiresBearer(string path, string method) =>
            paths.GetProperty(path).GetProperty(method).TryGetProperty("security", out var security)
            && security.EnumerateArray().Any(requirement => requirement.TryGetProperty("bearer", out _));
        Assert.True(RequiresBearer("/api/v1/listings", "post"));
        Assert.True(RequiresBearer("/api/v1/listings/{id}", "put"));
        Assert.True(RequiresBearer("/api/v1/listings/{id}/withdraw", "post"));
        Assert.True(paths.GetProperty("/api/v1/listings").GetProperty("post").GetProperty("responses").TryGetProperty("401", out _));

        // Reading stays open to everyone.
        Assert.False(RequiresBearer("/api/v1/listings", "get"));
        Assert.False(RequiresBearer("/api/v1/listings/{id}", "get"));

        // And the document says the truth: the write endpoints do answer 401 without a token.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api(null).PostAsync("/api/v1/listings", Json("{}"))).StatusCode);
    }

    [Fact]
    public async Task A_token_creates_updates_and_withdraws_its_organisation_listing()
    {
        var token = await TokenForAsync("scierie-delmas@demo.example.org");
        Assert.StartsWith("bcl_", token, StringComparison.Ordinal);
        var api = Api(token);

        var created = await api.PostAsync("/api/v1/listings", Json("""{"type":"offer","title":"Dosses de chêne","description":"Dosses et délignures","quantity":3,"unit":"t","frequency":"monthly"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var listing = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = listing.GetProperty("id").GetInt32();
        Assert.Equal("published", listing.GetProperty("status").GetString());
        Assert.Equal("t", listing.GetProperty("unit").GetString());
        Assert.Equal(created.Headers.Location!.ToString(), $"/api/v1/listings/{id}");
        Assert.Equal(36, await app.ScopedAsync(db => db.Listings.Where(l => l.Id == id).Select(l => l.AnnualQuantity).SingleAsync()));

        var updated = await api.PutAsync($"/api/v1/listings/{id}", Json("""{"type":"offer","title":"Dosses de chêne sec","quantity":4,"unit":"t","frequency":"monthly"}"""));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("Dosses de chêne sec", (await updated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());

        var search = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/listings?q=dosses");
        Assert.Contains(search.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt32() == id);

        var withdrawn = await api.PostAsync($"/api/v1/listings/{id}/withdraw", null);
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Equal(ListingStatus.Withdrawn, await app.ScopedAsync(db => db.Listings.Where(l => l.Id == id).Select(l => l.Status).SingleAsync()));
    }

    [Fact]
    public async Task Missing_or_bad_tokens_get_401_and_write_nothing()
    {
        var before = await app.ScopedAsync(db => db.Listings.CountAsync());
        var body = """{"type":"offer","title":"Sans jeton"}""";
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api(null).PostAsync("/api/v1/listings", Json(body))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api("bcl_0000000000000000000000000000000000000000000000").PostAsync("/api/v1/listings", Json(body))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api("n'importe quoi").PostAsync("/api/v1/listings", Json(body))).StatusCode);
        Assert.Equal(before, await app.ScopedAsync(db => db.Listings.CountAsync()));
    }

    [Fact]
    public async Task A_token_cannot_touch_another_organisations_listing()
    {
        var token = await TokenForAsync("garage-vidal@demo.example.org");
        var other = await app.ScopedAsync(db => db.Listings.Where(l => l.Status == ListingStatus.Published && l.Organisation!.ExternalKey != "garage-vidal").Select(l => new { l.Id, l.Title }).FirstAsync());
        var draft = await app.ScopedAsync(db => db.Listings.Where(l => l.Status == ListingStatus.Draft && l.Organisation!.ExternalKey != "garage-vidal").Select(l => l.Id).FirstAsync());
        var api = Api(token);
        var put = await api.PutAsync($"/api/v1/listings/{other.Id}", Json("""{"type":"offer","title":"Pris !"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsync($"/api/v1/listings/{other.Id}/withdraw", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PutAsync($"/api/v1/listings/{draft}", Json("""{"type":"offer","title":"Pris !"}"""))).StatusCode);
        Assert.Equal(other.Title, await app.ScopedAsync(db => db.Listings.Where(l => l.Id == other.Id).Select(l => l.Title).SingleAsync()));
    }

    [Fact]
    public async Task Bad_bodies_get_a_validation_problem_naming_the_fields()
    {
        var api = Api(await TokenForAsync("brasserie-du-caudeau@demo.example.org"));
        var response = await api.PostAsync("/api/v1/listings", Json("""{"type":"gift","title":"","quantity":-2,"unit":"barrels","waste_code":"99 99 99"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "type", "title", "quantity", "unit", "waste_code" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"pas d'erreur pour {field}");
        }

        var malformed = await api.PostAsync("/api/v1/listings", Json("{ pas du json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task A_revoked_token_stops_working()
    {
        var email = "fournil-de-jeanne@demo.example.org";
        var token = await TokenForAsync(email);
        var tokenId = await app.ScopedAsync(db => db.Set<ApiToken>().Where(t => t.Prefix == token.Substring(0, 10)).Select(t => t.Id).SingleAsync());
        var client = await app.SignedInAsync(email);
        await BoucleApp.PostFormAsync(client, "/mon-espace/jetons?handler=Revoke", new Dictionary<string, string> { ["tokenId"] = $"{tokenId}" }, "/mon-espace/jetons");
        var response = await Api(token).PostAsync("/api/v1/listings", Json("""{"type":"need","title":"Farine bio en vrac"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [GeneratedRegex("bcl_[0-9a-f]{48}")]
    private static partial Regex TokenRegex();
}

public sealed class ApiTokenTestsOnSqlite(SqliteApp app) : ApiTokenTests<SqliteApp>(app);

public sealed class ApiTokenTestsOnPostgres(PostgresApp app) : ApiTokenTests<PostgresApp>(app);
