using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Territories;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Boucle.Web.Features.Moderation;

public enum ModerationStatus
{
    /// The listing was removed; its organisation may appeal once.
    Removed,

    /// The organisation appealed; a facilitator decides.
    Appealed,

    /// The appeal was granted: the listing is public again.
    Reinstated,

    /// The appeal was refused: the removal stands for good.
    Confirmed,
}

/// A facilitator removed a listing: the reason, the one appeal and its outcome.
public sealed class ModerationDecision
{
    public const int ReasonMaxLength = 1000;
    public const int AppealMaxLength = 2000;

    public int Id { get; set; }
    public int TerritoryId { get; set; }
    public int ListingId { get; set; }
    public int OrganisationId { get; set; }
    public int? ReportId { get; set; }
    public required string Reason { get; set; }
    public required string DecidedByUserId { get; set; }
    public DateTime DecidedAt { get; set; }
    public ModerationStatus Status { get; set; }
    public string? AppealText { get; set; }
    public string? AppealedByUserId { get; set; }
    public DateTime? AppealedAt { get; set; }
    public string? AppealDecidedByUserId { get; set; }
    public DateTime? AppealDecidedAt { get; set; }
    public string? AppealDecisionNote { get; set; }

    public Listing? Listing { get; set; }

    /// A removal that still holds: the organisation may not put the listing back online.
    public bool Holds => Status is ModerationStatus.Removed or ModerationStatus.Appealed or ModerationStatus.Confirmed;
}

/// One action of a facilitator or administrator: who, when, what, on what, why.
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public required string ActorUserId { get; set; }
    public required string ActorName { get; set; }
    public int? TerritoryId { get; set; }

    /// A stable code, e.g. "listing.remove"; AuditLabels gives the French words.
    public required string Action { get; set; }
    public required string TargetType { get; set; }
    public long TargetId { get; set; }

    /// What the target was called at the time, so that the journal still reads after a rename.
    public required string TargetLabel { get; set; }
    public string? Reason { get; set; }
}

public sealed class ModerationDecisionConfiguration : IEntityTypeConfiguration<ModerationDecision>
{
    public void Configure(EntityTypeBuilder<ModerationDecision> builder)
    {
        builder.ToTable("ModerationDecisions");
        builder.Property(d => d.Reason).HasMaxLength(ModerationDecision.ReasonMaxLength);
        builder.Property(d => d.AppealText).HasMaxLength(ModerationDecision.AppealMaxLength);
        builder.Property(d => d.AppealDecisionNote).HasMaxLength(ModerationDecision.ReasonMaxLength);
        builder.HasIndex(d => new { d.TerritoryId, d.Status });
        builder.HasIndex(d => d.ListingId);
        builder.HasOne(d => d.Listing).WithMany().HasForeignKey(d => d.ListingId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(d => d.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Territory>().WithMany().HasForeignKey(d => d.TerritoryId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(d => d.DecidedByUserId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.Property(a => a.ActorName).HasMaxLength(256);
        builder.Property(a => a.Action).HasMaxLength(64);
        builder.Property(a => a.TargetType).HasMaxLength(32);
        builder.Property(a => a.TargetLabel).HasMaxLength(300);
        builder.Property(a => a.Reason).HasMaxLength(2000);
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => new { a.TargetType, a.TargetId });
        // The journal keeps the actor even if the account is later deleted: no foreign key on purpose.
    }
}

public static class AuditLabels
{
    public static string Fr(string action) => action switch
    {
        AuditActions.ReportDismiss => "Signalement classé sans suite",
        AuditActions.ListingRemove => "Annonce retirée",
        AuditActions.ListingApprove => "Annonce validée (pré-modération)",
        AuditActions.ListingRefuse => "Annonce refusée (pré-modération)",
        AuditActions.AppealReinstate => "Appel accepté : annonce remise en ligne",
        AuditActions.AppealConfirm => "Appel rejeté : retrait confirmé",
        AuditActions.OrganisationVerify => "Structure vérifiée",
        AuditActions.OrganisationSuspend => "Structure suspendue",
        AuditActions.OrganisationUnsuspend => "Suspension levée",
        AuditActions.PreModerationOn => "Pré-modération activée",
        AuditActions.PreModerationOff => "Pré-modération désactivée",
        AuditActions.MemberRole => "Rôle d'un membre modifié",
        AuditActions.MemberRemove => "Membre retiré de la structure",
        AuditActions.TwoFactorReset => "Vérification en deux étapes réinitialisée",
        _ => Workspace.WorkspaceAudit.Label(action) ?? action,
    };
}

public static class AuditActions
{
    public const string ReportDismiss = "report.dismiss";
    public const string ListingRemove = "listing.remove";
    public const string ListingApprove = "listing.approve";
    public const string ListingRefuse = "listing.refuse";
    public const string AppealReinstate = "appeal.reinstate";
    public const string AppealConfirm = "appeal.confirm";
    public const string OrganisationVerify = "organisation.verify";
    public const string OrganisationSuspend = "organisation.suspend";
    public const string OrganisationUnsuspend = "organisation.unsuspend";
    public const string PreModerationOn = "territory.premoderation-on";
    public const string PreModerationOff = "territory.premoderation-off";
    public const string MemberRole = "member.role";
    public const string MemberRemove = "member.remove";
    public const string TwoFactorReset = "account.two-factor-reset";
}
