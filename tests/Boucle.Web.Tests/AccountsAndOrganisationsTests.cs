using System.Net;
using System.Text.RegularExpressions;
using Boucle.Web.Features.Listings;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Tests;

public abstract partial class AccountsAndOrganisationsTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    private static string NewEmail() => $"p{Guid.NewGuid():N}@exemple.test";

    [Fact]
    public async Task Sign_up_sends_a_confirmation_through_smtp_and_the_link_activates_the_account()
    {
        var email = NewEmail();
        var client = app.Browser();
        var response = await BoucleApp.PostFormAsync(client, "/inscription", new Dictionary<string, string>
        {
            ["DisplayName"] = "Léa Martin",
            ["Email"] = email,
            ["Password"] = "un mot de passe assez long",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("e-mail de confirmation", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Not confirmed yet: signing in is refused with a French explanation.
        var early = await BoucleApp.PostFormAsync(client, "/connexion", new Dictionary<string, string> { ["Email"] = email, ["Password"] = "un mot de passe assez long" });
        Assert.Contains("Confirmez d&#x27;abord", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var message = await app.Smtp.WaitForAsync(email, "Confirmez");
        var link = LinkRegex().Match(message.TextBody ?? "").Value;
        var confirm = await client.GetAsync(new Uri(link).PathAndQuery);
        Assert.Contains("Votre adresse est confirmée", await confirm.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var signedIn = await app.SignedInAsync(email, "un mot de passe assez long");
        var space = await signedIn.GetAsync("/mon-espace");
        Assert.Equal(HttpStatusCode.OK, space.StatusCode);
        Assert.Contains("Créer ma structure", await space.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_password_and_a_bad_address_are_refused_with_french_messages_and_nothing_is_created()
    {
        var response = await BoucleApp.PostFormAsync(app.Browser(), "/inscription", new Dictionary<string, string>
        {
            ["DisplayName"] = "X",
            ["Email"] = "pas-une-adresse",
            ["Password"] = "court",
        });
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Indiquez une adresse e-mail valide.", html, StringComparison.Ordinal);
        Assert.False(await app.ScopedAsync(db => db.Users.AnyAsync(u => u.Email == "pas-une-adresse")));

        var email = NewEmail();
        response = await BoucleApp.PostFormAsync(app.Browser(), "/inscription", new Dictionary<string, string>
        {
            ["DisplayName"] = "X",
            ["Email"] = email,
            ["Password"] = "court",
        });
        Assert.Contains("au moins 12 caractères", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await app.ScopedAsync(db => db.Users.AnyAsync(u => u.Email == email)));
    }

    [Fact]
    public async Task Creating_an_organisation_checks_the_siret_then_makes_the_person_its_owner()
    {
        var email = await ConfirmedUserAsync();
        var client = await app.SignedInAsync(email, "un mot de passe assez long");
        var fields = new Dictionary<string, string>
        {
            ["Input.Name"] = "Atelier Test",
            ["Input.Kind"] = "Company",
            ["Input.Siret"] = "12345678901234",
            ["Input.Commune"] = "Bergerac",
        };
        var bad = await BoucleApp.PostFormAsync(client, "/structures/nouvelle", fields);
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("clé de contrôle", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await app.ScopedAsync(db => db.Organisations.AnyAsync(o => o.Name == "Atelier Test")));

        fields["Input.Siret"] = "732 829 320 00074";
        var good = await BoucleApp.PostFormAsync(client, "/structures/nouvelle", fields);
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        var organisation = await app.ScopedAsync(db => db.Organisations.Include(o => o.Members).SingleAsync(o => o.Name == "Atelier Test" && o.Siret == "73282932000074"));
        Assert.Equal("24037", organisation.CommuneInsee);
        Assert.Single(organisation.Members);
        Assert.Equal(Features.Organisations.MemberRole.Owner, organisation.Members[0].Role);
    }

    [Fact]
    public async Task A_member_posts_a_listing_and_another_organisation_can_neither_see_its_draft_nor_change_it()
    {
        var owner = await app.SignedInAsync("menuiserie-dupuy@demo.example.org");
        var response = await BoucleApp.PostFormAsync(owner, "/annonces/nouvelle", new Dictionary<string, string>
        {
            ["Input.Type"] = "Offer",
            ["Input.Title"] = "Chutes de contreplaqué test",
            ["Input.Quantity"] = "2,5",
            ["Input.Unit"] = "M3",
            ["Input.Frequency"] = "Monthly",
            ["publish"] = "false",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var listing = await app.ScopedAsync(db => db.Listings.SingleAsync(l => l.Title == "Chutes de contreplaqué test"));
        Assert.Equal(ListingStatus.Draft, listing.Status);
        Assert.Equal(2.5, listing.Quantity);
        Assert.Equal(30, listing.AnnualQuantity);

        var other = await app.SignedInAsync(await app.ScopedAsync(db => db.Users
            .Where(u => u.Email!.EndsWith("@demo.example.org") && u.Email != "menuiserie-dupuy@demo.example.org").Select(u => u.Email!).FirstAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/annonces/{listing.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/annonces/{listing.Id}")).StatusCode);

        var token = await BoucleApp.AntiforgeryTokenAsync(other, "/annonces/nouvelle");
        var attempt = await other.PostAsync($"/annonces/{listing.Id}?handler=Status", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["status"] = "Withdrawn",
            ["version"] = listing.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.NotFound, attempt.StatusCode);
        Assert.Equal(ListingStatus.Draft, await app.ScopedAsync(db => db.Listings.Where(l => l.Id == listing.Id).Select(l => l.Status).SingleAsync()));
    }

    [Fact]
    public async Task A_form_without_its_antiforgery_token_is_refused()
    {
        var client = await app.SignedInAsync("menuiserie-dupuy@demo.example.org");
        var response = await client.PostAsync("/annonces/nouvelle", new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Title"] = "Sans jeton" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(await app.ScopedAsync(db => db.Listings.AnyAsync(l => l.Title == "Sans jeton")));
    }

    [Fact]
    public async Task Bad_listing_input_shows_french_errors_and_writes_nothing()
    {
        var owner = await app.SignedInAsync("menuiserie-dupuy@demo.example.org");
        var before = await app.ScopedAsync(db => db.Listings.CountAsync());
        var response = await BoucleApp.PostFormAsync(owner, "/annonces/nouvelle", new Dictionary<string, string>
        {
            ["Input.Type"] = "Offer",
            ["Input.Title"] = "",
            ["Input.Quantity"] = "beaucoup",
            ["Input.WasteCode"] = "99 99 99",
            ["publish"] = "true",
        });
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Donnez un titre", html, StringComparison.Ordinal);
        Assert.Contains("Saisissez un nombre", html, StringComparison.Ordinal);
        Assert.Contains("Code déchet inconnu", html, StringComparison.Ordinal);
        Assert.Equal(before, await app.ScopedAsync(db => db.Listings.CountAsync()));
    }

    [Fact]
    public async Task An_invitation_by_email_lets_a_person_join_the_organisation()
    {
        var owner = await app.SignedInAsync("menuiserie-dupuy@demo.example.org");
        var organisationId = await app.ScopedAsync(db => db.Organisations.Where(o => o.ExternalKey == "menuiserie-dupuy").Select(o => o.Id).SingleAsync());
        var invitee = await ConfirmedUserAsync();
        var sent = await BoucleApp.PostFormAsync(owner, $"/structures/{organisationId}/membres?handler=Invite",
            new Dictionary<string, string> { ["InviteEmail"] = invitee, ["InviteRole"] = "Manager" }, $"/structures/{organisationId}/membres");
        Assert.Contains("Invitation envoyée", await sent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var message = await app.Smtp.WaitForAsync(invitee, "Invitation");
        var path = new Uri(LinkRegex().Match(message.TextBody ?? "").Value).PathAndQuery;

        var client = await app.SignedInAsync(invitee, "un mot de passe assez long");
        var accepted = await BoucleApp.PostFormAsync(client, path, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.True(await app.ScopedAsync(db => db.Memberships.AnyAsync(m => m.OrganisationId == organisationId
            && m.Role == Features.Organisations.MemberRole.Manager && db.Users.Any(u => u.Id == m.UserId && u.Email == invitee))));
        // Used once: the same link does not work again.
        var again = await client.GetStringAsync(path);
        Assert.Contains("n'est plus valable", System.Net.WebUtility.HtmlDecode(again), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_member_list_is_private_to_the_organisation()
    {
        var organisationId = await app.ScopedAsync(db => db.Organisations.Where(o => o.ExternalKey == "menuiserie-dupuy").Select(o => o.Id).SingleAsync());
        var stranger = await app.SignedInAsync(await ConfirmedUserAsync(), "un mot de passe assez long");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/structures/{organisationId}/membres")).StatusCode);
        var visitor = await app.Browser().GetAsync($"/structures/{organisationId}/membres");
        Assert.Equal(HttpStatusCode.Redirect, visitor.StatusCode);
        Assert.StartsWith("/connexion", visitor.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    private async Task<string> ConfirmedUserAsync()
    {
        var email = NewEmail();
        await BoucleApp.PostFormAsync(app.Browser(), "/inscription", new Dictionary<string, string>
        {
            ["DisplayName"] = "Personne Test",
            ["Email"] = email,
            ["Password"] = "un mot de passe assez long",
        });
        await app.ScopedAsync(db => db.Users.Where(u => u.Email == email).ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailConfirmed, true)));
        return email;
    }

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkRegex();
}

public sealed class AccountsAndOrganisationsTestsOnSqlite(SqliteApp app) : AccountsAndOrganisationsTests<SqliteApp>(app);

public sealed class AccountsAndOrganisationsTestsOnPostgres(PostgresApp app) : AccountsAndOrganisationsTests<PostgresApp>(app);
