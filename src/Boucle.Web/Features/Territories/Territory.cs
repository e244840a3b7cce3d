namespace Boucle.Web.Features.Territories;

/// A territory run by one hub: its perimeter, its facilitators and its rules.
public sealed class Territory
{
    public int Id { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }

    /// The instance's main territory answers when no territory is named (API defaults, CLI).
    public bool IsMain { get; set; }

    /// Perimeter as a GeoJSON polygon; the commune list below is the usual way to set it.
    public string? PerimeterGeoJson { get; set; }

    public double DefaultRadiusKm { get; set; } = 30;
    public int ListingExpiryDays { get; set; } = 60;
    public bool PreModeration { get; set; }
    public bool OpenToNeighbours { get; set; }
    public double CenterLatitude { get; set; }
    public double CenterLongitude { get; set; }
    public DateTime CreatedAt { get; set; }

    public List<TerritoryCommune> Communes { get; set; } = [];
    public List<TerritoryFacilitator> Facilitators { get; set; } = [];
}

public sealed class TerritoryCommune
{
    public int TerritoryId { get; set; }
    public required string CommuneInsee { get; set; }
}

public sealed class TerritoryFacilitator
{
    public int TerritoryId { get; set; }
    public required string UserId { get; set; }
    public DateTime Since { get; set; }
}
