using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Alerts;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Messaging;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Territories;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Boucle.Web.Tests;

public enum Role
{
    Visitor,
    OtherOrganisation,
    Member,
    Manager,
    Owner,
    OtherFacilitator,
    Facilitator,
    Administrator,
}

/// Every page and endpoint of the running application (read from its EndpointDataSource, so routes
/// added later are covered without editing this file), requested by every role: GET, then POST
/// without and with an antiforgery token. Never a 500; protected areas refuse the roles of the table.
public abstract partial class AccessMatrixTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    private static readonly Role[] Everyone = Enum.GetValues<Role>();
    private static readonly Role[] Organisation = [Role.Member, Role.Manager, Role.Owner];
    private static readonly Role[] Facilitators = [Role.Facilitator, Role.Administrator];

    /// Who is refused, by route template: the longest matching prefix wins ("{id}" stands for the
    /// parameter). A role in no rule may be refused or not; it only must not get a 500.
    private static readonly (string Prefix, Role[] Refused)[] Rules =
    [
        ("/mon-espace", [Role.Visitor]),
        ("/messages", [Role.Visitor]),
        ("/messages/{id}", [Role.Visitor, Role.OtherOrganisation, Role.OtherFacilitator, Role.Facilitator]),
        ("/favoris", [Role.Visitor]),
        ("/alertes", [Role.Visitor]),
        ("/alertes/{id}", [.. Everyone.Except([Role.Member])]),
        ("/alertes/desabonnement", []),
        ("/annonces/nouvelle", [Role.Visitor]),
        ("/annonces/{id}/modifier", [Role.Visitor, Role.OtherOrganisation, Role.OtherFacilitator]),
        ("/structures/nouvelle", [Role.Visitor]),
        ("/structures/{id}/membres", [Role.Visitor, Role.OtherOrganisation, Role.OtherFacilitator]),
        ("/moderation", [Role.Visitor]),
        ("/animation", [Role.Visitor, Role.OtherOrganisation, .. Organisation]),
        ("/animation/import/modele.csv", []), // the import template holds no data: column names and one example row
        ("/animation/structures/{id}", [Role.Visitor, Role.OtherOrganisation, Role.OtherFacilitator, .. Organisation]),
        ("/admin", [.. Everyone.Except([Role.Administrator])]),
    ];

    /// API writes need a token: a browser session, whoever it is, does not count.
    private static bool IsApiWrite(string template, string method) => template.StartsWith("/api/v1", StringComparison.Ordinal) && method != "GET";

    /// Posting these with a valid token would change the session itself (sign out): GET only.
    private static readonly string[] NoPostWithToken = ["/deconnexion"];

    /// Pages meant to be posted without a form token (one-click unsubscribe from a mail client).
    private static readonly string[] NoAntiforgery = ["/alertes/desabonnement/{token}"];

    private static readonly ConcurrentDictionary<BoucleApp, Task<World>> Worlds = new();

    [Theory]
    [InlineData(Role.Visitor)]
    [InlineData(Role.OtherOrganisation)]
    [InlineData(Role.Member)]
    [InlineData(Role.Manager)]
    [InlineData(Role.Owner)]
    [InlineData(Role.OtherFacilitator)]
    [InlineData(Role.Facilitator)]
    [InlineData(Role.Administrator)]
    public async Task Every_endpoint_answers_this_role_without_error_and_protected_ones_refuse_it(Role role)
    {
        var world = await Worlds.GetOrAdd(app, _ => BuildWorldAsync());
        var client = role == Role.Visitor ? app.Browser() : await app.SignedInAsync(world.Emails[role], world.Passwords[role]);
        var token = await BoucleApp.AntiforgeryTokenAsync(client, "/");
        var problems = new List<string>();
        var endpoints = Endpoints();
        Assert.True(endpoints.Count > 30, $"only {endpoints.Count} endpoints found");
        Assert.Contains(endpoints, e => e.Template == "/animation/moderation");

        foreach (var (template, methods, isPage) in endpoints)
        {
            var url = Fill(template, world);
            var refused = IsRefused(template, role);
            foreach (var method in methods)
            {
                try
                {
                    await RequestAsync(method, template, url, isPage, refused);
                }
                catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
                {
                    // The test server rethrows what the application did not handle: a 500 for a browser.
                    problems.Add($"{role} {method} {url}: exception {ex.GetType().Name}: {ex.Message}");
                }
            }
        }

        Assert.True(problems.Count == 0, $"{problems.Count} problem(s) for {role}:\n" + string.Join("\n", problems));

        async Task RequestAsync(string method, string template, string url, bool isPage, bool refused)
        {
            if (method == "GET")
            {
                Check(problems, role, "GET", url, template, refused, await client.GetAsync(url));
                return;
            }

            if (IsApiWrite(template, method))
            {
                var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent("{}", Encoding.UTF8, "application/json") });
                if (response.StatusCode != HttpStatusCode.Unauthorized)
                {
                    problems.Add($"{role} {method} {url}: {(int)response.StatusCode}, expected 401 (a session is not an API token)");
                }

                return;
            }

            // Without the form token: refused (400), or refused earlier for lack of rights.
            var bare = await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>()));
            Check(problems, role, "POST (sans jeton)", url, template, refused || !NoAntiforgery.Contains(template), bare, antiforgeryExpected: true);

            if (!NoPostWithToken.Contains(template))
            {
                var withToken = await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
                Check(problems, role, "POST", url, template, refused, withToken);
            }
        }
    }

    private static void Check(List<string> problems, Role role, string method, string url, string template, bool mustRefuse, HttpResponseMessage response, bool antiforgeryExpected = false)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            problems.Add($"{role} {method} {url}: {status}");
            return;
        }

        if (!mustRefuse)
        {
            return;
        }

        var location = response.Headers.Location is { } l ? (l.IsAbsoluteUri ? l.PathAndQuery : l.OriginalString) : "";
        var refusedRedirect = status is 302 or 303 && (location.Contains("/connexion", StringComparison.Ordinal)
            || location.StartsWith("/acces-refuse", StringComparison.Ordinal) || location.StartsWith("/mon-espace/securite", StringComparison.Ordinal));
        var refusedStatus = status is 401 or 403 or 404 or 405 || (antiforgeryExpected && status == 400);
        if (!refusedRedirect && !refusedStatus)
        {
            problems.Add($"{role} {method} {url} ({template}): {status} {location}, expected a refusal");
        }
    }

    private static bool IsRefused(string template, Role role)
    {
        var rule = Rules.Where(r => template == r.Prefix || template.StartsWith(r.Prefix + "/", StringComparison.Ordinal))
            .OrderByDescending(r => r.Prefix.Length).FirstOrDefault();
        return rule.Refused?.Contains(role) == true;
    }

    /// Pages and endpoints of the application, without static files and the error page.
    private List<(string Template, string[] Methods, bool IsPage)> Endpoints()
    {
        var source = app.Services.GetRequiredService<EndpointDataSource>();
        var result = new List<(string, string[], bool)>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var raw = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var template = ConstraintRegex().Replace(raw, "}");
            if (StaticFile().IsMatch(template) || template is "/Error" || template.StartsWith("/_", StringComparison.Ordinal))
            {
                continue;
            }

            var isPage = endpoint.Metadata.GetMetadata<ActionDescriptor>() is not null;
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.ToArray() ?? (isPage ? ["GET", "POST"] : ["GET"]);
            result.Add((template, methods, isPage));
        }

        return [.. result.DistinctBy(r => r.Item1 + string.Join(',', r.Item2))];
    }

    /// A real id of a resource of the member's organisation for each parameter, by the route's first segment.
    private static string Fill(string template, World world) => ParameterRegex().Replace(template, m =>
    {
        var name = m.Groups[1].Value;
        var segments = template.Trim('/').Split('/');
        var area = segments[0] is "api" && segments.Length > 2 ? segments[2] : segments[0] is "animation" && segments.Length > 1 ? segments[1] : segments[0];
        return name switch
        {
            "documentName" => "v1",
            "token" => "jeton-inconnu",
            "name" => "00000000000000000000000000000000.jpg",
            _ => area switch
            {
                "annonces" or "listings" => Id(world.ListingId),
                "messages" => Id(world.ConversationId),
                "alertes" => Id(world.SavedSearchId),
                "moderation" => "999999",
                _ => Id(world.OrganisationId),
            },
        };
    });

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed record World(int OrganisationId, int ListingId, int ConversationId, int SavedSearchId, Dictionary<Role, string> Emails, Dictionary<Role, string> Passwords);

    /// The organisation of a demo owner with a manager and a member added, a conversation with a
    /// third organisation, a saved search of the member, and a facilitator of another territory.
    private Task<World> BuildWorldAsync() => app.ScopedAsync(async db =>
    {
        var now = DateTime.UtcNow;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        const string password = "matrice des droits d'accès";
        var hash = new PasswordHasher<AppUser>().HashPassword(null!, password);
        var organisations = await db.Organisations.Where(o => o.ExternalKey != null && db.Listings.Any(l => l.OrganisationId == o.Id && l.Status == ListingStatus.Published))
            .OrderBy(o => o.ExternalKey).Select(o => new { o.Id, o.ExternalKey }).Take(3).ToListAsync();
        var (a, b, c) = (organisations[0], organisations[1], organisations[2]);
        var listing = await db.Listings.Where(l => l.OrganisationId == a.Id && l.Status == ListingStatus.Published).OrderBy(l => l.Id).FirstAsync();

        AppUser NewUser(string name)
        {
            var user = DemoSeeder.ConfirmedUser($"matrice-{name}-{suffix}@exemple.test", name, hash, now);
            db.Users.Add(user);
            return user;
        }

        var manager = NewUser("gestionnaire");
        var member = NewUser("membre");
        var otherFacilitator = NewUser("animation-ailleurs");
        DemoSeeder.UseDemoAuthenticator(db, otherFacilitator);
        var territory = new Territory { Slug = $"ailleurs-{suffix}", Name = $"Ailleurs {suffix}", CenterLatitude = 45.0, CenterLongitude = 1.0, CreatedAt = now };
        db.Territories.Add(territory);
        await db.SaveChangesAsync();
        db.TerritoryFacilitators.Add(new TerritoryFacilitator { TerritoryId = territory.Id, UserId = otherFacilitator.Id, Since = now });
        db.Memberships.Add(new Membership { OrganisationId = a.Id, UserId = manager.Id, Role = MemberRole.Manager, Since = now });
        db.Memberships.Add(new Membership { OrganisationId = a.Id, UserId = member.Id, Role = MemberRole.Member, Since = now });

        var askerId = await db.Memberships.Where(m => m.OrganisationId == c.Id && m.Role == MemberRole.Owner).Select(m => m.UserId).FirstAsync();
        var conversation = new Conversation
        {
            ListingId = listing.Id,
            OwnerOrganisationId = a.Id,
            AskerOrganisationId = c.Id,
            StartedByUserId = askerId,
            CreatedAt = now,
            LastMessageAt = now,
            Messages = [new Message { SenderOrganisationId = c.Id, SenderUserId = askerId, Body = "Question pour la matrice des droits.", CreatedAt = now }],
        };
        db.Add(conversation);
        var search = new SavedSearch { UserId = member.Id, Name = "Recherche de la matrice", FeedToken = Guid.NewGuid().ToString("N"), CreatedAt = now, LastCheckedAt = now };
        db.Add(search);
        await db.SaveChangesAsync();

        var demo = (string key) => $"{key}@demo.example.org";
        var emails = new Dictionary<Role, string>
        {
            [Role.OtherOrganisation] = demo(b.ExternalKey!),
            [Role.Member] = member.Email!,
            [Role.Manager] = manager.Email!,
            [Role.Owner] = demo(a.ExternalKey!),
            [Role.OtherFacilitator] = otherFacilitator.Email!,
            [Role.Facilitator] = DemoSeeder.FacilitatorEmail,
            [Role.Administrator] = DemoSeeder.AdministratorEmail,
        };
        var passwords = emails.ToDictionary(e => e.Key, e => e.Value.EndsWith("@exemple.test", StringComparison.Ordinal) ? password : DemoSeeder.DemoPassword);
        return new World(a.Id, listing.Id, conversation.Id, search.Id, emails, passwords);
    });

    [GeneratedRegex(@":[^}]+}")]
    private static partial Regex ConstraintRegex();

    [GeneratedRegex(@"\{([A-Za-z]+)\??\}")]
    private static partial Regex ParameterRegex();

    [GeneratedRegex(@"\.(css|js|mjs|png|jpe?g|gif|svg|webp|ico|map|woff2?|ttf|gz|br|txt|webmanifest)$|^/(lib|css|js|img|images)/")]
    private static partial Regex StaticFile();
}

public sealed class AccessMatrixTestsOnSqlite(SqliteApp app) : AccessMatrixTests<SqliteApp>(app);

public sealed class AccessMatrixTestsOnPostgres(PostgresApp app) : AccessMatrixTests<PostgresApp>(app);
