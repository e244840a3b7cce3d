using System.Net;
using System.Text.RegularExpressions;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Territories;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Tests;

/// Accounts under attack: password rules, two-factor sign-in, sessions, cookies, headers and rate limits.
public abstract partial class SecurityTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    private const string Password = "trois mots bien choisis";

    [Theory]
    [InlineData("court-11car", "au moins 12 caractères")]
    [InlineData("123qweasdzxc", "plus courants")]
    [InlineData("QAZWSXEDCRFV", "plus courants")]
    public async Task Sign_up_refuses_short_and_common_passwords_next_to_the_field(string password, string error)
    {
        var response = await BoucleApp.PostFormAsync(app.Browser(), "/inscription", new Dictionary<string, string>
        {
            ["DisplayName"] = "Essai",
            ["Email"] = $"p{Guid.NewGuid():N}@exemple.test",
            ["Password"] = password,
        });
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(error, html, StringComparison.Ordinal);
        Assert.Contains("id=\"Password\"", html, StringComparison.Ordinal);
        Assert.Matches("id=\"Password\"[^>]*aria-invalid=\"true\"|aria-invalid=\"true\"[^>]*id=\"Password\"", html);
    }

    [Fact]
    public async Task A_long_password_of_lowercase_words_and_spaces_needs_no_digit_or_symbol()
    {
        var response = await BoucleApp.PostFormAsync(app.Browser(), "/inscription", new Dictionary<string, string>
        {
            ["DisplayName"] = "Essai",
            ["Email"] = $"p{Guid.NewGuid():N}@exemple.test",
            ["Password"] = "le chat dort sur le radiateur",
        });
        Assert.Contains("e-mail de confirmation", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_common_password_list_keeps_the_entries_of_twelve_characters_or_more()
    {
        // 44,150 lines of the SecLists top million have 12 characters or more (awk 'length($0)>=12' | wc -l),
        // a few of which differ only by case.
        var list = new CommonPasswords();
        Assert.InRange(list.Count, 40_000, 44_150);
        Assert.True(list.Contains("1qaz2wsx3edc"));
        Assert.False(list.Contains("trois mots bien choisis"));
    }

    [Fact]
    public async Task Every_page_answer_carries_the_security_headers_and_https_adds_hsts()
    {
        var https = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        var response = await https.GetAsync("/");
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.StartsWith("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);

        // Over plain HTTP browsers ignore HSTS: it is not sent. The API gets the same protections.
        var http = await app.Browser().GetAsync("/api/v1/listings?limit=1");
        Assert.False(http.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal("nosniff", http.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Pages_have_no_inline_script_or_style_attribute_even_the_two_factor_setup()
    {
        var (email, _) = await NewPersonAsync();
        var client = await app.SignedInAsync(email, Password);
        var setup = await BoucleApp.PostFormAsync(client, "/mon-espace/securite?handler=Setup", new Dictionary<string, string>(), "/mon-espace/securite");
        var listingId = await app.ScopedAsync(db => db.Listings.Where(l => l.Status == Features.Listings.ListingStatus.Published).Select(l => l.Id).FirstAsync());
        var pages = new List<(string Path, string Html)> { ("/mon-espace/securite (clé)", await setup.Content.ReadAsStringAsync()) };
        foreach (var path in new[] { "/", "/annonces", $"/annonces/{listingId}", "/connexion", "/inscription", "/mon-espace", "/mon-espace/donnees", "/confidentialite" })
        {
            pages.Add((path, await client.GetStringAsync(path)));
        }

        foreach (var (path, html) in pages)
        {
            foreach (Match script in ScriptTag().Matches(html))
            {
                Assert.True(script.Groups["attrs"].Value.Contains("src=", StringComparison.Ordinal) && script.Groups["body"].Value.Trim().Length == 0,
                    $"Script en ligne sur {path} : {script.Value[..Math.Min(120, script.Value.Length)]}");
            }

            Assert.DoesNotMatch(StyleAttribute(), html);
            Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch(EventHandler(), html);
        }

        Assert.Contains("src=\"data:image/png;base64,", pages[0].Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_issues_an_httponly_samesite_cookie_secure_over_https_and_a_new_one_each_time()
    {
        var (email, _) = await NewPersonAsync();
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        var first = await BoucleApp.PostFormAsync(client, "/connexion", new Dictionary<string, string> { ["Email"] = email, ["Password"] = Password });
        var cookie = first.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("boucle.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        // No persistent cookie: it lives with the browser session (and 30 idle minutes on the server side).
        Assert.DoesNotContain("expires=", cookie, StringComparison.OrdinalIgnoreCase);

        var second = await BoucleApp.PostFormAsync(client, "/connexion", new Dictionary<string, string> { ["Email"] = email, ["Password"] = Password });
        var again = second.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("boucle.auth=", StringComparison.Ordinal));
        Assert.NotEqual(cookie.Split(';')[0], again.Split(';')[0]);
        var antiforgery = (await client.GetAsync("/connexion")).Headers.TryGetValues("Set-Cookie", out var set) ? set.FirstOrDefault(c => c.StartsWith("boucle.af=", StringComparison.Ordinal)) : null;
        if (antiforgery is not null)
        {
            Assert.Contains("samesite=strict", antiforgery, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_for_fifteen_minutes()
    {
        var (email, _) = await NewPersonAsync();
        var client = app.Browser();
        for (var i = 0; i < 5; i++)
        {
            await BoucleApp.PostFormAsync(client, "/connexion", new Dictionary<string, string> { ["Email"] = email, ["Password"] = "pas le bon mot de passe" });
        }

        var locked = await BoucleApp.PostFormAsync(client, "/connexion", new Dictionary<string, string> { ["Email"] = email, ["Password"] = Password });
        Assert.Contains("bloqué pendant 15 minutes", WebUtility.HtmlDecode(await locked.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_person_turns_on_two_factor_then_needs_a_code_or_a_single_use_recovery_code_to_sign_in()
    {
        var (email, _) = await NewPersonAsync();
        var client = await app.SignedInAsync(email, Password);
        Assert.Contains("Désactivée", WebUtility.HtmlDecode(await client.GetStringAsync("/mon-espace/securite")), StringComparison.Ordinal);
        var setup = WebUtility.HtmlDecode(await (await BoucleApp.PostFormAsync(client, "/mon-espace/securite?handler=Setup", new Dictionary<string, string>(), "/mon-espace/securite")).Content.ReadAsStringAsync());
        var key = KeyRegex().Match(setup).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        Assert.Equal(32, key.Length);

        var wrong = WebUtility.HtmlDecode(await (await BoucleApp.PostFormAsync(client, "/mon-espace/securite?handler=Enable",
            new Dictionary<string, string> { ["Code"] = "12345" }, "/mon-espace/securite")).Content.ReadAsStringAsync());
        Assert.Contains("Ce code n'est pas valide", wrong, StringComparison.Ordinal);
        var enabled = WebUtility.HtmlDecode(await (await BoucleApp.PostFormAsync(client, "/mon-espace/securite?handler=Enable",
            new Dictionary<string, string> { ["Code"] = DemoAuthenticator.CodeAt(DateTimeOffset.UtcNow, key) }, "/mon-espace/securite")).Content.ReadAsStringAsync());
        Assert.Contains("La vérification en deux étapes est activée", enabled, StringComparison.Ordinal);
        var recovery = RecoveryRegex().Matches(enabled).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(SecurityModel.RecoveryCodeCount, recovery.Count);

        // The password alone now leads to the second step, not into the account.
        var other = app.Browser();
        var step = await BoucleApp.PostFormAsync(other, "/connexion", new Dictionary<string, string> { ["Email"] = email, ["Password"] = Password });
        Assert.Equal("/connexion/2fa", step.Headers.Location!.OriginalString.Split('?')[0]);
        Assert.Equal(HttpStatusCode.Redirect, (await other.GetAsync("/mon-espace")).StatusCode);
        var bad = await BoucleApp.PostFormAsync(other, "/connexion/2fa", new Dictionary<string, string> { ["Code"] = "000000" });
        Assert.Contains("Ce code n'est pas valide", WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var good = await BoucleApp.PostFormAsync(other, "/connexion/2fa", new Dictionary<string, string> { ["Code"] = recovery[0] });
        Assert.Equal("/mon-espace", good.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/mon-espace")).StatusCode);

        // A recovery code works once; the app's code works.
        var third = app.Browser();
        await BoucleApp.PostFormAsync(third, "/connexion", new Dictionary<string, string> { ["Email"] = email, ["Password"] = Password });
        var reused = await BoucleApp.PostFormAsync(third, "/connexion/2fa", new Dictionary<string, string> { ["Code"] = recovery[0] });
        Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
        var totp = await BoucleApp.PostFormAsync(third, "/connexion/2fa", new Dictionary<string, string> { ["Code"] = DemoAuthenticator.CodeAt(DateTimeOffset.UtcNow, key) });
        Assert.Equal(HttpStatusCode.Redirect, totp.StatusCode);
        Assert.Contains("Codes de secours restants : 9", WebUtility.HtmlDecode(await third.GetStringAsync("/mon-espace/securite")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_facilitator_without_two_factor_is_sent_to_set_it_up_before_the_facilitator_pages()
    {
        var (email, userId) = await NewPersonAsync();
        var territory = await app.ScopedAsync(db => db.Territories.Where(t => t.Slug == DemoSeeder.TerritorySlug).Select(t => t.Id).SingleAsync());
        await app.ScopedAsync(async db =>
        {
            db.TerritoryFacilitators.Add(new TerritoryFacilitator { TerritoryId = territory, UserId = userId, Since = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        var client = await app.SignedInAsync(email, Password);
        foreach (var path in new[] { "/animation/synergies", "/animation/moderation", "/admin/journal" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/mon-espace/securite?obligatoire=true", response.Headers.Location!.OriginalString);
        }

        var page = WebUtility.HtmlDecode(await client.GetStringAsync("/mon-espace/securite?obligatoire=true"));
        Assert.Contains("demandent la vérification en deux étapes", page, StringComparison.Ordinal);

        // The demo facilitator has it (seeded key) and reaches the pages; cannot turn it off.
        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        Assert.Equal(HttpStatusCode.OK, (await facilitator.GetAsync("/animation/synergies")).StatusCode);
        var security = WebUtility.HtmlDecode(await facilitator.GetStringAsync("/mon-espace/securite"));
        Assert.DoesNotContain("Désactiver la vérification", security, StringComparison.Ordinal);
        var disable = await BoucleApp.PostFormAsync(facilitator, "/mon-espace/securite?handler=Disable", new Dictionary<string, string>(), "/mon-espace/securite");
        Assert.Contains("doivent garder la vérification", WebUtility.HtmlDecode(await disable.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.True(await app.ScopedAsync(db => db.Users.Where(u => u.Email == DemoSeeder.FacilitatorEmail).Select(u => u.TwoFactorEnabled).SingleAsync()));
    }

    [Fact]
    public async Task Changing_the_password_signs_out_every_other_session_but_not_this_one()
    {
        var (email, _) = await NewPersonAsync();
        var laptop = await app.SignedInAsync(email, Password);
        var phone = await app.SignedInAsync(email, Password);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/mon-espace")).StatusCode);

        var common = await BoucleApp.PostFormAsync(laptop, "/mon-espace/securite?handler=Password",
            new Dictionary<string, string> { ["CurrentPassword"] = Password, ["NewPassword"] = "1qaz2wsx3edc" }, "/mon-espace/securite");
        Assert.Contains("plus courants", WebUtility.HtmlDecode(await common.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/mon-espace")).StatusCode);

        var changed = await BoucleApp.PostFormAsync(laptop, "/mon-espace/securite?handler=Password",
            new Dictionary<string, string> { ["CurrentPassword"] = Password, ["NewPassword"] = "un tout nouveau mot de passe" }, "/mon-espace/securite");
        Assert.Contains("Vos autres sessions", WebUtility.HtmlDecode(await changed.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/mon-espace")).StatusCode);
        var signedOut = await phone.GetAsync("/mon-espace");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.StartsWith("/connexion", signedOut.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        await app.SignedInAsync(email, "un tout nouveau mot de passe");
    }

    [Fact]
    public async Task Sign_in_messages_uploads_and_token_creation_are_rate_limited()
    {
        var (email, _) = await NewPersonAsync();
        await using var limited = app.WithWebHostBuilder(b =>
        {
            b.UseSetting("Boucle:AccountFormsPerMinute", "3");
            b.UseSetting("Boucle:Security:WritesPerMinute", "3");
        });
        var person = limited.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var signIn = await BoucleApp.PostFormAsync(person, "/connexion", new Dictionary<string, string> { ["Email"] = email, ["Password"] = Password });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        // Three writes a minute per person (each refused here by antiforgery, 400), the fourth is turned away.
        var writes = new List<HttpStatusCode>();
        foreach (var path in new[] { "/messages/nouvelle", "/mon-espace/jetons?handler=Create", "/annonces/nouvelle", "/annonces/1/modifier" })
        {
            writes.Add((await person.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>()))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], writes);

        // Account forms: three posts a minute per address, the sign-in above was the first.
        var visitor = limited.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var forms = new List<HttpStatusCode>();
        foreach (var path in new[] { "/inscription", "/mot-de-passe-oublie", "/connexion/2fa" })
        {
            forms.Add((await visitor.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = "x@exemple.test" }))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], forms);
        var refused = await visitor.PostAsync("/connexion", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Contains("attendez une minute", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// A confirmed account with <see cref="Password"/>, created in the store.
    private Task<(string Email, string UserId)> NewPersonAsync() => app.ScopedAsync(async db =>
    {
        var email = $"s{Guid.NewGuid():N}@exemple.test";
        var user = DemoSeeder.ConfirmedUser(email, "Personne Sécurité", new PasswordHasher<AppUser>().HashPassword(null!, Password), DateTime.UtcNow);
        user.LockoutEnabled = true;
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return (email, user.Id);
    });

    [GeneratedRegex("<script(?<attrs>[^>]*)>(?<body>.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptTag();

    [GeneratedRegex(@"<[a-zA-Z][^>]*\sstyle=")]
    private static partial Regex StyleAttribute();

    [GeneratedRegex(@"<[a-zA-Z][^>]*\son[a-z]+=")]
    private static partial Regex EventHandler();

    [GeneratedRegex("<code id=\"cle\">([a-z2-7 ]+)</code>")]
    private static partial Regex KeyRegex();

    [GeneratedRegex(@"<li><code>([A-Z0-9]{5}-[A-Z0-9]{5})</code></li>")]
    private static partial Regex RecoveryRegex();
}

public sealed class SecurityTestsOnSqlite(SqliteApp app) : SecurityTests<SqliteApp>(app);

public sealed class SecurityTestsOnPostgres(PostgresApp app) : SecurityTests<PostgresApp>(app);
