using Boucle.Web.Features.Listings;

namespace Boucle.Web.Features.Deposits;

public static class DepositGeo
{
    /// Organisations a shared cell or deposit must count before it is shown to people outside the hub,
    /// as in the statistical secrecy rule of public statistics: fewer would point at one company's waste.
    public const int MinimumOrganisations = 3;

    /// The grid as GeoJSON squares; the map draws them, the page's table says the same in words.
    public static object Cells(IEnumerable<DepositCell> cells) => new
    {
        type = "FeatureCollection",
        features = cells.Select(c => new
        {
            type = "Feature",
            geometry = new
            {
                type = "Polygon",
                coordinates = new[] { new[] { new[] { c.West, c.South }, [c.East, c.South], [c.East, c.North], [c.West, c.North], [c.West, c.South] } },
            },
            properties = new
            {
                type = c.Type == ListingType.Offer ? "offer" : "need",
                listings = c.Listings,
                organisations = c.Organisations,
                tonnes = Math.Round(c.Tonnes, 3),
            },
        }),
    };
}
