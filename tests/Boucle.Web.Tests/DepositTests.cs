using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Exchanges;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Synergies;
using Boucle.Web.Features.Territories;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Boucle.Web.Tests;

/// New sectors from deposits: what nobody takes, summed by category, on a small territory far from the demo's.
public abstract partial class DepositTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    [Fact]
    public async Task Deposit_figures_of_a_small_territory_are_the_hand_computed_ones()
    {
        var t = await PlateauAsync(47.0);
        var facilitator = await app.SignedInAsync(t.FacilitatorEmail);
        var html = WebUtility.HtmlDecode(await facilitator.GetStringAsync($"/animation/gisements?territoire={t.TerritoryId}"));

        // Pallets offered, unmatched: A 500 kg weekly = 500 × 52 = 26 000 kg = 26 t/yr; B 2 t monthly = 2 × 12 = 24 t/yr;
        // C 10 t once = 10 t/yr; C's second offer has no quantity. B's 100 t in a recorded exchange and A's draft do not count.
        // 26 + 24 + 10 = 60 t/yr, from 3 organisations, 4 listings (1 without quantity).
        // They sit on the meridian 5° E at 47.00°, 47.09°, 47.18° and 47.18°: centre (47.00 + 47.09 + 2 × 47.18) / 4 = 47.1125°;
        // farthest is A, 0.1125° away = 0.1125 × π / 180 × 6371.0088 km = 12.51 km, rounded up: 13 km.
        // Oldest: A, published 40 days (and one hour) ago.
        Assert.Contains("60 t/an de « palettes » issus de 3 structures dans un rayon de 13 km, sans preneur", html, StringComparison.Ordinal);
        var row = Row(html, "60 t/an de « palettes »");
        Assert.Contains("+ 1 annonce sans quantité", row, StringComparison.Ordinal);
        Assert.Contains("3 <small>(4 annonces)</small>", row, StringComparison.Ordinal);
        Assert.Contains("40 jours", row, StringComparison.Ordinal);
        // The engine's pathways for pallets, and who already does such work nearby, even in another territory:
        // the cabinet-maker 0.1675° north of the centre (18.6 km) counts, the one 200 km away does not.
        Assert.Contains("palettes → mobilier et créations en bois", row, StringComparison.Ordinal);
        Assert.Contains($"Ébénisterie du plateau {t.Suffix}", row, StringComparison.Ordinal);
        Assert.DoesNotContain($"Ébénisterie lointaine {t.Suffix}", html, StringComparison.Ordinal);

        // The unmet need: 100 kg monthly = 100 × 12 = 1 200 kg = 1.2 t/yr, one organisation, in one place.
        Assert.Contains("1,2 t/an de « marc de café » recherchés par 1 structure en un même lieu, sans fournisseur", html, StringComparison.Ordinal);

        // The same figures in the export.
        var csv = await facilitator.GetStringAsync($"/animation/gisements?handler=Csv&territoire={t.TerritoryId}");
        var line = csv.Split("\r\n").Single(l => l.StartsWith("offre,wood.pallets,", StringComparison.Ordinal));
        Assert.StartsWith("offre,wood.pallets,Palettes,60 t,3,4,1,13,40,47.11,5,", line, StringComparison.Ordinal);
        Assert.Contains($"Ébénisterie du plateau {t.Suffix} (31.09B, 19 km)", line, StringComparison.Ordinal);

        // The map layer: one square per cell and type. A (47.00) and B (47.09) share the cell 47.0–47.1; C is in 47.1–47.2.
        var cells = await facilitator.GetStringAsync($"/animation/gisements?handler=Cells&territoire={t.TerritoryId}");
        Assert.Contains("\"tonnes\":50", cells, StringComparison.Ordinal); // 26 + 24
        Assert.Contains("\"tonnes\":10", cells, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shared_link_shows_aggregates_only_and_stops_working_when_revoked()
    {
        var t = await PlateauAsync(49.0);
        var facilitator = await app.SignedInAsync(t.FacilitatorEmail);
        var page = $"/animation/gisements?territoire={t.TerritoryId}";
        var empty = await BoucleApp.PostFormAsync(facilitator, $"/animation/gisements?handler=Share&territoire={t.TerritoryId}&seuil=50", new Dictionary<string, string> { ["Label"] = " " }, page);
        Assert.Contains("Nommez la vue", WebUtility.HtmlDecode(await empty.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        var created = await BoucleApp.PostFormAsync(facilitator, $"/animation/gisements?handler=Share&territoire={t.TerritoryId}&seuil=50",
            new Dictionary<string, string> { ["Label"] = "Conseil communautaire" }, page);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var after = WebUtility.HtmlDecode(await facilitator.GetStringAsync(created.Headers.Location!.OriginalString));
        var link = new Uri(SharedLink().Match(after).Value);
        Assert.Matches("^/gisements/[0-9a-f]{48}$", link.AbsolutePath);

        // Anyone with the link, without an account, sees the totals, never a name or a listing.
        var official = app.Browser();
        var shared = WebUtility.HtmlDecode(await official.GetStringAsync(link.AbsolutePath));
        Assert.Contains("60 t/an de « palettes » issus de 3 structures dans un rayon de 13 km, sans preneur", shared, StringComparison.Ordinal);
        Assert.Contains("1 structure à moins de 63 km", shared, StringComparison.Ordinal);
        // The coffee-grounds need concerns one organisation only: not detailed.
        Assert.DoesNotContain("marc de café", shared, StringComparison.Ordinal);
        Assert.Contains("1 autre gisement plus petit non détaillé", shared, StringComparison.Ordinal);
        var exports = shared + await official.GetStringAsync(link.AbsolutePath + "?handler=Csv") + await official.GetStringAsync(link.AbsolutePath + "?handler=Cells");
        foreach (var secret in t.PrivateTexts)
        {
            Assert.DoesNotContain(secret, exports, StringComparison.Ordinal);
        }

        // Cells of fewer than three organisations are left off the public map.
        Assert.DoesNotContain("\"organisations\":1", exports, StringComparison.Ordinal);
        Assert.DoesNotContain("\"organisations\":2", exports, StringComparison.Ordinal);

        // Revoked: the link answers 404 everywhere.
        var viewId = await app.ScopedAsync(db => db.Set<Features.Deposits.DepositView>().Where(v => v.TerritoryId == t.TerritoryId).Select(v => v.Id).SingleAsync());
        var revoked = await BoucleApp.PostFormAsync(facilitator, $"/animation/gisements?handler=Revoke&territoire={t.TerritoryId}&seuil=50",
            new Dictionary<string, string> { ["viewId"] = viewId.ToString(CultureInfo.InvariantCulture) }, page);
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        var gone = await official.GetAsync(link.AbsolutePath);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Contains("Lien non valide", WebUtility.HtmlDecode(await gone.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await official.GetAsync(link.AbsolutePath + "?handler=Csv")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await official.GetAsync("/gisements/" + new string('0', 48))).StatusCode);
    }

    [Fact]
    public async Task Only_the_territory_facilitators_see_its_deposits()
    {
        var t = await PlateauAsync(51.0);
        var member = await app.SignedInAsync(t.MemberEmail);
        AssertRefused(await member.GetAsync($"/animation/gisements?territoire={t.TerritoryId}"));
        AssertRefused(await member.GetAsync($"/animation/gisements?handler=Csv&territoire={t.TerritoryId}"));

        // The demo facilitator runs another territory: not this one.
        var other = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        AssertRefused(await other.GetAsync($"/animation/gisements?territoire={t.TerritoryId}"));
        AssertRefused(await other.GetAsync($"/animation/gisements?handler=Cells&territoire={t.TerritoryId}"));
        var own = WebUtility.HtmlDecode(await other.GetStringAsync("/animation/gisements"));
        Assert.Contains("Grand Bergeracois", own, StringComparison.Ordinal);
        Assert.DoesNotContain(t.Suffix, own, StringComparison.Ordinal);

        var anonymous = await app.Browser().GetAsync($"/animation/gisements?territoire={t.TerritoryId}");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/connexion", anonymous.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }

    // A page refusing a signed-in person sends them to the "access refused" page.
    private static void AssertRefused(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/acces-refuse", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    private static string Row(string html, string marker)
    {
        var at = html.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"« {marker} » absent");
        var start = html.LastIndexOf("<tr>", at, StringComparison.Ordinal);
        return html[start..html.IndexOf("</tr>", at, StringComparison.Ordinal)];
    }

    private sealed record Plateau(int TerritoryId, string Suffix, string FacilitatorEmail, string MemberEmail, IReadOnlyList<string> PrivateTexts);

    /// A territory of three organisations on the meridian 5° E from <paramref name="lat"/> northwards, far from the demo's.
    private Task<Plateau> PlateauAsync(double lat) =>
        app.ScopedAsync(async db =>
        {
            var suffix = Guid.NewGuid().ToString("N")[..8];
            var now = DateTime.UtcNow;
            var territory = new Territory { Slug = $"plateau-{suffix}", Name = $"Plateau {suffix}", CenterLatitude = lat + 0.1, CenterLongitude = 5.0, CreatedAt = now };
            var elsewhere = new Territory { Slug = $"voisin-{suffix}", Name = $"Voisin {suffix}", CenterLatitude = lat + 0.3, CenterLongitude = 5.0, CreatedAt = now };
            db.Territories.AddRange(territory, elsewhere);
            var hash = new PasswordHasher<AppUser>().HashPassword(null!, DemoSeeder.DemoPassword);
            var facilitator = DemoSeeder.ConfirmedUser($"animation-{suffix}@plateau.example.org", "Animatrice du plateau", hash, now);
            var member = DemoSeeder.ConfirmedUser($"membre-{suffix}@plateau.example.org", "Membre du plateau", hash, now);
            db.Users.AddRange(facilitator, member);
            DemoSeeder.UseDemoAuthenticator(db, facilitator);
            await db.SaveChangesAsync();
            db.TerritoryFacilitators.Add(new TerritoryFacilitator { TerritoryId = territory.Id, UserId = facilitator.Id, Since = now });
            Organisation Org(Territory at, string name, double latitude, string? naf = null) =>
                new() { TerritoryId = at.Id, Name = $"{name} {suffix}", Latitude = latitude, Longitude = 5.0, NafCode = naf, CreatedAt = now };
            var a = Org(territory, "Scierie Alpha", lat);
            var b = Org(territory, "Transports Bravo", lat + 0.09);
            var c = Org(territory, "Négoce Charlie", lat + 0.18);
            var cabinet = Org(elsewhere, "Ébénisterie du plateau", lat + 0.28, "31.09B");
            var far = Org(elsewhere, "Ébénisterie lointaine", lat + 1.8, "31.09B");
            db.Organisations.AddRange(a, b, c, cabinet, far);
            await db.SaveChangesAsync();
            db.Memberships.Add(new Membership { OrganisationId = a.Id, UserId = member.Id, Role = MemberRole.Owner, Since = now });
            Listing Add(Organisation o, ListingType type, string title, string category, double? quantity, QuantityUnit? unit, Frequency frequency,
                ListingStatus status = ListingStatus.Published, int daysAgo = 10)
            {
                var published = now.AddDays(-daysAgo).AddHours(-1);
                var l = new Listing
                {
                    TerritoryId = territory.Id,
                    OrganisationId = o.Id,
                    Type = type,
                    Title = $"{title} {suffix}",
                    CategoryCode = category,
                    Quantity = quantity,
                    Unit = unit,
                    Frequency = frequency,
                    AnnualQuantity = Listing.Annualise(quantity, frequency),
                    Latitude = o.Latitude!.Value,
                    Longitude = 5.0,
                    Status = status,
                    CreatedAt = published,
                    UpdatedAt = published,
                    PublishedAt = status == ListingStatus.Published ? published : null,
                    ExpiresAt = now.AddDays(30),
                };
                db.Listings.Add(l);
                return l;
            }

            Add(a, ListingType.Offer, "Palettes bois usagées", "wood.pallets", 500, QuantityUnit.Kg, Frequency.Weekly, daysAgo: 40);
            Add(b, ListingType.Offer, "Palettes perdues", "wood.pallets", 2, QuantityUnit.T, Frequency.Monthly, daysAgo: 12);
            Add(c, ListingType.Offer, "Palettes cassées", "wood.pallets", 10, QuantityUnit.T, Frequency.Once, daysAgo: 5);
            Add(c, ListingType.Offer, "Palettes diverses", "wood.pallets", null, null, Frequency.Once, daysAgo: 3);
            Add(a, ListingType.Offer, "Palettes en brouillon", "wood.pallets", 1000, QuantityUnit.T, Frequency.Yearly, status: ListingStatus.Draft);
            var exchanged = Add(b, ListingType.Offer, "Palettes déjà reprises", "wood.pallets", 100, QuantityUnit.T, Frequency.Yearly);
            Add(b, ListingType.Need, "Marc de café pour champignons", "biowaste.coffee", 100, QuantityUnit.Kg, Frequency.Monthly, daysAgo: 8);
            await db.SaveChangesAsync();
            db.Set<Exchange>().Add(new Exchange
            {
                TerritoryId = territory.Id,
                GiverOrganisationId = b.Id,
                TakerOrganisationId = a.Id,
                OfferListingId = exchanged.Id,
                Quantity = 100,
                Unit = QuantityUnit.T,
                Date = DateOnly.FromDateTime(now),
                Operation = "R0",
                CreatedAt = now,
                RecordedByFacilitator = true,
            });
            await db.SaveChangesAsync();
            app.Services.GetRequiredService<ListingChanges>().Bump();
            return new Plateau(territory.Id, suffix, facilitator.Email!, member.Email!,
                [a.Name, b.Name, c.Name, cabinet.Name, "Palettes bois usagées", "Marc de café pour champignons", "Scierie", "Ébénisterie"]);
        });

    [GeneratedRegex(@"https?://[^\s""<]+/gisements/[0-9a-f]+")]
    private static partial Regex SharedLink();
}

public sealed class DepositTestsOnSqlite(SqliteApp app) : DepositTests<SqliteApp>(app);

public sealed class DepositTestsOnPostgres(PostgresApp app) : DepositTests<PostgresApp>(app);
