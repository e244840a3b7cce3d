using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Boucle.Web.Features.Deposits;

/// A saved view of a territory's deposits that a facilitator shares with elected officials: a read-only
/// link whose token only the link holds (a hash is kept), showing aggregates only, revocable.
public sealed class DepositView
{
    public int Id { get; set; }
    public int TerritoryId { get; set; }
    public required string Label { get; set; }
    public int ThresholdPercent { get; set; }
    public required string TokenHash { get; set; }
    public required string CreatedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }

    public static string NewToken() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();

    public static string HashOf(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

public sealed class DepositViewConfiguration : IEntityTypeConfiguration<DepositView>
{
    public void Configure(EntityTypeBuilder<DepositView> builder)
    {
        builder.HasIndex(v => v.TokenHash).IsUnique();
        builder.HasIndex(v => v.TerritoryId);
        builder.Property(v => v.TokenHash).HasMaxLength(64);
        builder.Property(v => v.Label).HasMaxLength(140);
        builder.HasOne<Territories.Territory>().WithMany().HasForeignKey(v => v.TerritoryId).OnDelete(DeleteBehavior.Cascade);
    }
}
