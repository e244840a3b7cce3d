using System.Text;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Email;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Messaging;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Synergies;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Moderation;

public static class ModerationServices
{
    public static IServiceCollection AddModeration(this IServiceCollection services)
    {
        services.AddScoped<ModerationGate>();
        services.AddScoped<ModerationService>();
        return services;
    }
}

public enum OutcomeKind
{
    Done,
    Invalid,
    NotFound,
    Forbidden,
}

/// What an action gave: done (with a message), a French error for one field, or a refusal.
public sealed record Outcome(OutcomeKind Kind, string Message, string? Field = null)
{
    public static Outcome Done(string message) => new(OutcomeKind.Done, message);

    public static Outcome Invalid(string field, string message) => new(OutcomeKind.Invalid, message, field);

    public static Outcome NotFound { get; } = new(OutcomeKind.NotFound, "Introuvable.");

    public static Outcome Forbidden { get; } = new(OutcomeKind.Forbidden, "Action réservée à l'équipe d'animation du territoire.");
}

public static class ReportTargets
{
    public const string Listing = "listing";
    public const string Organisation = "organisation";
}

/// Reports, the facilitators' decisions and their journal. Every facilitator action checks, on the
/// server, that the actor facilitates the territory of what is acted on.
public sealed class ModerationService(AppDbContext db, CurrentActor actor, Mailer mailer, TimeProvider time, ListingChanges changes, SynergyDigest digest)
{
    public const int ReportsPerDay = 10;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// The territories whose queue the actor sees: all of them for administrators.
    public async Task<IReadOnlyList<int>> ModeratedTerritoriesAsync(CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        if (me.IsAdministrator)
        {
            return await db.Territories.OrderBy(t => t.Id).Select(t => t.Id).ToListAsync(ct);
        }

        return me.FacilitatedTerritories;
    }

    // ---- Reports by members ----

    public async Task<Outcome> ReportAsync(string targetType, int targetId, string? reason, string baseUrl, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        if (me.UserId is null)
        {
            return Outcome.Forbidden;
        }

        var target = await ReportTargetAsync(targetType, targetId, ct);
        if (target is null)
        {
            return Outcome.NotFound;
        }

        var noun = targetType == ReportTargets.Listing ? "cette annonce" : "cette structure";
        if (me.IsMemberOf(target.OrganisationId))
        {
            return Outcome.Invalid("Reason", $"Vous ne pouvez pas signaler {noun} : elle est celle de votre structure.");
        }

        var text = MessagingService.Normalise(reason);
        if (text.Length == 0)
        {
            return Outcome.Invalid("Reason", "Expliquez en quelques mots ce qui pose problème.");
        }

        if (text.Length > Report.ReasonMaxLength)
        {
            return Outcome.Invalid("Reason", "1 000 caractères au plus.");
        }

        if (await db.Set<Report>().AnyAsync(r => r.ReporterUserId == me.UserId && r.TargetType == targetType && r.TargetId == targetId && r.Status == ReportStatus.Open, ct))
        {
            return Outcome.Invalid("Reason", $"Vous avez déjà signalé {noun} : l'équipe d'animation l'examine.");
        }

        var since = Now.AddDays(-1);
        if (await db.Set<Report>().CountAsync(r => r.ReporterUserId == me.UserId && r.CreatedAt > since, ct) >= ReportsPerDay)
        {
            return Outcome.Invalid("Reason", $"Vous avez fait {ReportsPerDay} signalements en 24 heures : réessayez demain.");
        }

        db.Set<Report>().Add(new Report
        {
            TerritoryId = target.TerritoryId,
            TargetType = targetType,
            TargetId = targetId,
            ReportedOrganisationId = target.OrganisationId,
            Reason = text,
            ReporterUserId = me.UserId,
            ReporterOrganisationId = me.Current?.OrganisationId,
            CreatedAt = Now,
            Status = ReportStatus.Open,
        });
        await MailFacilitatorsAsync(target, text, baseUrl, ct);
        await db.SaveChangesAsync(ct);
        return Outcome.Done("Merci : votre signalement a été transmis à l'équipe d'animation du territoire.");
    }

    public sealed record ReportTarget(string Type, int Id, string Label, string Url, int TerritoryId, int OrganisationId);

    /// A listing or an organisation the actor may see, as a report target.
    public async Task<ReportTarget?> ReportTargetAsync(string? targetType, int targetId, CancellationToken ct)
    {
        if (targetType == ReportTargets.Listing)
        {
            var listing = await ListingQueries.FindVisibleAsync(db, actor, targetId, ct);
            return listing is null ? null
                : new ReportTarget(targetType, targetId, $"l'annonce « {listing.Title} »", $"/annonces/{targetId}", listing.TerritoryId, listing.OrganisationId);
        }

        if (targetType == ReportTargets.Organisation)
        {
            var me = await actor.GetAsync(ct);
            var o = await db.Organisations.AsNoTracking().Where(o => o.Id == targetId)
                .Select(o => new { o.Name, o.TerritoryId, o.Suspended }).SingleOrDefaultAsync(ct);
            return o is null || (o.Suspended && !me.Facilitates(o.TerritoryId) && !me.IsMemberOf(targetId)) ? null
                : new ReportTarget(targetType, targetId, $"la structure « {o.Name} »", $"/structures/{targetId}", o.TerritoryId, targetId);
        }

        return null;
    }

    // ---- The queue ----

    public async Task<ModerationQueue> QueueAsync(IReadOnlyList<int> territories, CancellationToken ct)
    {
        var reports = await db.Set<Report>().AsNoTracking()
            .Where(r => territories.Contains(r.TerritoryId) && r.Status == ReportStatus.Open)
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .ToListAsync(ct);
        var organisationIds = reports.SelectMany(r => new[] { r.ReportedOrganisationId, r.ReporterOrganisationId }).OfType<int>().Distinct().ToList();
        var names = await db.Organisations.AsNoTracking().Where(o => organisationIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var listingIds = reports.Where(r => r.TargetType == ReportTargets.Listing).Select(r => (int)r.TargetId).Distinct().ToList();
        var listings = await db.Listings.AsNoTracking().Where(l => listingIds.Contains(l.Id)).ToDictionaryAsync(l => (long)l.Id, l => new { l.Title, l.Status }, ct);
        string Name(int? id) => id is { } i && names.TryGetValue(i, out var n) ? n : "une structure";
        var items = reports.Select(r =>
        {
            var listing = r.TargetType == ReportTargets.Listing ? listings.GetValueOrDefault(r.TargetId) : null;
            return new QueueReport(
                r.Id, r.TerritoryId, r.TargetType, r.TargetId,
                r.TargetType switch
                {
                    ReportTargets.Listing => $"Annonce « {listing?.Title} » de {Name(r.ReportedOrganisationId)}",
                    ReportTargets.Organisation => $"Structure « {Name(r.ReportedOrganisationId)} »",
                    "conversation" => $"Conversation avec {Name(r.ReportedOrganisationId)}",
                    _ => $"Message de {Name(r.ReportedOrganisationId)}",
                },
                r.TargetType switch
                {
                    ReportTargets.Listing => $"/annonces/{r.TargetId}",
                    ReportTargets.Organisation => $"/structures/{r.TargetId}",
                    _ => null,
                },
                r.Reason, r.ReporterOrganisationId is null ? null : Name(r.ReporterOrganisationId), r.CreatedAt, r.ReportedOrganisationId,
                listing is not null && listing.Status != ListingStatus.Withdrawn);
        }).ToList();

        var pending = await db.Listings.AsNoTracking()
            .Where(l => territories.Contains(l.TerritoryId) && l.Status == ListingStatus.PendingReview)
            .OrderBy(l => l.UpdatedAt).ThenBy(l => l.Id)
            .Select(l => new QueuePending(l.Id, l.TerritoryId, l.Title, l.Description, l.Organisation!.Name, l.UpdatedAt))
            .ToListAsync(ct);

        var appeals = await db.Set<ModerationDecision>().AsNoTracking()
            .Where(d => territories.Contains(d.TerritoryId) && d.Status == ModerationStatus.Appealed)
            .OrderBy(d => d.AppealedAt).ThenBy(d => d.Id)
            .Select(d => new QueueAppeal(d.Id, d.TerritoryId, d.ListingId, d.Listing!.Title, d.Listing.Organisation!.Name, d.Reason, d.AppealText!, d.AppealedAt!.Value))
            .ToListAsync(ct);

        var settings = await db.Territories.AsNoTracking().Where(t => territories.Contains(t.Id)).OrderBy(t => t.Name)
            .Select(t => new TerritorySetting(t.Id, t.Name, t.PreModeration)).ToListAsync(ct);
        return new ModerationQueue(items, pending, appeals, settings);
    }

    /// What waits for the actor: open reports, listings to review, appeals to decide.
    public async Task<int> WaitingCountAsync(CancellationToken ct)
    {
        var territories = await ModeratedTerritoriesAsync(ct);
        if (territories.Count == 0)
        {
            return 0;
        }

        return await db.Set<Report>().CountAsync(r => territories.Contains(r.TerritoryId) && r.Status == ReportStatus.Open, ct)
            + await db.Listings.CountAsync(l => territories.Contains(l.TerritoryId) && l.Status == ListingStatus.PendingReview, ct)
            + await db.Set<ModerationDecision>().CountAsync(d => territories.Contains(d.TerritoryId) && d.Status == ModerationStatus.Appealed, ct);
    }

    // ---- Facilitator actions ----

    public async Task<Outcome> DismissReportAsync(int reportId, CancellationToken ct)
    {
        var report = await db.Set<Report>().SingleOrDefaultAsync(r => r.Id == reportId, ct);
        if (report is null)
        {
            return Outcome.NotFound;
        }

        if (await RefuseAsync(report.TerritoryId, ct) is { } refusal)
        {
            return refusal;
        }

        if (report.Status != ReportStatus.Open)
        {
            return Outcome.Done("Ce signalement a déjà été traité.");
        }

        report.Status = ReportStatus.Dismissed;
        await AuditAsync(report.TerritoryId, AuditActions.ReportDismiss, "report", report.Id, $"Signalement n° {report.Id} ({report.TargetType} n° {report.TargetId})", report.Reason, ct);
        await db.SaveChangesAsync(ct);
        return Outcome.Done("Signalement classé sans suite.");
    }

    public async Task<Outcome> RemoveListingAsync(int listingId, int? reportId, string? reason, string baseUrl, CancellationToken ct)
    {
        var listing = await db.Listings.SingleOrDefaultAsync(l => l.Id == listingId, ct);
        if (listing is null)
        {
            return Outcome.NotFound;
        }

        if (await RefuseAsync(listing.TerritoryId, ct) is { } refusal)
        {
            return refusal;
        }

        var text = MessagingService.Normalise(reason);
        if (text.Length == 0)
        {
            return Outcome.Invalid("reason", "Indiquez la raison du retrait : elle est envoyée à la structure.");
        }

        if (text.Length > ModerationDecision.ReasonMaxLength)
        {
            return Outcome.Invalid("reason", "1 000 caractères au plus.");
        }

        if (await db.Set<ModerationDecision>().AnyAsync(d => d.ListingId == listingId && (d.Status == ModerationStatus.Removed || d.Status == ModerationStatus.Appealed || d.Status == ModerationStatus.Confirmed), ct))
        {
            return Outcome.Invalid("reason", "Cette annonce a déjà été retirée.");
        }

        var me = await actor.GetAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        listing.Status = ListingStatus.Withdrawn;
        listing.UpdatedAt = Now;
        listing.Version++;
        var decision = new ModerationDecision
        {
            TerritoryId = listing.TerritoryId,
            ListingId = listing.Id,
            OrganisationId = listing.OrganisationId,
            ReportId = reportId,
            Reason = text,
            DecidedByUserId = me.UserId!,
            DecidedAt = Now,
            Status = ModerationStatus.Removed,
        };
        db.Set<ModerationDecision>().Add(decision);
        await db.Set<Report>().Where(r => r.TargetType == ReportTargets.Listing && r.TargetId == listingId && r.Status == ReportStatus.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReportStatus.Resolved), ct);
        await db.SaveChangesAsync(ct);

        var body = new StringBuilder()
            .AppendLine("Bonjour,").AppendLine()
            .AppendLine($"L'équipe d'animation du territoire a retiré votre annonce « {listing.Title} » ({baseUrl}/annonces/{listing.Id}).").AppendLine()
            .AppendLine($"Raison : {text}").AppendLine()
            .AppendLine("Si vous pensez que c'est une erreur, vous pouvez faire appel une fois, en expliquant pourquoi :")
            .AppendLine($"{baseUrl}/moderation/appel/{decision.Id}");
        await MailMembersAsync(listing.OrganisationId, $"Annonce retirée : {listing.Title}", body.ToString(), ct);
        await AuditAsync(listing.TerritoryId, AuditActions.ListingRemove, ReportTargets.Listing, listing.Id, listing.Title, text, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        changes.Bump();
        return Outcome.Done($"Annonce « {listing.Title} » retirée ; la structure a été prévenue par e-mail.");
    }

    public async Task<Outcome> ReviewListingAsync(int listingId, bool approve, string? reason, string baseUrl, CancellationToken ct)
    {
        var listing = await db.Listings.SingleOrDefaultAsync(l => l.Id == listingId, ct);
        if (listing is null)
        {
            return Outcome.NotFound;
        }

        if (await RefuseAsync(listing.TerritoryId, ct) is { } refusal)
        {
            return refusal;
        }

        if (listing.Status != ListingStatus.PendingReview)
        {
            return Outcome.Done("Cette annonce n'attend plus de validation.");
        }

        var text = MessagingService.Normalise(reason);
        if (!approve && text.Length == 0)
        {
            return Outcome.Invalid("reason", "Indiquez pourquoi vous refusez l'annonce : la raison est envoyée à la structure.");
        }

        if (text.Length > ModerationDecision.ReasonMaxLength)
        {
            return Outcome.Invalid("reason", "1 000 caractères au plus.");
        }

        listing.UpdatedAt = Now;
        listing.Version++;
        string subject;
        var body = new StringBuilder().AppendLine("Bonjour,").AppendLine();
        if (approve)
        {
            listing.Status = ListingStatus.Published;
            listing.PublishedAt = Now;
            var days = await db.Territories.Where(t => t.Id == listing.TerritoryId).Select(t => t.ListingExpiryDays).SingleAsync(ct);
            listing.ExpiresAt = Now.AddDays(days);
            subject = $"Annonce validée : {listing.Title}";
            body.AppendLine($"Votre annonce « {listing.Title} » a été validée par l'équipe d'animation : elle est en ligne.")
                .AppendLine($"{baseUrl}/annonces/{listing.Id}");
        }
        else
        {
            listing.Status = ListingStatus.Draft;
            subject = $"Annonce refusée : {listing.Title}";
            body.AppendLine($"L'équipe d'animation n'a pas validé votre annonce « {listing.Title} ». Elle reste en brouillon.").AppendLine()
                .AppendLine($"Raison : {text}").AppendLine()
                .AppendLine($"Vous pouvez la modifier puis la publier à nouveau : {baseUrl}/annonces/{listing.Id}");
        }

        await MailMembersAsync(listing.OrganisationId, subject, body.ToString(), ct);
        await AuditAsync(listing.TerritoryId, approve ? AuditActions.ListingApprove : AuditActions.ListingRefuse, ReportTargets.Listing, listing.Id, listing.Title, text.Length == 0 ? null : text, ct);
        await db.SaveChangesAsync(ct);
        changes.Bump();
        if (approve)
        {
            await digest.NotifyAsync(listing.Id, baseUrl, ct);
        }

        return Outcome.Done(approve ? $"Annonce « {listing.Title} » validée et publiée." : $"Annonce « {listing.Title} » refusée ; la structure a été prévenue.");
    }

    public async Task<Outcome> DecideAppealAsync(int decisionId, bool reinstate, string? note, string baseUrl, CancellationToken ct)
    {
        var decision = await db.Set<ModerationDecision>().Include(d => d.Listing).SingleOrDefaultAsync(d => d.Id == decisionId, ct);
        if (decision is null)
        {
            return Outcome.NotFound;
        }

        if (await RefuseAsync(decision.TerritoryId, ct) is { } refusal)
        {
            return refusal;
        }

        if (decision.Status != ModerationStatus.Appealed)
        {
            return Outcome.Done("Cet appel a déjà été tranché.");
        }

        var text = MessagingService.Normalise(note);
        if (text.Length > ModerationDecision.ReasonMaxLength)
        {
            return Outcome.Invalid("note", "1 000 caractères au plus.");
        }

        var me = await actor.GetAsync(ct);
        var listing = decision.Listing!;
        decision.Status = reinstate ? ModerationStatus.Reinstated : ModerationStatus.Confirmed;
        decision.AppealDecidedAt = Now;
        decision.AppealDecidedByUserId = me.UserId;
        decision.AppealDecisionNote = text.Length == 0 ? null : text;
        var body = new StringBuilder().AppendLine("Bonjour,").AppendLine();
        if (reinstate)
        {
            listing.Status = ListingStatus.Published;
            listing.UpdatedAt = Now;
            listing.Version++;
            if (listing.ExpiresAt is null || listing.ExpiresAt < Now)
            {
                var days = await db.Territories.Where(t => t.Id == listing.TerritoryId).Select(t => t.ListingExpiryDays).SingleAsync(ct);
                listing.ExpiresAt = Now.AddDays(days);
            }

            body.AppendLine($"Votre appel a été accepté : l'annonce « {listing.Title} » est de nouveau en ligne.")
                .AppendLine($"{baseUrl}/annonces/{listing.Id}");
        }
        else
        {
            body.AppendLine($"Votre appel a été examiné : le retrait de l'annonce « {listing.Title} » est confirmé.");
        }

        if (text.Length > 0)
        {
            body.AppendLine().AppendLine($"Message de l'équipe d'animation : {text}");
        }

        await MailMembersAsync(decision.OrganisationId, reinstate ? $"Appel accepté : {listing.Title}" : $"Appel rejeté : {listing.Title}", body.ToString(), ct);
        await AuditAsync(decision.TerritoryId, reinstate ? AuditActions.AppealReinstate : AuditActions.AppealConfirm, ReportTargets.Listing, listing.Id, listing.Title, decision.AppealDecisionNote, ct);
        await db.SaveChangesAsync(ct);
        changes.Bump();
        return Outcome.Done(reinstate ? $"Annonce « {listing.Title} » remise en ligne." : $"Retrait de « {listing.Title} » confirmé.");
    }

    public async Task<Outcome> VerifyAsync(int organisationId, CancellationToken ct)
    {
        var organisation = await db.Organisations.SingleOrDefaultAsync(o => o.Id == organisationId, ct);
        if (organisation is null)
        {
            return Outcome.NotFound;
        }

        if (await RefuseAsync(organisation.TerritoryId, ct) is { } refusal)
        {
            return refusal;
        }

        if (string.IsNullOrWhiteSpace(organisation.Siret))
        {
            return Outcome.Invalid("siret", "Cette structure n'a pas de SIRET : demandez-le-lui avant de la vérifier.");
        }

        if (!Siret.IsValid(organisation.Siret))
        {
            return Outcome.Invalid("siret", $"Le SIRET « {organisation.Siret} » n'est pas valide (14 chiffres et une clé de contrôle) : faites-le corriger avant de vérifier la structure.");
        }

        if (organisation.Verified)
        {
            return Outcome.Done("Cette structure est déjà vérifiée.");
        }

        organisation.Verified = true;
        organisation.VerifiedAt = Now;
        await AuditAsync(organisation.TerritoryId, AuditActions.OrganisationVerify, ReportTargets.Organisation, organisation.Id, organisation.Name, $"SIRET {organisation.Siret}", ct);
        await db.SaveChangesAsync(ct);
        return Outcome.Done($"« {organisation.Name} » est vérifiée.");
    }

    public async Task<Outcome> SuspendAsync(int organisationId, bool suspend, string? reason, string baseUrl, CancellationToken ct)
    {
        var organisation = await db.Organisations.SingleOrDefaultAsync(o => o.Id == organisationId, ct);
        if (organisation is null)
        {
            return Outcome.NotFound;
        }

        if (await RefuseAsync(organisation.TerritoryId, ct) is { } refusal)
        {
            return refusal;
        }

        var text = MessagingService.Normalise(reason);
        if (suspend && text.Length == 0)
        {
            return Outcome.Invalid("reason", "Indiquez la raison de la suspension : elle est envoyée aux membres de la structure.");
        }

        if (text.Length > ModerationDecision.ReasonMaxLength)
        {
            return Outcome.Invalid("reason", "1 000 caractères au plus.");
        }

        if (organisation.Suspended == suspend)
        {
            return Outcome.Done(suspend ? "Cette structure est déjà suspendue." : "Cette structure n'est pas suspendue.");
        }

        organisation.Suspended = suspend;
        organisation.SuspendedReason = suspend ? text : null;
        var body = new StringBuilder().AppendLine("Bonjour,").AppendLine();
        if (suspend)
        {
            body.AppendLine($"L'équipe d'animation du territoire a suspendu « {organisation.Name} » sur Boucle : ses annonces ne sont plus visibles.").AppendLine()
                .AppendLine($"Raison : {text}").AppendLine()
                .AppendLine("Pour en parler, répondez à l'équipe d'animation de votre territoire.");
            await db.Set<Report>().Where(r => r.TargetType == ReportTargets.Organisation && r.TargetId == organisationId && r.Status == ReportStatus.Open)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, ReportStatus.Resolved), ct);
        }
        else
        {
            body.AppendLine($"La suspension de « {organisation.Name} » est levée : ses annonces sont de nouveau visibles.")
                .AppendLine($"{baseUrl}/structures/{organisation.Id}");
        }

        await MailMembersAsync(organisation.Id, suspend ? $"Structure suspendue : {organisation.Name}" : $"Suspension levée : {organisation.Name}", body.ToString(), ct);
        await AuditAsync(organisation.TerritoryId, suspend ? AuditActions.OrganisationSuspend : AuditActions.OrganisationUnsuspend, ReportTargets.Organisation, organisation.Id, organisation.Name, text.Length == 0 ? null : text, ct);
        await db.SaveChangesAsync(ct);
        changes.Bump();
        return Outcome.Done(suspend ? $"« {organisation.Name} » est suspendue ; ses membres ont été prévenus." : $"La suspension de « {organisation.Name} » est levée.");
    }

    public async Task<Outcome> SetPreModerationAsync(int territoryId, bool enabled, CancellationToken ct)
    {
        var territory = await db.Territories.SingleOrDefaultAsync(t => t.Id == territoryId, ct);
        if (territory is null)
        {
            return Outcome.NotFound;
        }

        if (await RefuseAsync(territory.Id, ct) is { } refusal)
        {
            return refusal;
        }

        if (territory.PreModeration != enabled)
        {
            territory.PreModeration = enabled;
            await AuditAsync(territory.Id, enabled ? AuditActions.PreModerationOn : AuditActions.PreModerationOff, "territory", territory.Id, territory.Name, null, ct);
            await db.SaveChangesAsync(ct);
        }

        return Outcome.Done(enabled
            ? $"Pré-modération activée pour {territory.Name} : les annonces publiées par les membres attendent votre validation."
            : $"Pré-modération désactivée pour {territory.Name} : les annonces sont publiées directement.");
    }

    // ---- Appeals by the organisation ----

    public async Task<ModerationDecision?> DecisionForMemberAsync(int decisionId, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        var decision = await db.Set<ModerationDecision>().AsNoTracking().Include(d => d.Listing).SingleOrDefaultAsync(d => d.Id == decisionId, ct);
        return decision is not null && me.IsMemberOf(decision.OrganisationId) ? decision : null;
    }

    public async Task<Outcome> AppealAsync(int decisionId, string? argument, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        var decision = await db.Set<ModerationDecision>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == decisionId, ct);
        if (decision is null || !me.IsMemberOf(decision.OrganisationId))
        {
            return Outcome.NotFound;
        }

        if (decision.Status != ModerationStatus.Removed)
        {
            return Outcome.Invalid("Argument", "Vous avez déjà fait appel de cette décision : un seul appel est possible.");
        }

        var text = MessagingService.Normalise(argument);
        if (text.Length == 0)
        {
            return Outcome.Invalid("Argument", "Expliquez pourquoi l'annonce devrait être remise en ligne.");
        }

        if (text.Length > ModerationDecision.AppealMaxLength)
        {
            return Outcome.Invalid("Argument", "2 000 caractères au plus.");
        }

        // Only the first appeal changes the row: a second request sent at the same moment finds it appealed.
        var now = Now;
        var changed = await db.Set<ModerationDecision>().Where(d => d.Id == decisionId && d.Status == ModerationStatus.Removed)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, ModerationStatus.Appealed)
                .SetProperty(d => d.AppealText, text)
                .SetProperty(d => d.AppealedAt, now)
                .SetProperty(d => d.AppealedByUserId, me.UserId), ct);
        if (changed == 0)
        {
            return Outcome.Invalid("Argument", "Vous avez déjà fait appel de cette décision : un seul appel est possible.");
        }

        return Outcome.Done("Votre appel est enregistré : l'équipe d'animation va l'examiner et vous répondra par e-mail.");
    }

    // ---- Helpers ----

    private async Task<Outcome?> RefuseAsync(int territoryId, CancellationToken ct) =>
        (await actor.GetAsync(ct)).Facilitates(territoryId) ? null : Outcome.Forbidden;

    /// The territory's facilitators learn of a report at once, in the same unit of work as the report itself.
    private async Task MailFacilitatorsAsync(ReportTarget target, string reason, string baseUrl, CancellationToken ct)
    {
        var recipients = await db.TerritoryFacilitators.Where(f => f.TerritoryId == target.TerritoryId)
            .Join(db.Users, f => f.UserId, u => u.Id, (f, u) => u.Email).Where(e => e != null).ToListAsync(ct);
        foreach (var to in recipients.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            mailer.Queue(to!, $"Nouveau signalement : {target.Label}",
                $"Bonjour,\n\nUn membre de la plateforme a signalé {target.Label} ({baseUrl}{target.Url}).\n\nMotif : {reason}\n\n" +
                $"File de modération du territoire : {baseUrl}/animation/moderation");
        }
    }

    private async Task MailMembersAsync(int organisationId, string subject, string body, CancellationToken ct)
    {
        var recipients = await db.Memberships.Where(m => m.OrganisationId == organisationId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => u.Email).Where(e => e != null).ToListAsync(ct);
        foreach (var to in recipients.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            mailer.Queue(to!, subject, body);
        }
    }

    private async Task AuditAsync(int? territoryId, string action, string targetType, long targetId, string label, string? reason, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        db.Set<AuditEntry>().Add(new AuditEntry
        {
            At = Now,
            ActorUserId = me.UserId!,
            ActorName = Truncate(me.DisplayName ?? me.UserId!, 256),
            TerritoryId = territoryId,
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            TargetLabel = Truncate(label, 300),
            Reason = reason is null ? null : Truncate(reason, 2000),
        });
    }

    private static string Truncate(string text, int max) => text.Length > max ? text[..max] : text;
}

public sealed record QueueReport(int Id, int TerritoryId, string TargetType, long TargetId, string TargetLabel, string? TargetUrl, string Reason,
    string? ReporterOrganisation, DateTime CreatedAt, int? ReportedOrganisationId, bool CanRemoveListing);

public sealed record QueuePending(int ListingId, int TerritoryId, string Title, string? Description, string OrganisationName, DateTime SubmittedAt);

public sealed record QueueAppeal(int DecisionId, int TerritoryId, int ListingId, string Title, string OrganisationName, string Reason, string Appeal, DateTime AppealedAt);

public sealed record TerritorySetting(int Id, string Name, bool PreModeration);

public sealed record ModerationQueue(IReadOnlyList<QueueReport> Reports, IReadOnlyList<QueuePending> Pending, IReadOnlyList<QueueAppeal> Appeals, IReadOnlyList<TerritorySetting> Territories);
