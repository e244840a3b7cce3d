using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Organisations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Boucle.Web.Features.Synergies;

/// The funnel, in order; <see cref="Abandoned"/> stands apart (with a reason).
public enum SynergyStage
{
    Suggested,
    ContactMade,
    Agreed,
    FirstDelivery,
    Recurring,
    Abandoned,
}

/// A pair of organisations and a flow between them, followed from the suggestion to a recurring exchange.
public sealed class Synergy
{
    public int Id { get; set; }
    public int TerritoryId { get; set; }
    public int GiverOrganisationId { get; set; }
    public int TakerOrganisationId { get; set; }
    public int? OfferListingId { get; set; }
    public int? NeedListingId { get; set; }
    public string? CategoryCode { get; set; }

    /// What flows, in a few words ("marc de café pour la culture de pleurotes").
    public required string Flow { get; set; }
    public SynergyStage Stage { get; set; }
    public string? AbandonReason { get; set; }

    /// When the synergy entered its current stage: the board filters on the age of a stage.
    public DateTime StageSince { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedByUserId { get; set; }

    /// How it was created: "board" (a facilitator accepted a proposed pair), "member", "manual".
    public required string Origin { get; set; }

    /// Optimistic concurrency: every move checks and bumps it, so two simultaneous moves cannot both win.
    public int Version { get; set; } = 1;
}

/// One move of a synergy: from which stage to which, when, by whom, and why.
public sealed class SynergyStep
{
    public int Id { get; set; }
    public int SynergyId { get; set; }

    /// Null on the creation step.
    public SynergyStage? FromStage { get; set; }
    public SynergyStage ToStage { get; set; }
    public DateTime At { get; set; }
    public required string ByUserId { get; set; }
    public string? Note { get; set; }
}

public sealed class SynergyConfiguration : IEntityTypeConfiguration<Synergy>
{
    public void Configure(EntityTypeBuilder<Synergy> builder)
    {
        builder.Property(s => s.Flow).HasMaxLength(200);
        builder.Property(s => s.CategoryCode).HasMaxLength(64);
        builder.Property(s => s.AbandonReason).HasMaxLength(500);
        builder.Property(s => s.Origin).HasMaxLength(16);
        builder.Property(s => s.CreatedByUserId).HasMaxLength(450);
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.HasIndex(s => new { s.TerritoryId, s.Stage });
        builder.HasIndex(s => s.GiverOrganisationId);
        builder.HasIndex(s => s.TakerOrganisationId);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(s => s.GiverOrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(s => s.TakerOrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Listing>().WithMany().HasForeignKey(s => s.OfferListingId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Listing>().WithMany().HasForeignKey(s => s.NeedListingId).OnDelete(DeleteBehavior.SetNull);
    }
}

public sealed class SynergyStepConfiguration : IEntityTypeConfiguration<SynergyStep>
{
    public void Configure(EntityTypeBuilder<SynergyStep> builder)
    {
        builder.Property(s => s.Note).HasMaxLength(500);
        builder.Property(s => s.ByUserId).HasMaxLength(450);
        builder.HasIndex(s => new { s.SynergyId, s.At });
        builder.HasOne<Synergy>().WithMany().HasForeignKey(s => s.SynergyId).OnDelete(DeleteBehavior.Cascade);
    }
}
