using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Boucle.Web.Features.Synergies;

/// A valorisation pathway that a facilitator added to the engine's knowledge from the application.
public sealed class CustomPathway
{
    public int Id { get; set; }
    public required string FromCategory { get; set; }
    public required string ToCategory { get; set; }
    public required string Operation { get; set; }
    public int Rank { get; set; }
    public required string LabelFr { get; set; }
    public required string Source { get; set; }
    public required string CreatedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class CustomPathwayConfiguration : IEntityTypeConfiguration<CustomPathway>
{
    public void Configure(EntityTypeBuilder<CustomPathway> builder)
    {
        builder.Property(p => p.FromCategory).HasMaxLength(64);
        builder.Property(p => p.ToCategory).HasMaxLength(64);
        builder.Property(p => p.Operation).HasMaxLength(16);
        builder.Property(p => p.LabelFr).HasMaxLength(200);
        builder.Property(p => p.Source).HasMaxLength(500);
        builder.HasIndex(p => new { p.FromCategory, p.ToCategory, p.Operation }).IsUnique();
    }
}
