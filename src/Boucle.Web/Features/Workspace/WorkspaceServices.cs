using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Moderation;
using Boucle.Web.Features.Organisations;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Workspace;

public static class WorkspaceServices
{
    public static IServiceCollection AddWorkspace(this IServiceCollection services)
    {
        services.AddScoped<AuditLog>();
        services.AddScoped<OrganisationImporter>();
        return services;
    }

    public static IEndpointRouteBuilder MapWorkspace(this IEndpointRouteBuilder app)
    {
        // The template is public: it holds no data, only the column names and one example row.
        app.MapGet("/animation/import/modele.csv", () =>
            TypedResults.File(System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(OrganisationImporter.Template)).ToArray(),
                "text/csv; charset=utf-8", "boucle-structures-modele.csv"));
        return app;
    }
}

/// The codes of the workspace's actions in the journal (AuditEntry), with their French words.
public static class WorkspaceAudit
{
    public const string Import = "organisations.import";
    public const string OrganisationEdit = "organisation.edit";
    public const string MeetingAdd = "organisation.meeting";
    public const string NoteAdd = "organisation.note";
    public const string StakesChange = "organisation.stakes";
    public const string FollowUpDone = "followup.done";
    public const string GroupCreate = "group.create";
    public const string GroupChange = "group.change";
    public const string TerritoryCreate = "territory.create";
    public const string FacilitatorAdd = "territory.facilitator-add";
    public const string FacilitatorRemove = "territory.facilitator-remove";
    public const string SharingOn = "territory.sharing-on";
    public const string SharingOff = "territory.sharing-off";
    public const string ListingExpiry = "territory.listing-expiry";

    public static string? Label(string action) => action switch
    {
        Import => "Import de structures",
        OrganisationEdit => "Fiche de structure modifiée pour ses membres",
        MeetingAdd => "Rencontre consignée",
        NoteAdd => "Note privée ajoutée",
        StakesChange => "Enjeux modifiés",
        FollowUpDone => "Suite donnée marquée faite",
        GroupCreate => "Groupe de travail créé",
        GroupChange => "Groupe de travail modifié",
        TerritoryCreate => "Territoire créé",
        FacilitatorAdd => "Animateur ou animatrice ajoutée",
        FacilitatorRemove => "Animateur ou animatrice retirée",
        SharingOn => "Annonces ouvertes aux territoires voisins",
        SharingOff => "Annonces fermées aux territoires voisins",
        ListingExpiry => "Durée de publication des annonces modifiée",
        _ => null,
    };
}

/// Writes the journal that administrators read at /admin/journal; saved with the action it records.
public sealed class AuditLog(AppDbContext db, CurrentActor actor, TimeProvider time)
{
    public async Task AddAsync(int? territoryId, string action, string targetType, long targetId, string label, string? reason, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        Add(db, time, me.UserId!, me.DisplayName ?? me.UserId!, territoryId, action, targetType, targetId, label, reason);
    }

    public static void Add(AppDbContext db, TimeProvider time, string actorUserId, string actorName, int? territoryId, string action, string targetType, long targetId, string label, string? reason) =>
        db.Set<AuditEntry>().Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            ActorUserId = Truncate(actorUserId, 450),
            ActorName = Truncate(actorName, 256),
            TerritoryId = territoryId,
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            TargetLabel = Truncate(label, 300),
            Reason = reason is null ? null : Truncate(reason, 2000),
        });

    private static string Truncate(string text, int max) => text.Length > max ? text[..max] : text;
}

public static class WorkspaceAccess
{
    /// The organisation when the actor facilitates its territory (or administers the instance); null otherwise,
    /// which pages answer as "not found" so that nothing leaks to members or to other territories.
    public static async Task<Organisation?> OrganisationAsync(AppDbContext db, CurrentActor actor, int id, CancellationToken ct, bool tracking = false)
    {
        var me = await actor.GetAsync(ct);
        if (me.UserId is null)
        {
            return null;
        }

        var query = tracking ? db.Organisations : db.Organisations.AsNoTracking();
        var organisation = await query.SingleOrDefaultAsync(o => o.Id == id, ct);
        return organisation is not null && me.Facilitates(organisation.TerritoryId) ? organisation : null;
    }

    /// The territories whose workspace the actor opens: the ones they facilitate, every one for administrators.
    public static async Task<IReadOnlyList<(int Id, string Name)>> TerritoriesAsync(AppDbContext db, CurrentActor actor, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        var rows = await db.Territories.AsNoTracking().OrderByDescending(t => t.IsMain).ThenBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync(ct);
        return [.. rows.Where(t => me.Facilitates(t.Id)).Select(t => (t.Id, t.Name))];
    }

    /// Tags as people type them, folded to one spelling: trimmed, lower case, single spaces.
    public static IReadOnlyList<string> ParseTags(string? text) =>
        [.. (text ?? "").Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => string.Join(' ', t.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            .Where(t => t.Length > 0)
            .Select(t => t.Length > StakeTag.MaxLength ? t[..StakeTag.MaxLength] : t)
            .Distinct(StringComparer.Ordinal)];
}
