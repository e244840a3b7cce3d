using System.Net;
using Boucle.Web.Data;
using Boucle.Web.Features.Territories;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Tests;

/// An administrator sets how long a territory's listings stay published.
public abstract class TerritoryRulesTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    [Fact]
    public async Task An_administrator_sets_the_listing_expiry_days_and_a_wrong_number_is_refused_next_to_the_field()
    {
        // A territory of its own, so the demo territory's 60 days stay for the other tests.
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var id = await app.ScopedAsync(async db =>
        {
            var territory = new Territory { Slug = $"regles-{suffix}", Name = $"Règles {suffix}", CenterLatitude = 45.5, CenterLongitude = 1.2, CreatedAt = DateTime.UtcNow };
            db.Territories.Add(territory);
            await db.SaveChangesAsync();
            return territory.Id;
        });
        var page = $"/admin/territoires/{id}";
        var admin = await app.SignedInAsync(DemoSeeder.AdministratorEmail);
        Assert.Contains("value=\"60\"", await admin.GetStringAsync(page), StringComparison.Ordinal);

        // Out of range, not a number, empty: the page again, with the error by the field and the value as typed; nothing saved.
        foreach (var wrong in new[] { "3", "366", "soixante", "" })
        {
            var refused = await BoucleApp.PostFormAsync(admin, $"{page}?handler=Expiry", new Dictionary<string, string> { ["ExpiryDays"] = wrong }, page);
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
            Assert.Contains("Indiquez un nombre entier de jours, de 7 à 365.", html, StringComparison.Ordinal);
            Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
            Assert.Equal(60, await app.ScopedAsync(db => db.Territories.Where(t => t.Id == id).Select(t => t.ListingExpiryDays).SingleAsync()));
        }

        var saved = await BoucleApp.PostFormAsync(admin, $"{page}?handler=Expiry", new Dictionary<string, string> { ["ExpiryDays"] = " 90 " }, page);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(90, await app.ScopedAsync(db => db.Territories.Where(t => t.Id == id).Select(t => t.ListingExpiryDays).SingleAsync()));
        var after = WebUtility.HtmlDecode(await admin.GetStringAsync(page));
        Assert.Contains("Durée de publication enregistrée : 90 jours.", after, StringComparison.Ordinal);
        Assert.Contains("value=\"90\"", after, StringComparison.Ordinal);
        Assert.Contains("60 → 90 jours", WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/journal")), StringComparison.Ordinal);

        // A facilitator is not an administrator: refused, unchanged.
        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        var token = await BoucleApp.AntiforgeryTokenAsync(facilitator, "/mon-espace");
        var forbidden = await facilitator.PostAsync($"{page}?handler=Expiry",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["ExpiryDays"] = "30", ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, forbidden.StatusCode);
        Assert.Equal("/acces-refuse", forbidden.Headers.Location!.AbsolutePath);
        Assert.Equal(90, await app.ScopedAsync(db => db.Territories.Where(t => t.Id == id).Select(t => t.ListingExpiryDays).SingleAsync()));
    }
}

public sealed class TerritoryRulesTestsOnSqlite(SqliteApp app) : TerritoryRulesTests<SqliteApp>(app);

public sealed class TerritoryRulesTestsOnPostgres(PostgresApp app) : TerritoryRulesTests<PostgresApp>(app);
