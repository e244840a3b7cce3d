namespace Boucle.Web.Features.Organisations;

public enum OrganisationKind
{
    Company,
    PublicBody,
    Association,
    Farm,
    Canteen,
    CompostingSite,
    Digester,
    Collector,
    Other,
}

public enum MemberRole
{
    Member,
    Manager,
    Owner,
}

/// An organisation (structure) acting on the platform: company, public body, farm, canteen...
public sealed class Organisation
{
    public int Id { get; set; }
    public int TerritoryId { get; set; }
    public required string Name { get; set; }

    /// Optional: informal groups have none. Checked with the Luhn algorithm when present.
    public string? Siret { get; set; }
    public string? NafCode { get; set; }
    public OrganisationKind Kind { get; set; }
    public string? Address { get; set; }
    public string? PostalCode { get; set; }
    public string? CommuneInsee { get; set; }
    public string? CommuneName { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public bool HazardousAuthorised { get; set; }
    public string? HazardousPermit { get; set; }
    public string? Description { get; set; }
    public string? Website { get; set; }
    public bool Verified { get; set; }
    public DateTime? VerifiedAt { get; set; }
    public bool Suspended { get; set; }
    public string? SuspendedReason { get; set; }

    /// Stable key of demo and imported rows, so that a second seed or import finds them.
    public string? ExternalKey { get; set; }
    public DateTime CreatedAt { get; set; }

    public List<Membership> Members { get; set; } = [];
}

public sealed class Membership
{
    public int OrganisationId { get; set; }
    public required string UserId { get; set; }
    public MemberRole Role { get; set; }
    public DateTime Since { get; set; }
    public Organisation? Organisation { get; set; }
}

/// An invitation by e-mail; only a hash of its token is stored.
public sealed class Invitation
{
    public int Id { get; set; }
    public int OrganisationId { get; set; }
    public required string Email { get; set; }
    public MemberRole Role { get; set; }
    public required string TokenHash { get; set; }
    public required string InvitedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? AcceptedAt { get; set; }
}
