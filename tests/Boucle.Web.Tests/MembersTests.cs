using System.Net;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Moderation;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Tests;

/// The members page: managers and owners change roles and remove members, the organisation keeps an
/// owner, the person concerned is e-mailed and the journal keeps the change. Each test builds its own
/// organisation in the demo territory with an owner, a manager and a plain member.
public abstract class MembersTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    [Fact]
    public async Task A_manager_promotes_then_removes_a_member_who_is_emailed_each_time_and_the_journal_keeps_both()
    {
        var team = await TeamAsync();
        var manager = await app.SignedInAsync(team.ManagerEmail);
        var page = WebUtility.HtmlDecode(await manager.GetStringAsync(team.Url));
        Assert.Contains("Changer le rôle", page, StringComparison.Ordinal);
        Assert.Contains("Paul Membre", page, StringComparison.Ordinal);

        var promoted = await BoucleApp.PostFormAsync(manager, $"{team.Url}?handler=Role",
            new Dictionary<string, string> { ["userId"] = team.MemberId, ["role"] = "Manager" }, team.Url);
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        Assert.Contains("Paul Membre est désormais gestionnaire.", WebUtility.HtmlDecode(await promoted.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(MemberRole.Manager, await RoleAsync(team, team.MemberId));
        var mail = await app.Smtp.WaitForAsync(team.MemberEmail, $"Votre rôle dans {team.Name} a changé");
        Assert.Contains("Vous êtes désormais gestionnaire", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("auparavant : membre", mail.TextBody, StringComparison.Ordinal);

        var removed = await BoucleApp.PostFormAsync(manager, $"{team.Url}?handler=Remove",
            new Dictionary<string, string> { ["userId"] = team.MemberId }, team.Url);
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Contains("Paul Membre ne fait plus partie de la structure.", WebUtility.HtmlDecode(await removed.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Null(await RoleAsync(team, team.MemberId));
        await app.Smtp.WaitForAsync(team.MemberEmail, $"Vous ne faites plus partie de {team.Name}");

        // The journal: who did what to whom, in order.
        var entries = await app.ScopedAsync(db => db.Set<AuditEntry>().Where(a => a.TargetType == "organisation" && a.TargetId == team.OrganisationId)
            .OrderBy(a => a.Id).ToListAsync());
        Assert.Equal([AuditActions.MemberRole, AuditActions.MemberRemove], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal("Marie Gestionnaire", e.ActorName));
        Assert.Equal($"Paul Membre ({team.Name})", entries[0].TargetLabel);
        Assert.Equal("membre → gestionnaire", entries[0].Reason);
        Assert.Equal("était gestionnaire", entries[1].Reason);

        // The person removed no longer sees the organisation's members.
        var former = await app.SignedInAsync(team.MemberEmail);
        Assert.Equal(HttpStatusCode.NotFound, (await former.GetAsync(team.Url)).StatusCode);
    }

    [Fact]
    public async Task The_last_owner_can_be_neither_demoted_nor_removed_until_another_owner_is_named()
    {
        var team = await TeamAsync();
        var manager = await app.SignedInAsync(team.ManagerEmail);
        var demote = await BoucleApp.PostFormAsync(manager, $"{team.Url}?handler=Role",
            new Dictionary<string, string> { ["userId"] = team.OwnerId, ["role"] = "Member" }, team.Url);
        Assert.Equal(HttpStatusCode.OK, demote.StatusCode);
        var html = WebUtility.HtmlDecode(await demote.Content.ReadAsStringAsync());
        Assert.Contains("seul propriétaire de la structure", html, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
        var remove = await BoucleApp.PostFormAsync(manager, $"{team.Url}?handler=Remove",
            new Dictionary<string, string> { ["userId"] = team.OwnerId }, team.Url);
        Assert.Contains("seul propriétaire de la structure", WebUtility.HtmlDecode(await remove.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var owner = await app.SignedInAsync(team.OwnerEmail);
        var selfDemote = await BoucleApp.PostFormAsync(owner, $"{team.Url}?handler=Role",
            new Dictionary<string, string> { ["userId"] = team.OwnerId, ["role"] = "Manager" }, team.Url);
        Assert.Contains("seul propriétaire de la structure", WebUtility.HtmlDecode(await selfDemote.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(MemberRole.Owner, await RoleAsync(team, team.OwnerId));
        Assert.Equal(0, await JournalCountAsync(team));
        Assert.Equal(0, await OutboxCountAsync(team.OwnerEmail));

        // With a second owner, the first may step down: two owners, then one.
        await BoucleApp.PostFormAsync(manager, $"{team.Url}?handler=Role", new Dictionary<string, string> { ["userId"] = team.ManagerId, ["role"] = "Owner" }, team.Url);
        var stepDown = await BoucleApp.PostFormAsync(owner, $"{team.Url}?handler=Role",
            new Dictionary<string, string> { ["userId"] = team.OwnerId, ["role"] = "Member" }, team.Url);
        Assert.Equal(HttpStatusCode.Redirect, stepDown.StatusCode);
        Assert.Equal(MemberRole.Member, await RoleAsync(team, team.OwnerId));
        Assert.Equal(MemberRole.Owner, await RoleAsync(team, team.ManagerId));
        var former = WebUtility.HtmlDecode(await owner.GetStringAsync(team.Url));
        Assert.DoesNotContain("Changer le rôle", former, StringComparison.Ordinal);
        Assert.Equal(2, await JournalCountAsync(team));
    }

    [Fact]
    public async Task A_plain_member_gets_403_another_organisation_404_and_nothing_changes()
    {
        var team = await TeamAsync();
        var member = await app.SignedInAsync(team.MemberEmail);
        var page = WebUtility.HtmlDecode(await member.GetStringAsync(team.Url));
        Assert.Contains("Marie Gestionnaire", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Changer le rôle", page, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Remove", page, StringComparison.Ordinal);
        var memberRole = await BoucleApp.PostFormAsync(member, $"{team.Url}?handler=Role",
            new Dictionary<string, string> { ["userId"] = team.MemberId, ["role"] = "Owner" }, team.Url);
        Assert.Equal(HttpStatusCode.Forbidden, Refusal(memberRole));
        var memberRemove = await BoucleApp.PostFormAsync(member, $"{team.Url}?handler=Remove",
            new Dictionary<string, string> { ["userId"] = team.ManagerId }, team.Url);
        Assert.Equal(HttpStatusCode.Forbidden, Refusal(memberRemove));

        // The owner of another organisation of the same territory learns nothing, not even that the page exists.
        var outsider = await app.SignedInAsync("menuiserie-dupuy@demo.example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync(team.Url)).StatusCode);
        var outsiderRole = await BoucleApp.PostFormAsync(outsider, $"{team.Url}?handler=Role",
            new Dictionary<string, string> { ["userId"] = team.MemberId, ["role"] = "Owner" }, "/mon-espace");
        Assert.Equal(HttpStatusCode.NotFound, outsiderRole.StatusCode);
        var outsiderRemove = await BoucleApp.PostFormAsync(outsider, $"{team.Url}?handler=Remove",
            new Dictionary<string, string> { ["userId"] = team.OwnerId }, "/mon-espace");
        Assert.Equal(HttpStatusCode.NotFound, outsiderRemove.StatusCode);

        // A form without its antiforgery token is refused, even from the manager.
        var manager = await app.SignedInAsync(team.ManagerEmail);
        var forged = await manager.PostAsync($"{team.Url}?handler=Remove", new FormUrlEncodedContent(new Dictionary<string, string> { ["userId"] = team.MemberId }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        // A manager naming someone who is not a member, or no valid role, changes nothing either.
        var stranger = await app.ScopedAsync(db => db.Users.Where(u => u.Email == "menuiserie-dupuy@demo.example.org").Select(u => u.Id).SingleAsync());
        var notMember = await BoucleApp.PostFormAsync(manager, $"{team.Url}?handler=Remove", new Dictionary<string, string> { ["userId"] = stranger }, team.Url);
        Assert.Equal(HttpStatusCode.NotFound, notMember.StatusCode);
        var badRole = await BoucleApp.PostFormAsync(manager, $"{team.Url}?handler=Role",
            new Dictionary<string, string> { ["userId"] = team.MemberId, ["role"] = "Administrator" }, team.Url);
        Assert.Equal(HttpStatusCode.OK, badRole.StatusCode);
        Assert.Contains("Choisissez un rôle", WebUtility.HtmlDecode(await badRole.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        Assert.Equal(MemberRole.Owner, await RoleAsync(team, team.OwnerId));
        Assert.Equal(MemberRole.Manager, await RoleAsync(team, team.ManagerId));
        Assert.Equal(MemberRole.Member, await RoleAsync(team, team.MemberId));
        Assert.Equal(MemberRole.Owner, await app.ScopedAsync(db => db.Memberships.Where(m => m.UserId == stranger).Select(m => m.Role).FirstAsync()));
        Assert.Equal(0, await JournalCountAsync(team));
        Assert.Equal(0, await OutboxCountAsync(team.MemberEmail));
    }

    // A refused page action is a 403 or, for a cookie-signed-in person, the redirect to the access-denied page.
    private static HttpStatusCode Refusal(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/acces-refuse", StringComparison.Ordinal)
            ? HttpStatusCode.Forbidden
            : response.StatusCode;

    private sealed record Team(int OrganisationId, string Name, string OwnerId, string OwnerEmail, string ManagerId, string ManagerEmail, string MemberId, string MemberEmail)
    {
        public string Url => $"/structures/{OrganisationId}/membres";
    }

    private Task<Team> TeamAsync() =>
        app.ScopedAsync(async db =>
        {
            var suffix = Guid.NewGuid().ToString("N")[..8];
            var now = DateTime.UtcNow;
            var territoryId = await db.Territories.Where(t => t.Slug == DemoSeeder.TerritorySlug).Select(t => t.Id).SingleAsync();
            var hash = new PasswordHasher<AppUser>().HashPassword(null!, DemoSeeder.DemoPassword);
            AppUser NewUser(string role, string name)
            {
                var user = DemoSeeder.ConfirmedUser($"{role}-{suffix}@equipe.example.org", name, hash, now);
                db.Users.Add(user);
                return user;
            }

            var owner = NewUser("owner", "Jeanne Propriétaire");
            var manager = NewUser("manager", "Marie Gestionnaire");
            var member = NewUser("member", "Paul Membre");
            var organisation = new Organisation { TerritoryId = territoryId, Name = $"Recyclerie {suffix}", Latitude = 44.85, Longitude = 0.48, CreatedAt = now };
            db.Organisations.Add(organisation);
            await db.SaveChangesAsync();
            db.Memberships.AddRange(
                new Membership { OrganisationId = organisation.Id, UserId = owner.Id, Role = MemberRole.Owner, Since = now },
                new Membership { OrganisationId = organisation.Id, UserId = manager.Id, Role = MemberRole.Manager, Since = now },
                new Membership { OrganisationId = organisation.Id, UserId = member.Id, Role = MemberRole.Member, Since = now });
            await db.SaveChangesAsync();
            return new Team(organisation.Id, organisation.Name, owner.Id, owner.Email!, manager.Id, manager.Email!, member.Id, member.Email!);
        });

    private Task<MemberRole?> RoleAsync(Team team, string userId) =>
        app.ScopedAsync(db => db.Memberships.Where(m => m.OrganisationId == team.OrganisationId && m.UserId == userId).Select(m => (MemberRole?)m.Role).SingleOrDefaultAsync());

    private Task<int> JournalCountAsync(Team team) =>
        app.ScopedAsync(db => db.Set<AuditEntry>().CountAsync(a => a.TargetType == "organisation" && a.TargetId == team.OrganisationId));

    private Task<int> OutboxCountAsync(string to) => app.ScopedAsync(db => db.Outbox.CountAsync(m => m.To == to));
}

public sealed class MembersTestsOnSqlite(SqliteApp app) : MembersTests<SqliteApp>(app);

public sealed class MembersTestsOnPostgres(PostgresApp app) : MembersTests<PostgresApp>(app);
