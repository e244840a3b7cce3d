using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Boucle.Web.Features.Listings;

/// Indexes the board's search walks (ADR 0006-board, ADR 0014): the newest listings first, without sorting
/// the hits; the postings of a term section by section (title, then description), newest listing first; the
/// postings of a term in a band of latitude. Both posting indexes cover the columns the search reads, so it
/// never visits the postings table itself. The suspended organisations, read by every search, are indexed.
public sealed class ListingSearchIndexes : IEntityTypeConfiguration<Listing>, IEntityTypeConfiguration<ListingTerm>, IEntityTypeConfiguration<Organisations.Organisation>
{
    /// Every search reads the few suspended organisations first.
    public void Configure(EntityTypeBuilder<Organisations.Organisation> builder) => builder.HasIndex(o => o.Suspended);

    public void Configure(EntityTypeBuilder<Listing> builder) => builder.HasIndex(l => new { l.PublishedAt, l.Id });

    public void Configure(EntityTypeBuilder<ListingTerm> builder)
    {
        builder.HasIndex(t => new { t.Term, t.Weight, t.ListingId, t.Type, t.Latitude, t.Longitude }).HasDatabaseName("IX_ListingTerms_Walk");
        builder.HasIndex(t => new { t.Term, t.Latitude, t.Longitude, t.Type, t.Weight, t.ListingId }).HasDatabaseName("IX_ListingTerms_Band");
    }
}
