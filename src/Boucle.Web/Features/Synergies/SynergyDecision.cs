using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Boucle.Web.Features.Synergies;

public enum DecisionStatus
{
    Accepted,
    Dismissed,
}

/// A facilitator's verdict on a proposed pair: a dismissed pair is not proposed again, and every
/// verdict is kept as feedback for tuning the engine.
public sealed class SynergyDecision
{
    public int Id { get; set; }
    public int TerritoryId { get; set; }
    public int OfferListingId { get; set; }
    public int NeedListingId { get; set; }
    public DecisionStatus Status { get; set; }
    public string? Reason { get; set; }
    public double Score { get; set; }
    public string? Pathway { get; set; }
    public required string DecidedByUserId { get; set; }
    public DateTime DecidedAt { get; set; }
}

public sealed class SynergyDecisionConfiguration : IEntityTypeConfiguration<SynergyDecision>
{
    public void Configure(EntityTypeBuilder<SynergyDecision> builder)
    {
        builder.HasIndex(d => new { d.OfferListingId, d.NeedListingId }).IsUnique();
        builder.HasIndex(d => new { d.TerritoryId, d.Status });
        builder.Property(d => d.Reason).HasMaxLength(500);
        builder.Property(d => d.Pathway).HasMaxLength(200);
        builder.HasOne<Listings.Listing>().WithMany().HasForeignKey(d => d.OfferListingId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Listings.Listing>().WithMany().HasForeignKey(d => d.NeedListingId).OnDelete(DeleteBehavior.Cascade);
    }
}
