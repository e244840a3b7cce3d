using System.Linq.Expressions;
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

    /// Last day of the period when the row is a monthly (or other period) total of a recurring flow;
    /// null for a single delivery on <see cref="Date"/>.
    public DateOnly? PeriodEnd { get; set; }

    /// The synergy this exchange realises, when it came from one.
    public int? SynergyId { get; set; }

    /// Reference of the TrackDéchets waste form (BSD) for a hazardous-waste exchange.
    public string? TrackDechetsRef { get; set; }

    public string? RecordedByUserId { get; set; }

    /// True when a facilitator recorded the exchange on behalf of the parties (with a note).
    public bool RecordedByFacilitator { get; set; }

    public DateTime? GiverConfirmedAt { get; set; }
    public DateTime? TakerConfirmedAt { get; set; }

    /// Set when the party that had not recorded the exchange says it did not happen this way; cleared by a confirmation.
    public DateTime? ContestedAt { get; set; }
    public string? ContestReason { get; set; }

    /// Corrections are new versions: the corrected row stays, with <see cref="SupersededById"/> set.
    public int Version { get; set; } = 1;

    /// The first version's id, shared by every version of the same exchange (null on the first).
    public int? OriginalId { get; set; }
    public int? SupersededById { get; set; }

    /// The rule every figure uses: the current version, confirmed by both parties or recorded by a facilitator.
    public static Expression<Func<Exchange, bool>> Counts =>
        x => x.SupersededById == null && (x.RecordedByFacilitator || (x.GiverConfirmedAt != null && x.TakerConfirmedAt != null));
}
