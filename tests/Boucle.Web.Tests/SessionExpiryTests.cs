using System.Net;
using System.Text.RegularExpressions;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Boucle.Web.Tests;

/// Sessions end after 30 minutes without a request, and 12 hours after sign-in whatever the activity
/// (Boucle:Security:IdleMinutes and AbsoluteHours). Time is the application's TimeProvider, replaced by
/// a clock the test moves: the cookie handler, the security stamp check and our absolute limit all read
/// it. Real sign-ins through the test server, real cookies kept by the client. And "sign out everywhere"
/// after a password reset by e-mail (after a change on the security page: SecurityTests).
public abstract partial class SessionExpiryTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    private const string Email = "menuiserie-dupuy@demo.example.org";

    [Fact]
    public async Task A_session_without_a_request_for_more_than_thirty_minutes_ends_and_each_request_gives_thirty_more()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = Clocked(clock);
        var active = await SignInAsync(host);
        var idle = await SignInAsync(host);

        // Signed in at T. T+29 min: 29 < 30, both still in; only "active" asks.
        clock.Advance(TimeSpan.FromMinutes(29));
        Assert.True(await SignedInAsync(active), "29 minutes after sign-in");

        // T+58: "active" last asked at T+29, 29 minutes ago: still in. "idle" has not asked since T, 58 > 30: out.
        clock.Advance(TimeSpan.FromMinutes(29));
        Assert.True(await SignedInAsync(active), "29 minutes after the last request");
        Assert.False(await SignedInAsync(idle), "58 minutes without a request");

        // T+89: 31 minutes since "active"'s last request at T+58: out too.
        clock.Advance(TimeSpan.FromMinutes(31));
        Assert.False(await SignedInAsync(active), "31 minutes without a request");

        // Signing in again starts a new session.
        Assert.True(await SignedInAsync(await SignInAsync(host)));
    }

    [Fact]
    public async Task A_session_ends_twelve_hours_after_sign_in_even_with_a_request_every_twenty_minutes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = Clocked(clock);
        var client = await SignInAsync(host);

        // A request every 20 minutes, never idle long enough: 35 × 20 min = 11 h 40, still signed in.
        for (var step = 1; step <= 35; step++)
        {
            clock.Advance(TimeSpan.FromMinutes(20));
            Assert.True(await SignedInAsync(client), $"{step * 20} minutes after sign-in");
        }

        // 25 more minutes: only 25 idle (< 30), but 11 h 40 + 25 min = 12 h 05 > 12 h since sign-in.
        clock.Advance(TimeSpan.FromMinutes(25));
        Assert.False(await SignedInAsync(client), "12 h 05 after sign-in");

        // A new sign-in has its own 12 hours.
        var again = await SignInAsync(host);
        clock.Advance(TimeSpan.FromMinutes(20));
        Assert.True(await SignedInAsync(again));
    }

    [Fact]
    public async Task A_password_chosen_from_the_forgotten_password_email_signs_out_every_open_session()
    {
        var email = await app.ScopedAsync(db => db.Users.Where(u => u.Email!.EndsWith("@demo.example.org") && u.Email != Email && !u.TwoFactorEnabled)
            .OrderBy(u => u.Email).Select(u => u.Email!).FirstAsync());
        var phone = await app.SignedInAsync(email);
        Assert.True(await SignedInAsync(phone));

        await BoucleApp.PostFormAsync(app.Browser(), "/mot-de-passe-oublie", new Dictionary<string, string> { ["Email"] = email });
        var mail = await app.Smtp.WaitForAsync(email, "Nouveau mot de passe");
        var link = new Uri(ResetLink().Match(mail.TextBody ?? "").Value).PathAndQuery;
        var reset = await BoucleApp.PostFormAsync(app.Browser(), link, new Dictionary<string, string> { ["Password"] = "une phrase toute neuve pour la boucle" });
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Contains("Votre mot de passe est changé", WebUtility.HtmlDecode(await reset.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        Assert.False(await SignedInAsync(phone), "the session opened before the reset");
        Assert.True(await SignedInAsync(await app.SignedInAsync(email, "une phrase toute neuve pour la boucle")));
    }

    [GeneratedRegex(@"https?://\S+/reinitialiser-mot-de-passe\?\S+")]
    private static partial Regex ResetLink();

    /// The same application and database, with the test's clock as its TimeProvider.
    private WebApplicationFactory<Program> Clocked(FakeTimeProvider clock) =>
        app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));

    private static async Task<HttpClient> SignInAsync(WebApplicationFactory<Program> host)
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await BoucleApp.PostFormAsync(client, "/connexion",
            new Dictionary<string, string> { ["Email"] = Email, ["Password"] = Boucle.Web.Data.DemoSeeder.DemoPassword });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("boucle.auth=", StringComparison.Ordinal));
        return client;
    }

    /// "Mon espace" answers a signed-in person; anyone else is sent to the sign-in page.
    private static async Task<bool> SignedInAsync(HttpClient client)
    {
        var response = await client.GetAsync("/mon-espace");
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return true;
        }

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/connexion", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        return false;
    }
}

public sealed class SessionExpiryTestsOnSqlite(SqliteApp app) : SessionExpiryTests<SqliteApp>(app);

public sealed class SessionExpiryTestsOnPostgres(PostgresApp app) : SessionExpiryTests<PostgresApp>(app);
