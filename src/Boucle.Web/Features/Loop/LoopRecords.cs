using Boucle.Web.Features.Exchanges;
using Boucle.Web.Features.Organisations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Boucle.Web.Features.Loop;

/// Canteen sectors, grouped as the ADEME food-waste study reports them.
public enum CanteenSector
{
    School,
    Health,
    SocialCare,
    Company,
    Other,
}

/// ma-cantine's management_type: direct (in-house) or conceded (contracted).
public enum CanteenManagement
{
    InHouse,
    Contracted,
}

/// ma-cantine's production_type: central, central_serving, site, site_cooked_elsewhere.
public enum CanteenProduction
{
    Central,
    CentralServing,
    OnSite,
    OnSiteCookedElsewhere,
}

/// The canteen side of an organisation: what ma-cantine knows of it, and the obligations it ticks.
public sealed class CanteenProfile
{
    public int Id { get; set; }
    public int OrganisationId { get; set; }
    public CanteenSector Sector { get; set; }
    public int MealsPerDay { get; set; }
    public int MealsPerYear { get; set; }
    public CanteenManagement Management { get; set; }
    public CanteenProduction Production { get; set; }

    /// The canteen's id on ma-cantine, so that its declarations can be matched.
    public string? MaCantineId { get; set; }
    public DateOnly? DiagnosisDate { get; set; }
    public bool HasActionPlan { get; set; }
    public bool HasDonationAgreement { get; set; }
    public bool SortsBiowaste { get; set; }

    /// Last year declared on ma-cantine (the declaration of year N is made in N+1).
    public int? LastDeclaredYear { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// One food-waste weighing campaign, with ma-cantine's waste-measurement fields (masses in kg).
public sealed class WasteMeasurement
{
    public int Id { get; set; }
    public int CanteenOrganisationId { get; set; }
    public DateOnly PeriodStart { get; set; }
    public DateOnly PeriodEnd { get; set; }
    public int MealCount { get; set; }
    public double? TotalMassKg { get; set; }
    public double? PreparationTotalKg { get; set; }
    public double? PreparationEdibleKg { get; set; }
    public double? PreparationInedibleKg { get; set; }
    public bool? PreparationSorted { get; set; }
    public double? UnservedTotalKg { get; set; }
    public double? UnservedEdibleKg { get; set; }
    public double? UnservedInedibleKg { get; set; }
    public bool? UnservedSorted { get; set; }
    public double? LeftoversTotalKg { get; set; }
    public double? LeftoversEdibleKg { get; set; }
    public double? LeftoversInedibleKg { get; set; }
    public bool? LeftoversSorted { get; set; }
    public DateTime CreatedAt { get; set; }
}

public enum BiowasteStream
{
    /// Canteen and kitchen food waste, List of Waste 20 01 08.
    KitchenWaste,

    /// Unsold or unsuitable produce from food businesses, 02 03 04.
    UnsuitableProduce,

    /// Garden and park waste, 20 02 01.
    GreenWaste,
}

/// Biowaste leaving a producer for a composting site, a digester or a collector.
public sealed class BiowasteTransfer
{
    public int Id { get; set; }
    public int TerritoryId { get; set; }
    public DateOnly Date { get; set; }
    public int FromOrganisationId { get; set; }
    public int ToOrganisationId { get; set; }
    public double MassKg { get; set; }
    public bool Weighed { get; set; }
    public BiowasteStream Stream { get; set; }
    public string? Carrier { get; set; }
    public TransportMode TransportMode { get; set; } = TransportMode.Truck;
    public double? DistanceKm { get; set; }

    /// The current version of the exchange that makes this transfer count in the impact figures.
    public int? ExchangeId { get; set; }
    public DateTime CreatedAt { get; set; }
}

public enum TreatmentProduct
{
    Compost,
    Digestate,
}

public enum ProductStandard
{
    None,

    /// NF U 44-051: organic soil improvers (composts).
    NfU44051,

    /// NF U 44-095: composts containing materials of interest for agronomy from water treatment.
    NfU44095,
}

/// What a treatment site produced over a period (masses in tonnes).
public sealed class TreatmentOutput
{
    public int Id { get; set; }
    public int SiteOrganisationId { get; set; }
    public DateOnly PeriodStart { get; set; }
    public DateOnly PeriodEnd { get; set; }
    public double InputT { get; set; }
    public TreatmentProduct Product { get; set; }
    public double OutputT { get; set; }
    public ProductStandard Standard { get; set; }
    public string? AnalysisReference { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// Compost or digestate spread on a farm's land.
public sealed class FarmDelivery
{
    /// A typical maximum compost dose for vegetables (PRODUCT.md, domain facts).
    public const double MaxDoseTPerHa = 10;

    public int Id { get; set; }
    public DateOnly Date { get; set; }
    public int FromOrganisationId { get; set; }
    public int ToOrganisationId { get; set; }
    public TreatmentProduct Product { get; set; }
    public double MassT { get; set; }
    public double AreaHa { get; set; }
    public string? Crop { get; set; }
    public DateTime CreatedAt { get; set; }

    public double DoseTPerHa => AreaHa > 0 ? MassT / AreaHa : 0;

    public bool AboveMaxDose => DoseTPerHa > MaxDoseTPerHa;
}

/// ma-cantine's famille_produits.
public enum ProductFamily
{
    VIANDES_VOLAILLES,
    CHARCUTERIE,
    PRODUITS_DE_LA_MER,
    FRUITS_ET_LEGUMES,
    PRODUITS_LAITIERS,
    BOULANGERIE,
    BOISSONS,
    AUTRES,
}

/// A food purchase with ma-cantine's purchase columns, plus a mass and the supplier when it is on Boucle.
public sealed class CanteenPurchase
{
    public int Id { get; set; }
    public int CanteenOrganisationId { get; set; }
    public DateOnly Date { get; set; }
    public required string Description { get; set; }
    public required string Supplier { get; set; }
    public decimal PriceHt { get; set; }
    public ProductFamily Family { get; set; }

    /// ma-cantine's categories_egalim codes, comma-separated (BIO, LABEL_ROUGE, ...).
    public string Labels { get; set; } = "";

    /// EUROPE or FRANCE.
    public string? Origin { get; set; }
    public bool ShortCircuit { get; set; }
    public bool Local { get; set; }

    /// AUTOUR_SERVICE, DEPARTEMENT, REGION, PAT or AUTRE.
    public string? LocalDefinition { get; set; }
    public double? QuantityKg { get; set; }
    public int? SupplierOrganisationId { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class LoopConfigurations :
    IEntityTypeConfiguration<CanteenProfile>, IEntityTypeConfiguration<WasteMeasurement>, IEntityTypeConfiguration<BiowasteTransfer>,
    IEntityTypeConfiguration<TreatmentOutput>, IEntityTypeConfiguration<FarmDelivery>, IEntityTypeConfiguration<CanteenPurchase>
{
    public void Configure(EntityTypeBuilder<CanteenProfile> builder)
    {
        builder.ToTable("CanteenProfiles");
        builder.HasIndex(x => x.OrganisationId).IsUnique();
        builder.Property(x => x.MaCantineId).HasMaxLength(32);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<WasteMeasurement> builder)
    {
        builder.ToTable("WasteMeasurements");
        builder.HasIndex(x => new { x.CanteenOrganisationId, x.PeriodStart });
        builder.HasOne<Organisation>().WithMany().HasForeignKey(x => x.CanteenOrganisationId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<BiowasteTransfer> builder)
    {
        builder.ToTable("BiowasteTransfers");
        builder.Property(x => x.Carrier).HasMaxLength(200);
        builder.HasIndex(x => new { x.TerritoryId, x.Date });
        builder.HasOne<Organisation>().WithMany().HasForeignKey(x => x.FromOrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(x => x.ToOrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Exchange>().WithMany().HasForeignKey(x => x.ExchangeId).OnDelete(DeleteBehavior.SetNull);
    }

    public void Configure(EntityTypeBuilder<TreatmentOutput> builder)
    {
        builder.ToTable("TreatmentOutputs");
        builder.Property(x => x.AnalysisReference).HasMaxLength(100);
        builder.HasIndex(x => new { x.SiteOrganisationId, x.PeriodStart });
        builder.HasOne<Organisation>().WithMany().HasForeignKey(x => x.SiteOrganisationId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<FarmDelivery> builder)
    {
        builder.ToTable("FarmDeliveries");
        builder.Property(x => x.Crop).HasMaxLength(100);
        builder.Ignore(x => x.DoseTPerHa);
        builder.Ignore(x => x.AboveMaxDose);
        builder.HasIndex(x => new { x.FromOrganisationId, x.Date });
        builder.HasOne<Organisation>().WithMany().HasForeignKey(x => x.FromOrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(x => x.ToOrganisationId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<CanteenPurchase> builder)
    {
        builder.ToTable("CanteenPurchases");
        builder.Property(x => x.Description).HasMaxLength(300);
        builder.Property(x => x.Supplier).HasMaxLength(200);
        builder.Property(x => x.PriceHt).HasPrecision(14, 2);
        builder.Property(x => x.Labels).HasMaxLength(200);
        builder.Property(x => x.Origin).HasMaxLength(16);
        builder.Property(x => x.LocalDefinition).HasMaxLength(32);
        builder.HasIndex(x => new { x.CanteenOrganisationId, x.Date });
        builder.HasOne<Organisation>().WithMany().HasForeignKey(x => x.CanteenOrganisationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(x => x.SupplierOrganisationId).OnDelete(DeleteBehavior.SetNull);
    }
}
