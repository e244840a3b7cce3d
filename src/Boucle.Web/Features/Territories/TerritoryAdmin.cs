using System.Globalization;
using Boucle.Web.Data;
using Boucle.Web.Features.Reference;
using Boucle.Web.Features.Synergies;
using Boucle.Web.Features.Workspace;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Territories;

public static class TerritoryServices
{
    public static IServiceCollection AddTerritories(this IServiceCollection services)
    {
        services.AddScoped<TerritoryAdmin>();
        return services;
    }
}

public sealed record TerritoryInput
{
    public string? Name { get; init; }

    /// INSEE codes, postal codes or names, one per line or separated by commas.
    public string? Communes { get; init; }

    /// The SIREN of an intercommunality (EPCI): its communes become the perimeter.
    public string? Epci { get; init; }
    public bool OpenToNeighbours { get; init; }
}

/// Administrators' side of territories: creation from communes or an EPCI, facilitators, sharing.
public sealed class TerritoryAdmin(AppDbContext db, ReferenceData reference, AuditLog audit, TimeProvider time, ListingChanges changes)
{
    /// The communes of the perimeter, or French errors keyed by field.
    public (Dictionary<string, string[]> Errors, IReadOnlyList<Commune> Communes, string? EpciName) Perimeter(TerritoryInput input)
    {
        var errors = new Dictionary<string, string[]>();
        var communes = new List<Commune>();
        string? epciName = null;
        var epci = input.Epci?.Replace(" ", "", StringComparison.Ordinal);
        if (!string.IsNullOrEmpty(epci))
        {
            if (epci.Length != 9 || !epci.All(char.IsAsciiDigit))
            {
                errors[nameof(input.Epci)] = ["Le SIREN d'une intercommunalité compte 9 chiffres, par exemple 200070647."];
            }
            else
            {
                var members = reference.AllCommunes.Where(c => c.EpciSiren == epci).OrderBy(c => c.Insee, StringComparer.Ordinal).ToList();
                if (members.Count == 0)
                {
                    errors[nameof(input.Epci)] = [$"Aucune commune n'appartient à l'intercommunalité {epci} dans le référentiel des communes."];
                }

                communes.AddRange(members);
                epciName = members.FirstOrDefault()?.EpciName;
            }
        }

        var unknown = new List<string>();
        foreach (var token in (input.Communes ?? "").Split([',', ';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var found = reference.Commune(token) is { } byCode ? [byCode] : reference.CommunesByPostalCode(token) is { Count: 1 } byPostal ? byPostal
                : reference.FindCommunes(token, 50).Where(c => ReferenceData.Fold(c.Name) == ReferenceData.Fold(token)).ToList();
            if (found.Count == 1)
            {
                communes.Add(found[0]);
            }
            else
            {
                unknown.Add(found.Count == 0 ? $"« {token} » introuvable" : $"« {token} » ambigu ({string.Join(", ", found.Take(3).Select(c => $"{c.Name} {c.Insee}"))})");
            }
        }

        if (unknown.Count > 0)
        {
            errors[nameof(input.Communes)] = [$"Indiquez le code INSEE : {string.Join(" ; ", unknown)}."];
        }

        if (communes.Count == 0 && errors.Count == 0)
        {
            errors[nameof(input.Communes)] = ["Indiquez les communes du territoire, ou le SIREN d'une intercommunalité."];
        }

        return (errors, communes.DistinctBy(c => c.Insee).ToList(), epciName);
    }

    public async Task<(Dictionary<string, string[]> Errors, Territory? Territory)> CreateAsync(TerritoryInput input, CancellationToken ct)
    {
        var (errors, communes, epciName) = Perimeter(input);
        var name = string.IsNullOrWhiteSpace(input.Name) ? epciName : input.Name.Trim();
        if (name is null || name.Length is < 2 or > 200)
        {
            errors[nameof(input.Name)] = ["Indiquez le nom du territoire (2 à 200 caractères)."];
        }

        var slug = name is null ? "" : Slug(name);
        if (slug.Length > 0 && await db.Territories.AnyAsync(t => t.Slug == slug, ct))
        {
            errors[nameof(input.Name)] = [$"Un territoire porte déjà ce nom ({slug})."];
        }

        if (errors.Count > 0)
        {
            return (errors, null);
        }

        // The centre is the mean of the communes' centroids; the default radius reaches the farthest one.
        var lat = communes.Average(c => c.Latitude);
        var lon = communes.Average(c => c.Longitude);
        var radius = Math.Max(10, Math.Ceiling(communes.Max(c => Geo.DistanceKm(lat, lon, c.Latitude, c.Longitude)) / 5) * 5);
        var territory = new Territory
        {
            Slug = slug,
            Name = name!,
            IsMain = !await db.Territories.AnyAsync(ct),
            CenterLatitude = lat,
            CenterLongitude = lon,
            DefaultRadiusKm = radius,
            OpenToNeighbours = input.OpenToNeighbours,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        territory.Communes.AddRange(communes.Select(c => new TerritoryCommune { CommuneInsee = c.Insee }));
        db.Territories.Add(territory);
        await db.SaveChangesAsync(ct);
        await audit.AddAsync(territory.Id, WorkspaceAudit.TerritoryCreate, "territory", territory.Id, territory.Name,
            string.Create(CultureInfo.InvariantCulture, $"{communes.Count} commune(s){(epciName is null ? "" : $", intercommunalité {input.Epci?.Trim()} ({epciName})")}"), ct);
        await db.SaveChangesAsync(ct);
        changes.Bump();
        return (errors, territory);
    }

    public async Task<string?> AddFacilitatorAsync(int territoryId, string? email, CancellationToken ct)
    {
        var territory = await db.Territories.SingleAsync(t => t.Id == territoryId, ct);
        var normalised = email?.Trim().ToUpperInvariant();
        var user = string.IsNullOrEmpty(normalised) ? null : await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalised, ct);
        if (user is null)
        {
            return "Aucun compte n'a cette adresse : la personne crée d'abord son compte sur Boucle.";
        }

        if (await db.TerritoryFacilitators.AnyAsync(f => f.TerritoryId == territoryId && f.UserId == user.Id, ct))
        {
            return null;
        }

        db.TerritoryFacilitators.Add(new TerritoryFacilitator { TerritoryId = territoryId, UserId = user.Id, Since = time.GetUtcNow().UtcDateTime });
        await audit.AddAsync(territoryId, WorkspaceAudit.FacilitatorAdd, "territory", territoryId, territory.Name, user.Email, ct);
        await db.SaveChangesAsync(ct);
        return null;
    }

    public async Task RemoveFacilitatorAsync(int territoryId, string userId, CancellationToken ct)
    {
        var territory = await db.Territories.SingleAsync(t => t.Id == territoryId, ct);
        var row = await db.TerritoryFacilitators.SingleOrDefaultAsync(f => f.TerritoryId == territoryId && f.UserId == userId, ct);
        if (row is null)
        {
            return;
        }

        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(ct);
        db.TerritoryFacilitators.Remove(row);
        await audit.AddAsync(territoryId, WorkspaceAudit.FacilitatorRemove, "territory", territoryId, territory.Name, email, ct);
        await db.SaveChangesAsync(ct);
    }

    /// Days a listing stays published before it expires (applied when a listing is published or renewed).
    public const int MinExpiryDays = 7;
    public const int MaxExpiryDays = 365;

    /// Sets how long this territory's listings stay published; returns a French error, or null once saved.
    public async Task<string?> SetListingExpiryDaysAsync(int territoryId, string? days, CancellationToken ct)
    {
        if (!int.TryParse(days?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value is < MinExpiryDays or > MaxExpiryDays)
        {
            return $"Indiquez un nombre entier de jours, de {MinExpiryDays} à {MaxExpiryDays}.";
        }

        var territory = await db.Territories.SingleAsync(t => t.Id == territoryId, ct);
        if (territory.ListingExpiryDays == value)
        {
            return null;
        }

        var before = territory.ListingExpiryDays;
        territory.ListingExpiryDays = value;
        await audit.AddAsync(territoryId, WorkspaceAudit.ListingExpiry, "territory", territoryId, territory.Name,
            string.Create(CultureInfo.InvariantCulture, $"{before} → {value} jours"), ct);
        await db.SaveChangesAsync(ct);
        return null;
    }

    public async Task SetSharingAsync(int territoryId, bool open, CancellationToken ct)
    {
        var territory = await db.Territories.SingleAsync(t => t.Id == territoryId, ct);
        if (territory.OpenToNeighbours == open)
        {
            return;
        }

        territory.OpenToNeighbours = open;
        await audit.AddAsync(territoryId, open ? WorkspaceAudit.SharingOn : WorkspaceAudit.SharingOff, "territory", territoryId, territory.Name, null, ct);
        await db.SaveChangesAsync(ct);
        changes.Bump();
    }

    public static string Slug(string name)
    {
        var folded = ReferenceData.Fold(name).Replace(' ', '-');
        return folded.Length > 64 ? folded[..64].TrimEnd('-') : folded;
    }
}

/// Which territories' listings flagged "open to neighbours" a territory sees in its searches and matches.
public static class TerritoryNeighbours
{
    public sealed record Place(int Id, double Latitude, double Longitude, double RadiusKm, bool Shares);

    /// Two territories are neighbours when their centres are closer than the sum of their default radii, that is
    /// when their usual search areas overlap. A listing crosses over only if its territory shares (the
    /// administrators' choice) and the listing itself is flagged open to neighbours.
    public static IReadOnlyList<int> SharingInto(IReadOnlyList<Place> places, int territoryId)
    {
        var self = places.FirstOrDefault(p => p.Id == territoryId);
        return self is null ? [] : [.. places.Where(p => p.Id != territoryId && p.Shares
            && Geo.DistanceKm(self.Latitude, self.Longitude, p.Latitude, p.Longitude) <= self.RadiusKm + p.RadiusKm).Select(p => p.Id)];
    }

    public static Task<List<Place>> PlacesAsync(AppDbContext db, CancellationToken ct) =>
        db.Territories.AsNoTracking().Select(t => new Place(t.Id, t.CenterLatitude, t.CenterLongitude, t.DefaultRadiusKm, t.OpenToNeighbours)).ToListAsync(ct);

    public static async Task<IReadOnlyList<int>> SharingIntoAsync(AppDbContext db, int territoryId, CancellationToken ct) =>
        SharingInto(await PlacesAsync(db, ct), territoryId);
}
