namespace Boucle.Matching.Engine;

/// <summary>Whether a listing offers a resource ("j'ai") or looks for one ("je cherche").</summary>
public enum ListingKind
{
    /// <summary>An offer: "j'ai".</summary>
    Offer,

    /// <summary>A need: "je cherche".</summary>
    Need,
}

/// <summary>A listing as the engine sees it.</summary>
/// <param name="Id">Unique listing id.</param>
/// <param name="Kind">Offer or need.</param>
/// <param name="Organization">Key of the publishing organisation (never matched with itself).</param>
/// <param name="Title">Title, free French text.</param>
/// <param name="Description">Description, free text.</param>
/// <param name="Quantity">Quantity per occurrence (per <paramref name="Frequency"/> period).</param>
/// <param name="Unit">Unit: kg, t, g, L, m3, pieces, m2, days…</param>
/// <param name="Frequency">once, daily, weekly, monthly, quarterly, yearly or continuous (French words accepted).</param>
/// <param name="Latitude">WGS84 latitude.</param>
/// <param name="Longitude">WGS84 longitude.</param>
/// <param name="Commune">Commune name (display only).</param>
/// <param name="AuthorisedForHazardous">True when the organisation may take hazardous waste.</param>
/// <param name="CategoryCode">Category chosen by the user, if any (see <see cref="Knowledge.Taxonomy"/>).</param>
/// <param name="WasteCode">List of Waste code chosen by the user, if any.</param>
/// <param name="AvailableFrom">First day the resource is available or needed.</param>
/// <param name="AvailableTo">Last day the resource is available or needed.</param>
public sealed record MatchListing(
    string Id,
    ListingKind Kind,
    string Organization,
    string Title,
    string? Description = null,
    decimal? Quantity = null,
    string? Unit = null,
    string? Frequency = null,
    double? Latitude = null,
    double? Longitude = null,
    string? Commune = null,
    bool AuthorisedForHazardous = false,
    string? CategoryCode = null,
    string? WasteCode = null,
    DateOnly? AvailableFrom = null,
    DateOnly? AvailableTo = null);

/// <summary>The components of a match score, each between 0 and 1.</summary>
/// <param name="Pathway">Fit of the categories through a valorisation pathway, weighted by the waste hierarchy.</param>
/// <param name="Text">TF-IDF cosine similarity of the analysed texts (with thesaurus concepts).</param>
/// <param name="Distance">Proximity factor (1 next door, 0.5 at about 40 km; 0.5 when unknown).</param>
/// <param name="Quantity">Quantity and frequency fit (0.5 when unknown).</param>
/// <param name="Timing">Availability window fit (1 when compatible or unknown).</param>
public sealed record ScoreParts(double Pathway, double Text, double Distance, double Quantity, double Timing);

/// <summary>A proposed counterpart for a listing.</summary>
/// <param name="Id">Id of the counterpart listing.</param>
/// <param name="Score">0–1, higher is better.</param>
/// <param name="Pathway">Operation, e.g. "R0 réemploi", "R3 valorisation matière", "R1 valorisation énergétique".</param>
/// <param name="DistanceKm">Great-circle distance in km, when both listings have coordinates.</param>
/// <param name="Reasons">Short French phrases explaining the proposal.</param>
/// <param name="Parts">Score components.</param>
public sealed record MatchResult(string Id, double Score, string Pathway, double? DistanceKm, IReadOnlyList<string> Reasons, ScoreParts Parts);
