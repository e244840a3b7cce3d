using Boucle.Web.Features.Exchanges;
using Boucle.Web.Features.Listings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Boucle.Web.Features.Impact;

/// One version of an impact factor (kg CO2e per tonne, per tonne-km, or euros per tonne).
/// An administrator's edit adds a version; older versions stay, since computed impacts point to them.
public sealed class ImpactFactor
{
    public int Id { get; set; }
    public required string Key { get; set; }
    public required string Label { get; set; }
    public double Value { get; set; }
    public required string Unit { get; set; }
    public required string Source { get; set; }
    public int Version { get; set; } = 1;
    public DateOnly ValidFrom { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? CreatedByUserId { get; set; }
}

/// One version of a density: tonnes per m3, per litre or per piece for a category.
public sealed class DensityFactor
{
    public int Id { get; set; }
    public required string CategoryCode { get; set; }
    public QuantityUnit Unit { get; set; }
    public double TonnesPerUnit { get; set; }
    public required string Source { get; set; }
    public int Version { get; set; } = 1;
    public DateOnly ValidFrom { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? CreatedByUserId { get; set; }
}

/// The impact of one counted exchange, computed once with the factor versions current at that time.
/// A correction is a new exchange row, so this row never goes stale.
public sealed class ExchangeImpact
{
    public int ExchangeId { get; set; }
    public DateTime ComputedAt { get; set; }

    /// Ids of the <see cref="ImpactFactor"/> and <see cref="DensityFactor"/> rows used ("f12 f30 d4").
    public required string FactorIds { get; set; }

    /// Null when the quantity cannot be expressed in tonnes (pieces without density, kWh, hours...).
    public double? Tonnes { get; set; }

    /// The tonnes that would otherwise have been disposed of (zero for products such as compost sold to a farm).
    public double TonnesDiverted { get; set; }
    public double Co2eTreatmentKg { get; set; }
    public double Co2eTransportKg { get; set; }
    public double Co2eAvoidedVirginKg { get; set; }
    public double Co2eAvoidedDisposalKg { get; set; }
    public double EurDisposalAvoided { get; set; }
    public double EurPurchasesAvoided { get; set; }
    public double VirginMaterialTonnes { get; set; }
    public double HazardousReusedTonnes { get; set; }
    public required string Arithmetic { get; set; }
}

public sealed class ImpactFactorConfiguration : IEntityTypeConfiguration<ImpactFactor>
{
    public void Configure(EntityTypeBuilder<ImpactFactor> builder)
    {
        builder.HasIndex(f => new { f.Key, f.Version }).IsUnique();
        builder.Property(f => f.Key).HasMaxLength(80);
        builder.Property(f => f.Label).HasMaxLength(300);
        builder.Property(f => f.Unit).HasMaxLength(40);
        builder.Property(f => f.Source).HasMaxLength(1000);
    }
}

public sealed class DensityFactorConfiguration : IEntityTypeConfiguration<DensityFactor>
{
    public void Configure(EntityTypeBuilder<DensityFactor> builder)
    {
        builder.HasIndex(f => new { f.CategoryCode, f.Unit, f.Version }).IsUnique();
        builder.Property(f => f.CategoryCode).HasMaxLength(80);
        builder.Property(f => f.Source).HasMaxLength(1000);
    }
}

public sealed class ExchangeImpactConfiguration : IEntityTypeConfiguration<ExchangeImpact>
{
    public void Configure(EntityTypeBuilder<ExchangeImpact> builder)
    {
        builder.HasKey(i => i.ExchangeId);
        builder.Property(i => i.ExchangeId).ValueGeneratedNever();
        builder.Property(i => i.FactorIds).HasMaxLength(400);
        builder.Property(i => i.Arithmetic).HasMaxLength(4000);
        builder.HasOne<Exchange>().WithMany().HasForeignKey(i => i.ExchangeId).OnDelete(DeleteBehavior.Cascade);
    }
}
