namespace Boucle.Web.Features.Listings;

public enum ListingType
{
    Offer,
    Need,
}

public enum ListingStatus
{
    Draft,
    Published,
    Reserved,
    Exchanged,
    Withdrawn,
    Expired,

    /// Waits for a facilitator's approval (the territory's pre-moderation); never public.
    PendingReview,
}

public enum Frequency
{
    Once,
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
    Continuous,
}

public enum QuantityUnit
{
    Kg,
    T,
    L,
    M3,
    M2,
    Pieces,
    Pallets,
    Hours,
    Days,
    KW,
    KWh,
}

public enum PriceMode
{
    Free,
    Price,
    Exchange,
    ToDiscuss,
}

/// An offer (j'ai) or a need (je cherche) of one organisation.
public sealed class Listing
{
    public int Id { get; set; }
    public int TerritoryId { get; set; }
    public int OrganisationId { get; set; }
    public ListingType Type { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public string? CategoryCode { get; set; }
    public string? WasteCode { get; set; }

    /// Derived from the waste code (an asterisked List of Waste entry) or from the engine's classifier.
    public bool IsHazardous { get; set; }
    public double? Quantity { get; set; }
    public QuantityUnit? Unit { get; set; }
    public Frequency Frequency { get; set; }

    /// Quantity per year in the listing's unit; derived from quantity and frequency.
    public double? AnnualQuantity { get; set; }
    public DateOnly? AvailableFrom { get; set; }
    public DateOnly? AvailableUntil { get; set; }
    public PriceMode PriceMode { get; set; }
    public double? PriceEur { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    public string? CommuneInsee { get; set; }
    public string? CommuneName { get; set; }

    /// When set, the public location is rounded so that a private address is not revealed.
    public bool ApproximateLocation { get; set; }
    public bool OpenToNeighbours { get; set; }
    public ListingStatus Status { get; set; }
    public string? ExternalKey { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? PublishedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }

    /// Set when the "your listing expires soon" e-mail left; cleared when the listing is renewed.
    public DateTime? RenewalReminderSentAt { get; set; }

    /// Bumped on every change: optimistic concurrency for reservations and edits.
    public int Version { get; set; }

    public Organisations.Organisation? Organisation { get; set; }
    public Category? Category { get; set; }
    public List<ListingPhoto> Photos { get; set; } = [];

    /// The engine's rule, so that the figure shown and the figure matched are the same.
    public static double? Annualise(double? quantity, Frequency frequency) =>
        quantity * Boucle.Matching.Engine.Flows.PerYear(ListingLabels.Api(frequency));
}

public sealed class ListingPhoto
{
    public int Id { get; set; }
    public int ListingId { get; set; }
    public required string FileName { get; set; }
    public required string AltText { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public int SortOrder { get; set; }
}

/// One analysed search term of a listing: the inverted index that gives the same answers on both databases.
/// It carries the listing's type and point (written with the terms, which ListingWriter rewrites on every
/// save) so that the search reads the postings in a circle without touching the listings (ADR 0014).
public sealed class ListingTerm
{
    public int ListingId { get; set; }
    public required string Term { get; set; }
    public int Weight { get; set; }
    public ListingType Type { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }

    public static IEnumerable<ListingTerm> For(Listing listing, SearchText text) =>
        text.IndexTerms(listing.Title, listing.Description).Select(t => new ListingTerm
        {
            ListingId = listing.Id,
            Term = t.Term,
            Weight = t.Weight,
            Type = listing.Type,
            Latitude = listing.Latitude,
            Longitude = listing.Longitude,
        });
}
