using Boucle.Web.Features.Listings;

namespace Boucle.Web.Features.Exchanges;

public enum TransportMode
{
    None,
    Bike,
    Car,
    Van,
    Truck,
    TruckRefrigerated,
    Tractor,
}

/// A realised exchange (échange réalisé) between a giver and a taker.
public sealed class Exchange
{
    public int Id { get; set; }
    public int TerritoryId { get; set; }
    public int GiverOrganisationId { get; set; }
    public int TakerOrganisationId { get; set; }
    public int? OfferListingId { get; set; }
    public int? NeedListingId { get; set; }
    public string? CategoryCode { get; set; }
    public string? WasteCode { get; set; }
    public double Quantity { get; set; }
    public QuantityUnit Unit { get; set; }
    public double? QuantityTonnes { get; set; }
    public DateOnly Date { get; set; }

    /// Recovery operation code: R0 (reuse), R1..R13, or composting / digestion.
    public required string Operation { get; set; }
    public TransportMode TransportMode { get; set; }
    public double? DistanceKm { get; set; }
    public double? PriceEur { get; set; }
    public double? AvoidedCostEur { get; set; }
    public string? Note { get; set; }
    public string? ExternalKey { get; set; }
    public DateTime CreatedAt { get; set; }
}
