using Boucle.Bench.Generator;
using Boucle.Matching.Engine;

namespace Boucle.Bench.Matching;

/// <summary>Turns a generated territory into the engine's listings, as the web app does with its database rows.</summary>
public static class TerritoryListings
{
    /// <summary>One <see cref="MatchListing"/> per generated listing, in the same order.</summary>
    /// <param name="organisations">The territory's organisations (for the authorisation flag and the commune).</param>
    /// <param name="listings">The listings to convert.</param>
    public static MatchListing[] ToMatchListings(IReadOnlyList<GeneratedOrganisation> organisations, IEnumerable<GeneratedListing> listings)
    {
        var byKey = organisations.ToDictionary(o => o.Key, StringComparer.Ordinal);
        return [.. listings.Select(l => ToMatchListing(byKey[l.OrganisationKey], l))];
    }

    /// <summary>The engine's view of one generated listing.</summary>
    /// <param name="organisation">Its organisation.</param>
    /// <param name="l">The listing.</param>
    public static MatchListing ToMatchListing(GeneratedOrganisation organisation, GeneratedListing l) => new(
        l.Id,
        l.IsOffer ? ListingKind.Offer : ListingKind.Need,
        organisation.Key,
        l.Title,
        l.Description,
        l.Quantity is { } q ? (decimal)q : null,
        l.Unit,
        l.Frequency,
        l.Latitude,
        l.Longitude,
        Commune: null,
        AuthorisedForHazardous: organisation.HazardousAuthorised,
        CategoryCode: l.CategoryCode,
        WasteCode: l.WasteCode,
        AvailableFrom: l.AvailableFrom,
        AvailableTo: l.AvailableTo);
}
