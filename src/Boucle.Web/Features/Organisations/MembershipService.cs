using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Email;
using Boucle.Web.Features.Moderation;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Organisations;

/// Changes to who belongs to an organisation: a manager or owner changes roles and removes members;
/// the organisation always keeps an owner; the person concerned is e-mailed and the journal keeps the change.
public sealed class MembershipService(AppDbContext db, CurrentActor actor, Mailer mailer, TimeProvider time)
{
    public async Task<Outcome> ChangeRoleAsync(int organisationId, string? userId, MemberRole? role, string baseUrl, CancellationToken ct)
    {
        if (await RefuseAsync(organisationId, ct) is { } refusal)
        {
            return refusal;
        }

        if (role is not { } newRole || !Enum.IsDefined(newRole))
        {
            return Outcome.Invalid("Role", "Choisissez un rôle : propriétaire, gestionnaire ou membre.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await LockAsync(organisationId, ct);
        var membership = await db.Memberships.SingleOrDefaultAsync(m => m.OrganisationId == organisationId && m.UserId == userId, ct);
        if (membership is null)
        {
            return Outcome.NotFound;
        }

        var previous = membership.Role;
        if (previous == newRole)
        {
            return Outcome.Done("Ce rôle était déjà le sien : rien n'a changé.");
        }

        if (previous == MemberRole.Owner && await OwnersAsync(organisationId, ct) <= 1)
        {
            return Outcome.Invalid("Role", "C'est le seul propriétaire de la structure : nommez d'abord un autre propriétaire.");
        }

        membership.Role = newRole;
        var (person, email, organisation, territoryId) = await DescribeAsync(organisationId, membership.UserId, ct);
        await AuditAsync(territoryId, AuditActions.MemberRole, organisationId, $"{person} ({organisation})",
            $"{OrganisationLabels.Fr(previous)} → {OrganisationLabels.Fr(newRole)}", ct);
        if (email is not null)
        {
            mailer.Queue(email, $"Votre rôle dans {organisation} a changé",
                $"Bonjour,\n\nVous êtes désormais {OrganisationLabels.Fr(newRole)} de {organisation} sur Boucle (auparavant : {OrganisationLabels.Fr(previous)}).\n\n" +
                $"Les membres de la structure : {baseUrl}/structures/{organisationId}/membres");
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return Outcome.Done($"{person} est désormais {OrganisationLabels.Fr(newRole)}.");
    }

    public async Task<Outcome> RemoveAsync(int organisationId, string? userId, CancellationToken ct)
    {
        if (await RefuseAsync(organisationId, ct) is { } refusal)
        {
            return refusal;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await LockAsync(organisationId, ct);
        var membership = await db.Memberships.SingleOrDefaultAsync(m => m.OrganisationId == organisationId && m.UserId == userId, ct);
        if (membership is null)
        {
            return Outcome.NotFound;
        }

        if (membership.Role == MemberRole.Owner && await OwnersAsync(organisationId, ct) <= 1)
        {
            return Outcome.Invalid("Remove", "C'est le seul propriétaire de la structure : nommez d'abord un autre propriétaire.");
        }

        db.Memberships.Remove(membership);
        var user = await db.Users.SingleAsync(u => u.Id == membership.UserId, ct);
        if (user.CurrentOrganisationId == organisationId)
        {
            user.CurrentOrganisationId = null;
        }

        var (person, email, organisation, territoryId) = await DescribeAsync(organisationId, membership.UserId, ct);
        await AuditAsync(territoryId, AuditActions.MemberRemove, organisationId, $"{person} ({organisation})", $"était {OrganisationLabels.Fr(membership.Role)}", ct);
        if (email is not null)
        {
            mailer.Queue(email, $"Vous ne faites plus partie de {organisation}",
                $"Bonjour,\n\nVous avez été retiré(e) des membres de {organisation} sur Boucle : vous ne pouvez plus agir pour cette structure.\n\n" +
                "Si c'est une erreur, adressez-vous à un gestionnaire de la structure.");
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return Outcome.Done($"{person} ne fait plus partie de la structure.");
    }

    /// Only members who manage the organisation act on its members; others do not learn more than "not found".
    private async Task<Outcome?> RefuseAsync(int organisationId, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        return !me.IsMemberOf(organisationId) ? Outcome.NotFound
            : !me.CanManage(organisationId) ? Outcome.Forbidden
            : null;
    }

    // Two managers demoting the two last owners at the same moment must not both succeed: a write on the
    // organisation's row serialises the membership changes of one organisation (a row lock on PostgreSQL,
    // the database write lock on SQLite).
    private Task LockAsync(int organisationId, CancellationToken ct) =>
        db.Database.ExecuteSqlInterpolatedAsync($"""UPDATE "Organisations" SET "Name" = "Name" WHERE "Id" = {organisationId}""", ct);

    private Task<int> OwnersAsync(int organisationId, CancellationToken ct) =>
        db.Memberships.CountAsync(m => m.OrganisationId == organisationId && m.Role == MemberRole.Owner, ct);

    private async Task<(string Person, string? Email, string Organisation, int TerritoryId)> DescribeAsync(int organisationId, string userId, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.DisplayName, u.Email }).SingleAsync(ct);
        var organisation = await db.Organisations.AsNoTracking().Where(o => o.Id == organisationId).Select(o => new { o.Name, o.TerritoryId }).SingleAsync(ct);
        return (user.DisplayName ?? user.Email ?? userId, user.Email, organisation.Name, organisation.TerritoryId);
    }

    private async Task AuditAsync(int territoryId, string action, int organisationId, string label, string reason, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        db.Set<AuditEntry>().Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            ActorUserId = me.UserId!,
            ActorName = Truncate(me.DisplayName ?? me.UserId!, 256),
            TerritoryId = territoryId,
            Action = action,
            TargetType = ReportTargets.Organisation,
            TargetId = organisationId,
            TargetLabel = Truncate(label, 300),
            Reason = reason,
        });
    }

    private static string Truncate(string text, int max) => text.Length > max ? text[..max] : text;
}
