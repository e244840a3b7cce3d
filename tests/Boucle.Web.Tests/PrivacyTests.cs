using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Email;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Messaging;
using Boucle.Web.Features.Moderation;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Privacy;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Boucle.Web.Tests;

/// A person's data: download, account deletion (messages kept as "Ancien membre"), hand-over or
/// closing of the organisations they alone own, retention purge and the privacy page.
public abstract class PrivacyTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    private const string Password = "mes données mes choix";

    [Fact]
    public async Task A_person_downloads_their_data_then_hands_over_their_organisation_and_deletes_the_account()
    {
        var (email, userId, organisationId, colleagueId) = await PersonWithOrganisationAsync(withColleague: true);
        var (listingId, listingOwnerKey) = await app.ScopedAsync(async db => await db.Listings.Where(l => l.Status == ListingStatus.Published && l.Organisation!.ExternalKey != null)
            .OrderByDescending(l => l.Id).Select(l => new { l.Id, l.Organisation!.ExternalKey }).FirstAsync() is var l ? (l.Id, l.ExternalKey!) : default);
        var client = await app.SignedInAsync(email, Password);
        var started = await BoucleApp.PostFormAsync(client, "/messages/nouvelle",
            new Dictionary<string, string> { ["annonce"] = listingId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Body"] = "Avez-vous encore des palettes à donner ?" }, $"/annonces/{listingId}");
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var conversationId = await app.ScopedAsync(db => db.Set<Conversation>().Where(c => c.ListingId == listingId && c.AskerOrganisationId == organisationId).Select(c => c.Id).SingleAsync());

        // JSON: the account, the organisation and the message written.
        var json = await client.GetAsync("/mon-espace/donnees?handler=Json");
        Assert.Equal("application/json", json.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("attachment", json.Content.Headers.ContentDisposition!.DispositionType, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(await json.Content.ReadAsStringAsync());
        Assert.Equal(email, document.RootElement.GetProperty("compte")[0].GetProperty("adresse_email").GetString());
        Assert.Equal("Owner", document.RootElement.GetProperty("structures")[0].GetProperty("role").GetString());
        Assert.Equal("Avez-vous encore des palettes à donner ?", document.RootElement.GetProperty("messages")[0].GetProperty("texte").GetString());

        // CSV: one file per table in a zip, the message text quoted as written.
        var zipBytes = await client.GetByteArrayAsync("/mon-espace/donnees?handler=Csv");
        using var zip = new ZipArchive(new MemoryStream(zipBytes));
        Assert.Contains("messages.csv", zip.Entries.Select(e => e.Name));
        using var reader = new StreamReader(zip.GetEntry("messages.csv")!.Open());
        var csv = await reader.ReadToEndAsync();
        Assert.StartsWith("message_id,conversation_id,annonce,ecrit_le,texte", csv, StringComparison.Ordinal);
        Assert.Contains("Avez-vous encore des palettes à donner ?", csv, StringComparison.Ordinal);

        // The sole owner cannot leave yet: the page says why and offers the hand-over.
        var page = WebUtility.HtmlDecode(await client.GetStringAsync("/mon-espace/donnees"));
        Assert.Contains("seul propriétaire", page, StringComparison.Ordinal);
        Assert.Contains("Transmettre la structure", page, StringComparison.Ordinal);
        var refused = await BoucleApp.PostFormAsync(client, "/mon-espace/donnees?handler=Delete",
            new Dictionary<string, string> { ["Password"] = Password, ["Confirmation"] = "SUPPRIMER" }, "/mon-espace/donnees");
        Assert.Contains("Transmettez ou fermez d'abord", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.NotNull(await app.ScopedAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleAsync()));

        var handed = await BoucleApp.PostFormAsync(client, "/mon-espace/donnees?handler=HandOver",
            new Dictionary<string, string> { ["organisationId"] = organisationId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["newOwnerId"] = colleagueId! }, "/mon-espace/donnees");
        Assert.Contains("nouveau propriétaire", WebUtility.HtmlDecode(await handed.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(MemberRole.Owner, await app.ScopedAsync(db => db.Memberships.Where(m => m.UserId == colleagueId && m.OrganisationId == organisationId).Select(m => m.Role).SingleAsync()));

        // Deletion asks for the password and the word SUPPRIMER, next to the fields.
        var wrong = WebUtility.HtmlDecode(await (await BoucleApp.PostFormAsync(client, "/mon-espace/donnees?handler=Delete",
            new Dictionary<string, string> { ["Password"] = "pas le bon", ["Confirmation"] = "oui" }, "/mon-espace/donnees")).Content.ReadAsStringAsync());
        Assert.Contains("Mot de passe incorrect.", wrong, StringComparison.Ordinal);
        Assert.Contains("Écrivez SUPPRIMER", wrong, StringComparison.Ordinal);
        var deleted = await BoucleApp.PostFormAsync(client, "/mon-espace/donnees?handler=Delete",
            new Dictionary<string, string> { ["Password"] = Password, ["Confirmation"] = "SUPPRIMER" }, "/mon-espace/donnees");
        Assert.Equal("/confidentialite?supprime=true", deleted.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/mon-espace")).StatusCode);

        // Nothing personal is left; the message stays, signed "Ancien membre" for the other side.
        var row = await app.ScopedAsync(db => db.Users.Where(u => u.Id == userId).Select(u => new { u.Email, u.DisplayName, u.PasswordHash }).SingleAsync());
        Assert.Null(row.Email);
        Assert.Null(row.PasswordHash);
        Assert.Equal(PersonalData.FormerMember, row.DisplayName);
        Assert.Equal(0, await app.ScopedAsync(db => db.Memberships.CountAsync(m => m.UserId == userId)));
        var owner = await app.SignedInAsync($"{listingOwnerKey}@demo.example.org");
        var thread = WebUtility.HtmlDecode(await owner.GetStringAsync($"/messages/{conversationId}"));
        Assert.Contains("Avez-vous encore des palettes à donner ?", thread, StringComparison.Ordinal);
        Assert.Contains(PersonalData.FormerMember, thread, StringComparison.Ordinal);
        Assert.DoesNotContain(email, thread, StringComparison.Ordinal);
        var again = await BoucleApp.PostFormAsync(app.Browser(), "/connexion", new Dictionary<string, string> { ["Email"] = email, ["Password"] = Password });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task An_organisation_with_no_other_member_is_closed_its_listings_withdrawn_before_deletion()
    {
        var (email, userId, organisationId, _) = await PersonWithOrganisationAsync(withColleague: false);
        var listingId = await app.ScopedAsync(async db =>
        {
            var territory = await db.Organisations.Where(o => o.Id == organisationId).Select(o => o.TerritoryId).SingleAsync();
            var listing = new Listing { TerritoryId = territory, OrganisationId = organisationId, Title = "Palettes à fermer", Status = ListingStatus.Published, Latitude = 44.85, Longitude = 0.48, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow };
            db.Listings.Add(listing);
            await db.SaveChangesAsync();
            return listing.Id;
        });
        var client = await app.SignedInAsync(email, Password);
        Assert.Contains("Personne d'autre n'est membre", WebUtility.HtmlDecode(await client.GetStringAsync("/mon-espace/donnees")), StringComparison.Ordinal);
        var closed = await BoucleApp.PostFormAsync(client, "/mon-espace/donnees?handler=Close",
            new Dictionary<string, string> { ["organisationId"] = organisationId.ToString(System.Globalization.CultureInfo.InvariantCulture) }, "/mon-espace/donnees");
        Assert.Contains("La structure est fermée", WebUtility.HtmlDecode(await closed.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(ListingStatus.Withdrawn, await app.ScopedAsync(db => db.Listings.Where(l => l.Id == listingId).Select(l => l.Status).SingleAsync()));
        Assert.True(await app.ScopedAsync(db => db.Organisations.Where(o => o.Id == organisationId).Select(o => o.Suspended).SingleAsync()));

        var deleted = await BoucleApp.PostFormAsync(client, "/mon-espace/donnees?handler=Delete",
            new Dictionary<string, string> { ["Password"] = Password, ["Confirmation"] = "SUPPRIMER" }, "/mon-espace/donnees");
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Null(await app.ScopedAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleAsync()));
    }

    [Fact]
    public async Task The_retention_job_purges_what_is_past_its_period_and_keeps_the_rest()
    {
        // Defaults: journal 365 days, messages 730, sent e-mails 30, expired listings 365 after their end.
        var now = DateTime.UtcNow;
        var marker = Guid.NewGuid().ToString("N");
        var ids = await app.ScopedAsync(async db =>
        {
            var (actor, org) = await db.Memberships.Where(m => m.Organisation!.ExternalKey != null).OrderBy(m => m.OrganisationId).Select(m => new { m.UserId, m.OrganisationId, m.Organisation!.TerritoryId }).FirstAsync() is var m ? ((m.UserId, m.TerritoryId), m.OrganisationId) : default;
            AuditEntry Audit(int days) => new() { At = now.AddDays(-days), ActorUserId = actor.UserId, ActorName = "Test", Action = "test", TargetType = "listing", TargetLabel = marker };
            db.AddRange(Audit(366), Audit(300));
            OutboxMessage Mail(int days, bool sent) => new() { To = $"{marker}@exemple.test", Subject = "s", TextBody = "t", CreatedAt = now.AddDays(-days), NextAttemptAt = now.AddDays(sent ? 0 : 1), SentAt = sent ? now.AddDays(-days) : null };
            db.Outbox.AddRange(Mail(31, true), Mail(29, true), Mail(40, false));
            Listing Expired(int days) => new() { TerritoryId = actor.TerritoryId, OrganisationId = org, Title = marker, Status = ListingStatus.Expired, ExpiresAt = now.AddDays(-days), Latitude = 44.85, Longitude = 0.48, CreatedAt = now.AddDays(-days - 60), UpdatedAt = now };
            db.Listings.AddRange(Expired(400), Expired(100));
            await db.SaveChangesAsync();
            var listing = await db.Listings.Where(l => l.Title == marker).OrderBy(l => l.ExpiresAt).FirstAsync();
            var other = await db.Organisations.Where(o => o.Id != org && o.ExternalKey != null).Select(o => o.Id).FirstAsync();
            var asker = await db.Memberships.Where(x => x.OrganisationId == other).Select(x => x.UserId).FirstAsync();
            var recent = await db.Listings.Where(l => l.OrganisationId == org && l.Status == ListingStatus.Published).Select(l => l.Id).FirstAsync();
            var conversation = new Conversation
            {
                ListingId = recent,
                OwnerOrganisationId = org,
                AskerOrganisationId = other,
                StartedByUserId = asker,
                CreatedAt = now.AddDays(-800),
                LastMessageAt = now.AddDays(-800),
                Messages = [new Message { SenderOrganisationId = other, SenderUserId = asker, Body = marker + " ancien", CreatedAt = now.AddDays(-800) }, new Message { SenderOrganisationId = other, SenderUserId = asker, Body = marker + " récent", CreatedAt = now.AddDays(-10) }],
            };
            db.Add(conversation);
            await db.SaveChangesAsync();
            return conversation.Id;
        });

        // The job also purges once when the application starts; when this test is the first of its class, that run can
        // overlap the inserts above and take part of the work, so the counts of this call are not asserted: what is
        // left afterwards is (a CI run on PostgreSQL saw this call purge no listing, the start-up run having done it).
        await app.Services.GetRequiredService<RetentionJob>().PurgeAsync(CancellationToken.None);

        Assert.Equal([300], await app.ScopedAsync(db => db.Set<AuditEntry>().Where(a => a.TargetLabel == marker).Select(a => a.At).ToListAsync()) is var at ? at.Select(a => (int)Math.Round((now - a).TotalDays)).ToList() : []);
        var mails = await app.ScopedAsync(db => db.Outbox.Where(o => o.To == $"{marker}@exemple.test").Select(o => o.SentAt == null ? "en attente" : "envoyé récent").ToListAsync());
        Assert.Equal(["en attente", "envoyé récent"], mails.Order().ToList());
        Assert.Equal([marker + " récent"], await app.ScopedAsync(db => db.Set<Message>().Where(m => m.ConversationId == ids).Select(m => m.Body).ToListAsync()));
        var expiredLeft = await app.ScopedAsync(db => db.Listings.Where(l => l.Title == marker).Select(l => l.ExpiresAt).ToListAsync());
        Assert.Single(expiredLeft);
        Assert.True(expiredLeft[0] > now.AddDays(-101));
    }

    [Fact]
    public async Task The_privacy_page_lists_the_cookies_and_retention_and_no_page_loads_a_third_party_script()
    {
        var page = WebUtility.HtmlDecode(await app.Browser().GetStringAsync("/confidentialite"));
        foreach (var cookie in new[] { "boucle.auth", "boucle.af", "Identity.TwoFactorUserId", ".AspNetCore.Culture" })
        {
            Assert.Contains(cookie, page, StringComparison.Ordinal);
        }

        Assert.Contains("Messages entre structures : 2 ans", page, StringComparison.Ordinal);
        Assert.Contains("Copies des e-mails envoyés : 30 jours", page, StringComparison.Ordinal);

        // The only cookies a visitor gets are those listed: no consent banner is needed.
        var visitor = app.Browser();
        var home = await visitor.GetAsync("/");
        var cookies = home.Headers.TryGetValues("Set-Cookie", out var set) ? set.Select(c => c.Split('=')[0]).ToList() : [];
        Assert.All(cookies, c => Assert.Contains(c, new[] { "boucle.af", "boucle.auth", ".AspNetCore.Culture", "Identity.TwoFactorUserId" }));
        var html = await home.Content.ReadAsStringAsync();
        Assert.DoesNotMatch("<script[^>]+src=\"(https?:)?//", html);
        Assert.Contains("href=\"/confidentialite\"", html, StringComparison.Ordinal);
    }

    private Task<(string Email, string UserId, int OrganisationId, string? ColleagueId)> PersonWithOrganisationAsync(bool withColleague) => app.ScopedAsync(async db =>
    {
        var now = DateTime.UtcNow;
        var hash = new PasswordHasher<AppUser>().HashPassword(null!, Password);
        var email = $"v{Guid.NewGuid():N}@exemple.test";
        var user = DemoSeeder.ConfirmedUser(email, "Valérie Départ", hash, now);
        db.Users.Add(user);
        AppUser? colleague = null;
        if (withColleague)
        {
            colleague = DemoSeeder.ConfirmedUser($"c{Guid.NewGuid():N}@exemple.test", "Claire Relève", hash, now);
            db.Users.Add(colleague);
        }

        var territory = await db.Territories.Where(t => t.Slug == DemoSeeder.TerritorySlug).Select(t => t.Id).SingleAsync();
        var organisation = new Organisation { TerritoryId = territory, Name = $"Atelier {Guid.NewGuid():N}"[..20], Latitude = 44.85, Longitude = 0.48, CreatedAt = now };
        db.Organisations.Add(organisation);
        await db.SaveChangesAsync();
        db.Memberships.Add(new Membership { OrganisationId = organisation.Id, UserId = user.Id, Role = MemberRole.Owner, Since = now });
        if (colleague is not null)
        {
            db.Memberships.Add(new Membership { OrganisationId = organisation.Id, UserId = colleague.Id, Role = MemberRole.Member, Since = now });
        }

        await db.SaveChangesAsync();
        return (email, user.Id, organisation.Id, colleague?.Id);
    });
}

public sealed class PrivacyTestsOnSqlite(SqliteApp app) : PrivacyTests<SqliteApp>(app);

public sealed class PrivacyTestsOnPostgres(PostgresApp app) : PrivacyTests<PostgresApp>(app);
