using Boucle.Web.Features.Listings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Boucle.Web.Features.Workshops;

public enum WorkshopStatus
{
    Open,
    Closed,
}

/// A "haves and wants" session run by a facilitator: participants write cards, the board pairs them live.
public sealed class Workshop
{
    public int Id { get; set; }
    public int TerritoryId { get; set; }
    public required string Title { get; set; }
    public DateOnly Date { get; set; }
    public string? Place { get; set; }

    /// Short code typed or followed from a link on a phone; unique, never reused.
    public required string JoinCode { get; set; }
    public WorkshopStatus Status { get; set; }
    public required string CreatedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ClosedAt { get; set; }
}

/// One card: what an organisation has or wants, in a few words.
public sealed class WorkshopCard
{
    public int Id { get; set; }
    public int WorkshopId { get; set; }
    public int OrganisationId { get; set; }
    public ListingType Type { get; set; }
    public required string Text { get; set; }
    public double? Quantity { get; set; }
    public QuantityUnit? Unit { get; set; }
    public Frequency Frequency { get; set; }
    public required string CreatedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }

    /// The draft listing made from the card when the session closed.
    public int? DraftListingId { get; set; }
    public Organisations.Organisation? Organisation { get; set; }
}

/// A pair the facilitator has talked through with both parties during the session.
public sealed class WorkshopDiscussion
{
    public int Id { get; set; }
    public int WorkshopId { get; set; }

    /// "c12" for card 12, "l34" for listing 34: a pair may join two cards or a card and a listing.
    public required string OfferKey { get; set; }
    public required string NeedKey { get; set; }
    public required string ByUserId { get; set; }
    public DateTime At { get; set; }
}

public sealed class WorkshopConfiguration : IEntityTypeConfiguration<Workshop>
{
    public void Configure(EntityTypeBuilder<Workshop> builder)
    {
        builder.HasIndex(w => w.JoinCode).IsUnique();
        builder.HasIndex(w => new { w.TerritoryId, w.Date });
        builder.Property(w => w.Title).HasMaxLength(140);
        builder.Property(w => w.Place).HasMaxLength(200);
        builder.Property(w => w.JoinCode).HasMaxLength(12);
        builder.HasOne<Territories.Territory>().WithMany().HasForeignKey(w => w.TerritoryId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class WorkshopCardConfiguration : IEntityTypeConfiguration<WorkshopCard>
{
    public void Configure(EntityTypeBuilder<WorkshopCard> builder)
    {
        builder.HasIndex(c => c.WorkshopId);
        builder.HasIndex(c => new { c.CreatedByUserId, c.CreatedAt });
        builder.Property(c => c.Text).HasMaxLength(140);
        builder.HasOne<Workshop>().WithMany().HasForeignKey(c => c.WorkshopId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(c => c.Organisation).WithMany().HasForeignKey(c => c.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Listing>().WithMany().HasForeignKey(c => c.DraftListingId).OnDelete(DeleteBehavior.SetNull);
    }
}

public sealed class WorkshopDiscussionConfiguration : IEntityTypeConfiguration<WorkshopDiscussion>
{
    public void Configure(EntityTypeBuilder<WorkshopDiscussion> builder)
    {
        builder.HasIndex(d => new { d.WorkshopId, d.OfferKey, d.NeedKey }).IsUnique();
        builder.Property(d => d.OfferKey).HasMaxLength(16);
        builder.Property(d => d.NeedKey).HasMaxLength(16);
        builder.HasOne<Workshop>().WithMany().HasForeignKey(d => d.WorkshopId).OnDelete(DeleteBehavior.Cascade);
    }
}
