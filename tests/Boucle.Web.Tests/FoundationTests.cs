using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Boucle.Web.Features.Listings;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Tests;

/// The foundation's promises, checked the same way on SQLite and on PostgreSQL + PostGIS.
public abstract class FoundationTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    [Fact]
    public async Task Health_answers_ok_with_the_database_in_use()
    {
        var response = await app.CreateClient().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal(app.Provider, body.GetProperty("database").GetString());
    }

    [Fact]
    public async Task Home_page_is_french_and_shows_the_demo_territory()
    {
        var response = await app.CreateClient().GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html lang=\"fr\"", html, StringComparison.Ordinal);
        Assert.Contains("Grand Bergeracois", html, StringComparison.Ordinal);
        Assert.Contains("Dernières offres", html, StringComparison.Ordinal);
        var newest = await app.ScopedAsync(db => db.Listings.Where(l => l.Status == ListingStatus.Published && l.Type == ListingType.Offer)
            .OrderByDescending(l => l.PublishedAt).ThenByDescending(l => l.Id).Select(l => l.Title).FirstAsync());
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All).Encode(newest), html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_territory_has_every_kind_of_organisation_and_about_120_listings()
    {
        var kinds = await app.ScopedAsync(db => db.Organisations.Select(o => o.Kind).Distinct().CountAsync());
        var listings = await app.ScopedAsync(db => db.Listings.CountAsync());
        var organisations = await app.ScopedAsync(db => db.Organisations.CountAsync());
        Assert.Equal(Enum.GetValues<Features.Organisations.OrganisationKind>().Length, kinds);
        Assert.InRange(organisations, 35, 60);
        Assert.InRange(listings, 100, 150);
        Assert.True(await app.ScopedAsync(db => db.Exchanges.AnyAsync()));
    }

    [Fact]
    public async Task A_restart_keeps_the_data_and_does_not_seed_twice()
    {
        var before = await app.ScopedAsync(db => db.Listings.CountAsync());
        var territoriesBefore = await app.ScopedAsync(db => db.Territories.CountAsync());
        await using var again = app.Restarted();
        await again.InitializeAsync();
        Assert.Equal(before, await again.ScopedAsync(db => db.Listings.CountAsync()));
        Assert.Equal(territoriesBefore, await again.ScopedAsync(db => db.Territories.CountAsync()));
    }

    [Fact]
    public async Task The_openapi_document_is_openapi_3_and_lists_the_listings_api()
    {
        var doc = await app.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/v1/listings", out _));
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/v1/listings/{id}", out _));
    }

    [Fact]
    public async Task No_migration_is_pending_after_start()
    {
        var pending = await app.ScopedAsync(db => db.Database.GetPendingMigrationsAsync());
        Assert.Empty(pending);
    }
}

public sealed class FoundationTestsOnSqlite(SqliteApp app) : FoundationTests<SqliteApp>(app);

public sealed class FoundationTestsOnPostgres(PostgresApp app) : FoundationTests<PostgresApp>(app);
