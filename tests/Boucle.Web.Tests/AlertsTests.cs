using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Boucle.Web.Features.Alerts;
using Boucle.Web.Features.Listings;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Boucle.Web.Tests;

public abstract partial class AlertsTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    private const string Password = "un mot de passe assez long";
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    [Fact]
    public async Task An_immediate_alert_emails_the_new_matching_listing_and_its_link_unsubscribes()
    {
        var (email, client) = await NewPersonAsync();
        var saved = await BoucleApp.PostFormAsync(client, "/alertes/nouvelle", new Dictionary<string, string>
        {
            ["q"] = "palette",
            ["Name"] = "Palettes du coin",
            ["Frequency"] = "Immediate",
        }, "/annonces?q=palette");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/alertes", saved.Headers.Location!.OriginalString);
        var list = await client.GetStringAsync("/alertes");
        Assert.Contains("Palettes du coin", list, StringComparison.Ordinal);
        Assert.Contains("dès la publication", list, StringComparison.Ordinal);

        var suffix = Guid.NewGuid().ToString("N")[..8];
        var matching = await PublishAsync($"Palettes europe réemploi {suffix}");
        var other = await PublishAsync($"Fûts métalliques vides {suffix}");

        Assert.True(await RunAlertsAsync() >= 1);
        var message = await app.Smtp.WaitForAsync(email, "Palettes du coin");
        var text = message.TextBody ?? "";
        Assert.Contains($"Palettes europe réemploi {suffix}", text, StringComparison.Ordinal);
        Assert.Contains($"/annonces/{matching}", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Fûts métalliques", text, StringComparison.Ordinal);
        Assert.DoesNotContain($"/annonces/{other}", text, StringComparison.Ordinal);
        Assert.Contains($"Palettes europe réemploi {suffix}", message.HtmlBody ?? "", StringComparison.Ordinal);

        // Nothing new: no second e-mail for the same listing.
        await RunAlertsAsync();
        Assert.Equal(1, await AlertEmailsAsync(email, "Palettes du coin"));

        // The unsubscribe link works without signing in: GET asks, POST unsubscribes.
        var link = UnsubscribeRegex().Match(text);
        Assert.True(link.Success, text);
        var path = new Uri(link.Value).PathAndQuery;
        var visitor = app.Browser();
        var confirm = await visitor.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        Assert.Contains("Me désabonner", await confirm.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var done = await BoucleApp.PostFormAsync(visitor, path, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("Vous ne recevrez plus d'e-mails", await done.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await PublishAsync($"Palettes bois consignées {suffix}");
        await RunAlertsAsync();
        Assert.Equal(1, await AlertEmailsAsync(email, "Palettes du coin"));

        // A forged token is refused.
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync("/alertes/desabonnement/pas-un-jeton")).StatusCode);
    }

    [Fact]
    public async Task A_daily_alert_waits_for_its_day()
    {
        var (email, client) = await NewPersonAsync();
        await BoucleApp.PostFormAsync(client, "/alertes/nouvelle", new Dictionary<string, string>
        {
            ["q"] = "carton",
            ["Name"] = "Cartons chaque jour",
            ["Frequency"] = "Daily",
        }, "/annonces");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await PublishAsync($"Cartons d'emballage {suffix}");
        await RunAlertsAsync();
        Assert.Equal(0, await AlertEmailsAsync(email, "Cartons chaque jour"));

        // A day later (the checkpoint moved back a day, the listing still after it).
        var yesterday = DateTime.UtcNow.AddDays(-1).AddMinutes(-1);
        await app.ScopedAsync(db => db.Set<SavedSearch>().Where(s => s.Name == "Cartons chaque jour")
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastCheckedAt, yesterday).SetProperty(x => x.CreatedAt, yesterday)));
        await RunAlertsAsync();
        var message = await app.Smtp.WaitForAsync(email, "Cartons chaque jour");
        Assert.Contains($"Cartons d'emballage {suffix}", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_atom_feed_is_valid_xml_with_the_matching_listing_encoded()
    {
        var (_, client) = await NewPersonAsync();
        await BoucleApp.PostFormAsync(client, "/alertes/nouvelle", new Dictionary<string, string>
        {
            ["q"] = "palette",
            ["type"] = "offer",
            ["Name"] = "Flux <palettes> & co",
            ["Frequency"] = "Weekly",
        }, "/annonces");
        var token = await app.ScopedAsync(db => db.Set<SavedSearch>().Where(s => s.Name == "Flux <palettes> & co").Select(s => s.FeedToken).SingleAsync());
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var title = $"Palettes <b>cassées</b> & \"propres\" {suffix}";
        var id = await PublishAsync(title);

        var response = await app.Browser().GetAsync($"/alertes/{token}.atom");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        var xml = await response.Content.ReadAsStringAsync();
        var feed = XDocument.Parse(xml).Root!;
        Assert.Equal(Atom + "feed", feed.Name);
        Assert.False(string.IsNullOrWhiteSpace(feed.Element(Atom + "id")?.Value));
        Assert.Equal("Boucle : Flux <palettes> & co", feed.Element(Atom + "title")?.Value);
        Assert.True(DateTimeOffset.TryParse(feed.Element(Atom + "updated")?.Value, System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.NotNull(feed.Elements(Atom + "link").SingleOrDefault(l => (string?)l.Attribute("rel") == "self"));
        var entry = feed.Elements(Atom + "entry").Single(e => e.Element(Atom + "title")!.Value == $"Offre : {title}");
        Assert.EndsWith($"/annonces/{id}", entry.Element(Atom + "id")!.Value, StringComparison.Ordinal);
        Assert.EndsWith($"/annonces/{id}", (string?)entry.Element(Atom + "link")!.Attribute("href"), StringComparison.Ordinal);
        Assert.NotNull(entry.Element(Atom + "updated"));
        Assert.DoesNotContain("<b>", xml, StringComparison.Ordinal);
        Assert.All(feed.Elements(Atom + "entry"), e => Assert.StartsWith("Offre : ", e.Element(Atom + "title")!.Value, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.NotFound, (await app.Browser().GetAsync("/alertes/inconnu.atom")).StatusCode);
    }

    [Fact]
    public async Task Favourites_toggle_from_the_listing_page_and_are_private()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var title = $"Bobines de câble vides {suffix}";
        var id = await PublishAsync(title);
        var (_, owner) = await NewPersonAsync();
        var (_, stranger) = await NewPersonAsync();

        var page = await owner.GetStringAsync($"/annonces/{id}");
        Assert.Contains("Ajouter aux favoris", page, StringComparison.Ordinal);
        var toggle = new Dictionary<string, string> { ["listingId"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["returnUrl"] = $"/annonces/{id}" };
        var added = await BoucleApp.PostFormAsync(owner, "/favoris?handler=Toggle", toggle, $"/annonces/{id}");
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal($"/annonces/{id}", added.Headers.Location!.OriginalString);
        Assert.Contains("Retirer des favoris", await owner.GetStringAsync($"/annonces/{id}"), StringComparison.Ordinal);
        Assert.Contains(title, await owner.GetStringAsync("/favoris"), StringComparison.Ordinal);

        // Private: another person does not see it, a visitor is sent to sign in.
        Assert.DoesNotContain(title, await stranger.GetStringAsync("/favoris"), StringComparison.Ordinal);
        Assert.Contains("Ajouter aux favoris", await stranger.GetStringAsync($"/annonces/{id}"), StringComparison.Ordinal);
        var visitor = await app.Browser().GetAsync("/favoris");
        Assert.Equal(HttpStatusCode.Redirect, visitor.StatusCode);
        Assert.StartsWith("/connexion", visitor.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        // An off-site return address is not followed.
        var offsite = await BoucleApp.PostFormAsync(owner, "/favoris?handler=Toggle", new Dictionary<string, string>(toggle) { ["returnUrl"] = "https://exemple.test/" }, "/favoris");
        Assert.Equal("/favoris", offsite.Headers.Location!.OriginalString);
        Assert.DoesNotContain(title, await owner.GetStringAsync("/favoris"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await BoucleApp.PostFormAsync(owner, "/favoris?handler=Toggle", new Dictionary<string, string> { ["listingId"] = "999999" }, "/favoris")).StatusCode);
    }

    [Fact]
    public async Task Another_person_gets_404_on_someone_elses_saved_search()
    {
        var (_, owner) = await NewPersonAsync();
        var (_, stranger) = await NewPersonAsync();
        var name = $"Recherche privée {Guid.NewGuid():N}";
        await BoucleApp.PostFormAsync(owner, "/alertes/nouvelle", new Dictionary<string, string> { ["q"] = "bois", ["Name"] = name, ["Frequency"] = "Weekly" }, "/annonces");
        var id = await app.ScopedAsync(db => db.Set<SavedSearch>().Where(s => s.Name == name).Select(s => s.Id).SingleAsync());

        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/alertes/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/alertes/{id}")).StatusCode);
        var edit = await BoucleApp.PostFormAsync(stranger, $"/alertes/{id}", new Dictionary<string, string> { ["Name"] = "Volée", ["Frequency"] = "Immediate", ["EmailEnabled"] = "true" }, "/alertes");
        Assert.Equal(HttpStatusCode.NotFound, edit.StatusCode);
        var delete = await BoucleApp.PostFormAsync(stranger, $"/alertes/{id}?handler=Delete", new Dictionary<string, string>(), "/alertes");
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.DoesNotContain(name, await stranger.GetStringAsync("/alertes"), StringComparison.Ordinal);
        Assert.Equal(name, await app.ScopedAsync(db => db.Set<SavedSearch>().Where(s => s.Id == id).Select(s => s.Name).SingleAsync()));

        // The owner edits, then deletes.
        var renamed = await BoucleApp.PostFormAsync(owner, $"/alertes/{id}", new Dictionary<string, string> { ["Name"] = name + " (bis)", ["Frequency"] = "Daily", ["EmailEnabled"] = "true" }, $"/alertes/{id}");
        Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
        var after = await app.ScopedAsync(db => db.Set<SavedSearch>().AsNoTracking().SingleAsync(s => s.Id == id));
        Assert.Equal(AlertFrequency.Daily, after.Frequency);
        Assert.Equal(name + " (bis)", after.Name);
        var deleted = await BoucleApp.PostFormAsync(owner, $"/alertes/{id}?handler=Delete", new Dictionary<string, string>(), "/alertes");
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.False(await app.ScopedAsync(db => db.Set<SavedSearch>().AnyAsync(s => s.Id == id)));
    }

    [Fact]
    public async Task Bad_input_gives_french_errors_next_to_the_fields_and_saves_nothing()
    {
        var (_, client) = await NewPersonAsync();
        var before = await app.ScopedAsync(db => db.Set<SavedSearch>().CountAsync());
        var response = await BoucleApp.PostFormAsync(client, "/alertes/nouvelle", new Dictionary<string, string>
        {
            ["q"] = "palette",
            ["Name"] = "  ",
            ["Frequency"] = "Hourly",
        }, "/annonces");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("id=\"Name-error\" class=\"field-error\">Donnez un nom à cette recherche.", html, StringComparison.Ordinal);
        Assert.Contains("id=\"Frequency-error\" class=\"field-error\">Choisissez une fréquence", html, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
        Assert.Equal(before, await app.ScopedAsync(db => db.Set<SavedSearch>().CountAsync()));

        var unknownPlace = await BoucleApp.PostFormAsync(client, "/alertes/nouvelle", new Dictionary<string, string>
        {
            ["commune"] = "Zzyzx-sur-Mer",
            ["Name"] = "Ailleurs",
            ["Frequency"] = "Daily",
        }, "/annonces");
        Assert.Contains("Commune introuvable", await unknownPlace.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.ScopedAsync(db => db.Set<SavedSearch>().CountAsync()));
    }

    [Fact]
    public async Task The_search_page_maps_the_same_filtered_results()
    {
        var html = await app.Browser().GetStringAsync("/annonces?q=palette&type=offer&commune=Bergerac&rayon=20");
        var url = WebUtility.HtmlDecode(GeoJsonRegex().Match(html).Groups[1].Value);
        Assert.StartsWith("/api/v1/listings/geojson?", url, StringComparison.Ordinal);
        Assert.Contains("q=palette", url, StringComparison.Ordinal);
        Assert.Contains("type=offer", url, StringComparison.Ordinal);
        Assert.Contains("radius_km=20", url, StringComparison.Ordinal);
        Assert.Contains("Enregistrer cette recherche", html, StringComparison.Ordinal);

        var geo = System.Text.Json.JsonDocument.Parse(await app.Browser().GetStringAsync(url));
        var mapped = geo.RootElement.GetProperty("features").GetArrayLength();
        var listed = CountRegex().Match(html);
        Assert.True(listed.Success);
        Assert.Equal(int.Parse(listed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), mapped);
        var everywhere = System.Text.Json.JsonDocument.Parse(await app.Browser().GetStringAsync("/api/v1/listings/geojson?q=palette&type=offer"));
        Assert.True(everywhere.RootElement.GetProperty("features").GetArrayLength() >= mapped);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Browser().GetAsync("/api/v1/listings/geojson?radius_km=5")).StatusCode);
    }

    [Fact]
    public async Task More_filters_narrow_the_list_the_map_and_the_saved_search()
    {
        var all = await CountAsync("/annonces");
        var html = await app.Browser().GetStringAsync("/annonces?price_mode=free&waste=02");
        var listed = int.Parse(CountRegex().Match(html).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(listed > 0 && listed < all, $"{listed} / {all}");
        var geo = System.Text.Json.JsonDocument.Parse(await app.Browser().GetStringAsync("/api/v1/listings/geojson?price_mode=free&waste=02"));
        Assert.Equal(listed, geo.RootElement.GetProperty("features").GetArrayLength());
        Assert.Contains("waste=02", WebUtility.HtmlDecode(GeoJsonRegex().Match(html).Groups[1].Value), StringComparison.Ordinal);
        Assert.Contains("Attendu : un chapitre", await app.Browser().GetStringAsync("/annonces?waste=abc"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Browser().GetAsync("/api/v1/listings/geojson?price_mode=gratis")).StatusCode);

        var (_, client) = await NewPersonAsync();
        var name = $"Biodéchets gratuits {Guid.NewGuid():N}";
        var saved = await BoucleApp.PostFormAsync(client, "/alertes/nouvelle", new Dictionary<string, string>
        {
            ["price_mode"] = "free",
            ["org_kind"] = "farm",
            ["regularite"] = "weekly",
            ["waste"] = "0207",
            ["Name"] = name,
            ["Frequency"] = "Weekly",
        }, "/annonces");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var search = await app.ScopedAsync(db => db.Set<SavedSearch>().AsNoTracking().SingleAsync(s => s.Name == name));
        Assert.Equal(PriceMode.Free, search.PriceMode);
        Assert.Equal(Boucle.Web.Features.Organisations.OrganisationKind.Farm, search.OrganisationKind);
        Assert.Equal(Frequency.Weekly, search.ListingFrequency);
        Assert.Equal("02 07", search.WastePrefix);
        Assert.Contains("waste=02%2007", search.BrowseUrl(), StringComparison.Ordinal);
    }

    private async Task<int> CountAsync(string url) =>
        int.Parse(CountRegex().Match(await app.Browser().GetStringAsync(url)).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    private async Task<int> RunAlertsAsync() => await app.Services.GetRequiredService<AlertSender>().SendDueAsync(CancellationToken.None);

    private Task<int> AlertEmailsAsync(string email, string name) =>
        app.ScopedAsync(db => db.Outbox.CountAsync(m => m.To == email && m.Subject.Contains(name)));

    private async Task<int> PublishAsync(string title)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Boucle.Web.Data.AppDbContext>();
        var writer = scope.ServiceProvider.GetRequiredService<ListingWriter>();
        var organisation = await db.Organisations.SingleAsync(o => o.ExternalKey == "menuiserie-dupuy");
        var listing = await writer.ApplyAsync(null, organisation, new ListingInput { Type = ListingType.Offer, Title = title }, ListingStatus.Published, CancellationToken.None);
        return listing.Id;
    }

    private async Task<(string Email, HttpClient Client)> NewPersonAsync()
    {
        var email = $"a{Guid.NewGuid():N}@exemple.test";
        await BoucleApp.PostFormAsync(app.Browser(), "/inscription", new Dictionary<string, string>
        {
            ["DisplayName"] = "Personne Alertes",
            ["Email"] = email,
            ["Password"] = Password,
        });
        await app.ScopedAsync(db => db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailConfirmed, true)));
        return (email, await app.SignedInAsync(email, Password));
    }

    [GeneratedRegex(@"https?://\S+/alertes/desabonnement/[A-Za-z0-9_\-]+")]
    private static partial Regex UnsubscribeRegex();

    [GeneratedRegex("data-geojson=\"([^\"]+)\"")]
    private static partial Regex GeoJsonRegex();

    [GeneratedRegex(@"<p role=""status"">(\d+) annonces? trouvée")]
    private static partial Regex CountRegex();
}

public sealed class AlertsTestsOnSqlite(SqliteApp app) : AlertsTests<SqliteApp>(app);

public sealed class AlertsTestsOnPostgres(PostgresApp app) : AlertsTests<PostgresApp>(app);
