using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Territories;
using Boucle.Web.Features.Workshops;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Tests;

/// "Haves and wants" workshops: a facilitator opens a session, participants write cards, the board pairs them.
public abstract partial class WorkshopTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    private static string Demo(string key) => $"{key}@demo.example.org";

    [Fact]
    public async Task Cards_from_two_organisations_are_paired_discussed_and_become_drafts_when_the_session_closes()
    {
        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        var (id, code) = await OpenAsync(facilitator, "Atelier biodéchets");

        var roaster = await app.SignedInAsync(Demo("brulerie-des-quais"));
        var grower = await app.SignedInAsync(Demo("champignons-des-falaises"));
        // A code typed in lower case with a space leads to the session.
        var typed = await roaster.GetAsync($"/atelier?code={code[..3].ToLowerInvariant()}%20{code[3..]}");
        Assert.Equal($"/atelier/{code}", typed.Headers.Location!.OriginalString);

        // An empty card is refused next to its fields; nothing is stored.
        var empty = await AddCardAsync(roaster, code, new() { ["Card.Text"] = "" });
        var emptyHtml = WebUtility.HtmlDecode(await empty.Content.ReadAsStringAsync());
        Assert.Contains("Choisissez « j'ai » ou « je cherche ».", emptyHtml, StringComparison.Ordinal);
        Assert.Contains("Écrivez en quelques mots", emptyHtml, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", emptyHtml, StringComparison.Ordinal);
        var missingUnit = WebUtility.HtmlDecode(await (await AddCardAsync(roaster, code, new() { ["Card.Type"] = "Offer", ["Card.Text"] = "Marc de café", ["Card.Quantity"] = "60" })).Content.ReadAsStringAsync());
        Assert.Contains("Précisez l'unité.", missingUnit, StringComparison.Ordinal);
        Assert.Equal(0, await app.ScopedAsync(db => db.Set<WorkshopCard>().CountAsync(c => c.WorkshopId == id)));

        Assert.Equal(HttpStatusCode.Redirect, (await AddCardAsync(roaster, code,
            new() { ["Card.Type"] = "Offer", ["Card.Text"] = "Marc de café du comptoir", ["Card.Quantity"] = "60", ["Card.Unit"] = "Kg", ["Card.Frequency"] = "Weekly" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await AddCardAsync(grower, code,
            new() { ["Card.Type"] = "Need", ["Card.Text"] = "Marc de café pour cultiver des pleurotes", ["Card.Frequency"] = "Once" })).StatusCode);
        // The facilitator writes one for an organisation without a phone.
        var bakery = await app.ScopedAsync(db => db.Organisations.Where(o => o.ExternalKey == "fournil-de-jeanne").Select(o => o.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await BoucleApp.PostFormAsync(facilitator, $"/animation/ateliers/{id}?handler=Card",
            new Dictionary<string, string> { ["Card.OrganisationId"] = Id(bakery), ["Card.Type"] = "Offer", ["Card.Text"] = "Pain invendu", ["Card.Frequency"] = "Daily" },
            $"/animation/ateliers/{id}")).StatusCode);

        // Each participant sees their own cards only.
        var roasterPage = WebUtility.HtmlDecode(await roaster.GetStringAsync($"/atelier/{code}"));
        Assert.Contains("Marc de café du comptoir", roasterPage, StringComparison.Ordinal);
        Assert.DoesNotContain("pleurotes", roasterPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Pain invendu", roasterPage, StringComparison.Ordinal);

        // The board pairs the two cards with the engine's reasons, and the grower's card with the roaster's published listing.
        var board = WebUtility.HtmlDecode(await facilitator.GetStringAsync($"/animation/ateliers/{id}?handler=Board"));
        var cards = await app.ScopedAsync(db => db.Set<WorkshopCard>().Where(c => c.WorkshopId == id).OrderBy(c => c.Id).Select(c => c.Id).ToListAsync());
        var pair = $"c{cards[0]}-c{cards[1]}";
        Assert.Contains($"data-pair=\"{pair}\"", board, StringComparison.Ordinal);
        Assert.Contains("annonce publiée", board, StringComparison.Ordinal);
        Assert.Contains("3 cartes", board, StringComparison.Ordinal);
        var version = Regex.Match(board, "v=([0-9a-f]{16})").Groups[1].Value;
        // Polled again with nothing new: 204, the page keeps its focus.
        Assert.Equal(HttpStatusCode.NoContent, (await facilitator.GetAsync($"/animation/ateliers/{id}?handler=Board&v={version}")).StatusCode);

        var discussed = await BoucleApp.PostFormAsync(facilitator, $"/animation/ateliers/{id}?handler=Discussed",
            new Dictionary<string, string> { ["offerKey"] = $"c{cards[0]}", ["needKey"] = $"c{cards[1]}" }, $"/animation/ateliers/{id}");
        Assert.Equal(HttpStatusCode.Redirect, discussed.StatusCode);
        var after = WebUtility.HtmlDecode(await facilitator.GetStringAsync($"/animation/ateliers/{id}?handler=Board&v={version}"));
        Assert.Contains("1 discutée", after, StringComparison.Ordinal);

        var summary = WebUtility.HtmlDecode(await facilitator.GetStringAsync($"/animation/ateliers/{id}/synthese"));
        Assert.Contains("/css/print.", summary, StringComparison.Ordinal);
        Assert.Contains("Paires discutées : à suivre", summary, StringComparison.Ordinal);
        Assert.Contains("Marc de café du comptoir</strong> (Brûlerie des Quais) → <strong>Marc de café pour cultiver des pleurotes", summary, StringComparison.Ordinal);

        // Closing: every card becomes a draft listing of its organisation; the session takes no more cards.
        Assert.Equal(HttpStatusCode.Redirect, (await BoucleApp.PostFormAsync(facilitator, $"/animation/ateliers/{id}?handler=Close", new Dictionary<string, string>(), $"/animation/ateliers/{id}")).StatusCode);
        Assert.Contains("3 brouillons d'annonce créés", WebUtility.HtmlDecode(await facilitator.GetStringAsync($"/animation/ateliers/{id}")), StringComparison.Ordinal);
        var drafts = await app.ScopedAsync(db => db.Set<WorkshopCard>().Where(c => c.WorkshopId == id).OrderBy(c => c.Id)
            .Join(db.Listings, c => c.DraftListingId, l => l.Id, (c, l) => new { l.Status, l.Title, l.Type, l.OrganisationId, CardOrganisationId = c.OrganisationId, l.AnnualQuantity, l.Unit }).ToListAsync());
        Assert.Equal(3, drafts.Count);
        Assert.All(drafts, d => Assert.Equal(ListingStatus.Draft, d.Status));
        Assert.All(drafts, d => Assert.Equal(d.CardOrganisationId, d.OrganisationId));
        Assert.Equal("Marc de café du comptoir", drafts[0].Title);
        Assert.Equal(60 * 52, drafts[0].AnnualQuantity); // 60 kg a week, 52 weeks
        Assert.Equal(ListingType.Need, drafts[1].Type);
        var roasterAfter = WebUtility.HtmlDecode(await roaster.GetStringAsync($"/atelier/{code}"));
        Assert.Contains("Brouillon d'annonce à confirmer", roasterAfter, StringComparison.Ordinal);
        var late = await AddCardAsync(roaster, code, new() { ["Card.Type"] = "Offer", ["Card.Text"] = "Sacs de jute" }, $"/animation/ateliers/{id}/synthese", facilitator);
        Assert.Contains("L'atelier est clos", WebUtility.HtmlDecode(await late.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(3, await app.ScopedAsync(db => db.Set<WorkshopCard>().CountAsync(c => c.WorkshopId == id)));

        // The export lists the cards with their draft listing and pairs.
        var bytes = await facilitator.GetByteArrayAsync($"/animation/ateliers/{id}?handler=Csv");
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]); // a byte-order mark, so that spreadsheets read UTF-8
        var csv = System.Text.Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("atelier,date,carte,organisation,type,texte,quantite,unite,frequence,saisie_le,annonce_brouillon,correspondances", csv, StringComparison.Ordinal);
        Assert.Contains("Brûlerie des Quais,j'ai,Marc de café du comptoir,60,kg,weekly,", csv, StringComparison.Ordinal);
        Assert.Contains("discutée", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Participants_reach_their_own_cards_only_and_only_the_territory_facilitators_reach_the_board()
    {
        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        var (id, code) = await OpenAsync(facilitator, "Rencontre des menuisiers");
        var joiner = await app.SignedInAsync(Demo("menuiserie-dupuy"));
        var other = await app.SignedInAsync(Demo("atelier-bois-solidaire"));
        await AddCardAsync(joiner, code, new() { ["Card.Type"] = "Offer", ["Card.Text"] = "Chutes de chêne" });
        var card = await app.ScopedAsync(db => db.Set<WorkshopCard>().Where(c => c.WorkshopId == id).Select(c => c.Id).SingleAsync());

        // Another organisation can neither edit nor delete it, nor see it.
        var edit = await BoucleApp.PostFormAsync(other, $"/atelier/{code}?handler=Save&carte={card}",
            new Dictionary<string, string> { ["Card.Type"] = "Offer", ["Card.Text"] = "Modifiée par un autre" }, $"/atelier/{code}");
        Assert.Equal(HttpStatusCode.NotFound, edit.StatusCode);
        var delete = await BoucleApp.PostFormAsync(other, $"/atelier/{code}?handler=Delete", new Dictionary<string, string> { ["cardId"] = Id(card) }, $"/atelier/{code}");
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.DoesNotContain("Chutes de chêne", WebUtility.HtmlDecode(await other.GetStringAsync($"/atelier/{code}")), StringComparison.Ordinal);
        Assert.Equal("Chutes de chêne", await app.ScopedAsync(db => db.Set<WorkshopCard>().Where(c => c.Id == card).Select(c => c.Text).SingleAsync()));

        // Its own organisation edits it.
        Assert.Equal(HttpStatusCode.Redirect, (await BoucleApp.PostFormAsync(joiner, $"/atelier/{code}?handler=Save&carte={card}",
            new Dictionary<string, string> { ["Card.Type"] = "Offer", ["Card.Text"] = "Chutes de chêne sec", ["Card.Quantity"] = "2", ["Card.Unit"] = "M3" }, $"/atelier/{code}?carte={card}")).StatusCode);
        Assert.Equal("Chutes de chêne sec", await app.ScopedAsync(db => db.Set<WorkshopCard>().Where(c => c.Id == card).Select(c => c.Text).SingleAsync()));

        // Participants and another territory's facilitator do not see the board, its export or its summary, nor close it.
        var elsewhere = await OtherFacilitatorAsync();
        foreach (var client in new[] { joiner, elsewhere })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/animation/ateliers/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/animation/ateliers/{id}?handler=Board")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/animation/ateliers/{id}?handler=Csv")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/animation/ateliers/{id}/synthese")).StatusCode);
            var close = await BoucleApp.PostFormAsync(client, $"/animation/ateliers/{id}?handler=Close", new Dictionary<string, string>(), $"/atelier/{code}");
            Assert.Equal(HttpStatusCode.NotFound, close.StatusCode);
        }

        AssertRefused(await joiner.GetAsync("/animation/ateliers"));
        Assert.DoesNotContain("Rencontre des menuisiers", WebUtility.HtmlDecode(await elsewhere.GetStringAsync("/animation/ateliers")), StringComparison.Ordinal);
        Assert.Equal(WorkshopStatus.Open, await app.ScopedAsync(db => db.Set<Workshop>().Where(w => w.Id == id).Select(w => w.Status).SingleAsync()));

        // Unknown code: a clear message, 404.
        var unknown = await joiner.GetAsync("/atelier/ZZZZZZ");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("Aucun atelier n'a ce code", WebUtility.HtmlDecode(await unknown.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Card_creation_is_rate_limited_per_person()
    {
        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        var (id, code) = await OpenAsync(facilitator, "Atelier rapide");
        var person = await app.SignedInAsync(Demo("imprimerie-castang"));
        var token = await BoucleApp.AntiforgeryTokenAsync(person, $"/atelier/{code}");
        for (var i = 1; i <= WorkshopService.CardsPerMinute; i++)
        {
            var ok = await person.PostAsync($"/atelier/{code}?handler=Save", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["Card.Type"] = "Offer",
                ["Card.Text"] = $"Rouleau de papier {i}",
            }));
            Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        }

        var refused = await AddCardAsync(person, code, new() { ["Card.Type"] = "Offer", ["Card.Text"] = "Une de trop" });
        Assert.Contains("Beaucoup de cartes en une minute", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(WorkshopService.CardsPerMinute, await app.ScopedAsync(db => db.Set<WorkshopCard>().CountAsync(c => c.WorkshopId == id)));
    }

    private async Task<(int Id, string Code)> OpenAsync(HttpClient facilitator, string title)
    {
        var bad = await BoucleApp.PostFormAsync(facilitator, "/animation/ateliers", new Dictionary<string, string> { ["Input.Title"] = "", ["Input.Date"] = "2026-12-03" });
        Assert.Contains("Donnez un titre", WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var response = await BoucleApp.PostFormAsync(facilitator, "/animation/ateliers",
            new Dictionary<string, string> { ["Input.Title"] = title, ["Input.Date"] = "2026-12-03", ["Input.Place"] = "Salle des fêtes" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var id = int.Parse(response.Headers.Location!.OriginalString.Split('/').Last(), CultureInfo.InvariantCulture);
        var code = await app.ScopedAsync(db => db.Set<Workshop>().Where(w => w.Id == id).Select(w => w.JoinCode).SingleAsync());
        Assert.Matches("^[A-Z2-9]{6}$", code);
        Assert.Contains($"/atelier/{code}", await facilitator.GetStringAsync($"/animation/ateliers/{id}"), StringComparison.Ordinal);
        return (id, code);
    }

    private static Task<HttpResponseMessage> AddCardAsync(HttpClient client, string code, Dictionary<string, string> fields, string? formPage = null, HttpClient? tokenFrom = null) =>
        tokenFrom is null
            ? BoucleApp.PostFormAsync(client, $"/atelier/{code}?handler=Save", fields, formPage ?? $"/atelier/{code}")
            : PostWithTokenOfAsync(client, $"/atelier/{code}?handler=Save", fields);

    // A closed session has no form to take a token from: take one from the participant's code page.
    private static async Task<HttpResponseMessage> PostWithTokenOfAsync(HttpClient client, string url, Dictionary<string, string> fields)
    {
        var token = await BoucleApp.AntiforgeryTokenAsync(client, "/annonces/nouvelle");
        return await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token }));
    }

    // A page refusing a signed-in person sends them to the "access refused" page.
    private static void AssertRefused(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/acces-refuse", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private Task<HttpClient> OtherFacilitatorAsync() =>
        app.ScopedAsync(async db =>
        {
            var suffix = Guid.NewGuid().ToString("N")[..8];
            var now = DateTime.UtcNow;
            var territory = new Territory { Slug = $"causse-{suffix}", Name = $"Causse {suffix}", CenterLatitude = 44.5, CenterLongitude = 1.5, CreatedAt = now };
            db.Territories.Add(territory);
            var user = DemoSeeder.ConfirmedUser($"animation-{suffix}@causse.example.org", "Animateur du causse", new PasswordHasher<AppUser>().HashPassword(null!, DemoSeeder.DemoPassword), now);
            db.Users.Add(user);
            DemoSeeder.UseDemoAuthenticator(db, user);
            await db.SaveChangesAsync();
            db.TerritoryFacilitators.Add(new TerritoryFacilitator { TerritoryId = territory.Id, UserId = user.Id, Since = now });
            await db.SaveChangesAsync();
            return user.Email!;
        }).ContinueWith(t => app.SignedInAsync(t.Result)).Unwrap();
}

public sealed class WorkshopTestsOnSqlite(SqliteApp app) : WorkshopTests<SqliteApp>(app);

public sealed class WorkshopTestsOnPostgres(PostgresApp app) : WorkshopTests<PostgresApp>(app);
