using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Boucle.Web.Features.Listings;

/// Indexes the board's search walks (ADR 0006-board): the newest listings first, without sorting the hits,
/// and the title postings of a term, without reading the listings.
public sealed class ListingSearchIndexes : IEntityTypeConfiguration<Listing>, IEntityTypeConfiguration<ListingTerm>
{
    public void Configure(EntityTypeBuilder<Listing> builder) => builder.HasIndex(l => new { l.PublishedAt, l.Id });

    public void Configure(EntityTypeBuilder<ListingTerm> builder) => builder.HasIndex(t => new { t.Term, t.Weight, t.ListingId });
}
