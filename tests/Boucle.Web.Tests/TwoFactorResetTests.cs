using System.Net;
using Boucle.Web.Data;
using Boucle.Web.Features.Moderation;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Tests;

/// A facilitator who lost both their phone and their recovery codes gets back in through an
/// administrator, who resets their second factor with a reason: journal, e-mail, sessions ended,
/// and the facilitator pages stay closed until two-factor sign-in is set up again.
public abstract class TwoFactorResetTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    private const string Page = "/admin/double-authentification";
    private const string Reason = "Téléphone perdu avec les codes ; identité vérifiée par appel au numéro de la coopérative.";

    [Fact]
    public async Task An_administrator_resets_a_facilitators_lost_second_factor_with_a_reason_journal_email_and_sessions_ended()
    {
        var phone = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/animation/moderation")).StatusCode);
        var admin = await app.SignedInAsync(DemoSeeder.AdministratorEmail);
        Assert.Contains("href=\"/admin/double-authentification\"", await admin.GetStringAsync("/admin/journal"), StringComparison.Ordinal);

        var response = await BoucleApp.PostFormAsync(admin, Page, new Dictionary<string, string> { ["Email"] = DemoSeeder.FacilitatorEmail, ["Reason"] = Reason });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ses sessions sont fermées", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        Assert.False(await TwoFactorAsync(DemoSeeder.FacilitatorEmail));
        var entry = await app.ScopedAsync(db => db.Set<AuditEntry>().Where(a => a.Action == AuditActions.TwoFactorReset).SingleAsync());
        Assert.Equal(Reason, entry.Reason);
        Assert.Contains(DemoSeeder.FacilitatorEmail, entry.TargetLabel, StringComparison.Ordinal);
        Assert.Equal(await app.ScopedAsync(db => db.Users.Where(u => u.Email == DemoSeeder.AdministratorEmail).Select(u => u.Id).SingleAsync()), entry.ActorUserId);
        var journal = WebUtility.HtmlDecode(await admin.GetStringAsync("/admin/journal"));
        Assert.Contains("Vérification en deux étapes réinitialisée", journal, StringComparison.Ordinal);
        Assert.Contains(Reason, journal, StringComparison.Ordinal);

        var mail = await app.Smtp.WaitForAsync(DemoSeeder.FacilitatorEmail, "vérification en deux étapes a été réinitialisée");
        Assert.Contains(Reason, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("/mon-espace/securite", mail.TextBody, StringComparison.Ordinal);

        // The session opened before the reset is over (new security stamp).
        var ended = await phone.GetAsync("/mon-espace");
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.StartsWith("/connexion", ended.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        // The password alone signs in now, and the facilitator pages first ask for a new second factor.
        var client = app.Browser();
        var signIn = await BoucleApp.PostFormAsync(client, "/connexion", new Dictionary<string, string> { ["Email"] = DemoSeeder.FacilitatorEmail, ["Password"] = DemoSeeder.DemoPassword });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.DoesNotContain("/connexion/2fa", signIn.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var animation = await client.GetAsync("/animation/moderation");
        Assert.Equal(HttpStatusCode.Redirect, animation.StatusCode);
        Assert.Equal("/mon-espace/securite?obligatoire=true", animation.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Only_an_administrator_may_reset_and_a_wrong_request_is_answered_next_to_its_field_without_changing_anything()
    {
        var before = await JournalCountAsync();
        var target = DemoSeeder.AdministratorEmail;
        var facilitatorTwoFactor = await TwoFactorAsync(DemoSeeder.FacilitatorEmail);

        // A facilitator (of this very territory) and a member are refused, page and form alike.
        foreach (var email in new[] { DemoSeeder.FacilitatorEmail, "menuiserie-dupuy@demo.example.org" })
        {
            var client = await app.SignedInAsync(email);
            var page = await client.GetAsync(Page);
            Assert.True(page.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect, $"{email}: {page.StatusCode}");
            Assert.NotEqual("/admin/double-authentification", page.Headers.Location?.OriginalString);
            var token = await BoucleApp.AntiforgeryTokenAsync(client, "/mon-espace/securite");
            var post = await client.PostAsync(Page, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Email"] = target, ["Reason"] = Reason }));
            Assert.True(post.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect, $"{email}: {post.StatusCode}");
        }

        // Without the form token, even an administrator's post is refused.
        var admin = await app.SignedInAsync(DemoSeeder.AdministratorEmail);
        var bare = await admin.PostAsync(Page, new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = DemoSeeder.FacilitatorEmail, ["Reason"] = Reason }));
        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);

        // The administrator's mistakes, each next to its field.
        var member = "menuiserie-dupuy@demo.example.org";
        var cases = new (string Email, string Reason, string Field, string Message)[]
        {
            ("", Reason, "Email", "Indiquez l'adresse e-mail du compte."),
            ("personne@inconnu.example.org", Reason, "Email", "Aucun compte n'a l'adresse"),
            ("admin\u0007@boucle.example.org", Reason, "Email", "n'est pas valide"),
            (member, Reason, "Email", "n'a pas de vérification en deux étapes activée"),
            (DemoSeeder.AdministratorEmail, Reason, "Email", "C'est votre propre compte"),
            (DemoSeeder.FacilitatorEmail, "perdu", "Reason", "10 caractères au moins"),
            (DemoSeeder.FacilitatorEmail, new string('x', 1001), "Reason", "1000 caractères au plus"),
            (DemoSeeder.FacilitatorEmail, "Motif avec un \u0007 au milieu", "Reason", "caractères de contrôle"),
        };
        foreach (var (email, reason, field, message) in cases)
        {
            var response = await BoucleApp.PostFormAsync(admin, Page, new Dictionary<string, string> { ["Email"] = email, ["Reason"] = reason });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            Assert.Contains(message, html, StringComparison.Ordinal);
            Assert.Matches($"id=\"{field}\"[^>]*aria-invalid=\"true\"|aria-invalid=\"true\"[^>]*id=\"{field}\"", html);
        }

        Assert.Equal(before, await JournalCountAsync());
        Assert.Equal(facilitatorTwoFactor, await TwoFactorAsync(DemoSeeder.FacilitatorEmail));
        Assert.True(await TwoFactorAsync(target));
    }

    private Task<int> JournalCountAsync() => app.ScopedAsync(db => db.Set<AuditEntry>().CountAsync());

    private Task<bool> TwoFactorAsync(string email) => app.ScopedAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.TwoFactorEnabled).SingleAsync());
}

public sealed class TwoFactorResetTestsOnSqlite(SqliteApp app) : TwoFactorResetTests<SqliteApp>(app);

public sealed class TwoFactorResetTestsOnPostgres(PostgresApp app) : TwoFactorResetTests<PostgresApp>(app);
