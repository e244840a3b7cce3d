using Boucle.Web.Data;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Reference;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Organisations;

public static class OrganisationServices
{
    public static IServiceCollection AddOrganisations(this IServiceCollection services)
    {
        services.AddScoped<OrganisationWriter>();
        services.AddScoped<MembershipService>();
        return services;
    }

    public static RouteGroupBuilder MapOrganisationsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/organizations/{id:int}", async Task<Results<Ok<OrganisationDto>, ProblemHttpResult>> (int id, AppDbContext db, CancellationToken ct) =>
        {
            var o = await db.Organisations.AsNoTracking().Where(o => o.Id == id && !o.Suspended)
                .Select(o => new OrganisationDto(o.Id, o.Name, OrganisationLabels.Api(o.Kind), o.NafCode, o.CommuneName, o.Description, o.Verified,
                    db.Listings.Count(l => l.OrganisationId == o.Id && l.Status == ListingStatus.Published)))
                .SingleOrDefaultAsync(ct);
            return o is null
                ? TypedResults.Problem(title: "Structure introuvable.", statusCode: StatusCodes.Status404NotFound)
                : TypedResults.Ok(o);
        }).WithName("GetOrganization").WithSummary("Le profil public d'une structure.");
        return api;
    }
}

public sealed record OrganisationDto(int Id, string Name, string Kind, string? Naf, string? Commune, string? Description, bool Verified, int PublishedListings);

public static class OrganisationLabels
{
    public static string Api(OrganisationKind k) => k switch
    {
        OrganisationKind.PublicBody => "public_body",
        OrganisationKind.CompostingSite => "composting_site",
        _ => k.ToString().ToLowerInvariant(),
    };

    public static OrganisationKind? Parse(string? text)
    {
        foreach (var k in Enum.GetValues<OrganisationKind>())
        {
            if (string.Equals(Api(k), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return k;
            }
        }

        return null;
    }

    public static string Fr(OrganisationKind k) => k switch
    {
        OrganisationKind.Company => "Entreprise",
        OrganisationKind.PublicBody => "Organisme public",
        OrganisationKind.Association => "Association, économie sociale et solidaire",
        OrganisationKind.Farm => "Exploitation agricole",
        OrganisationKind.Canteen => "Restaurant collectif",
        OrganisationKind.CompostingSite => "Plateforme de compostage",
        OrganisationKind.Digester => "Unité de méthanisation",
        OrganisationKind.Collector => "Collecteur, recycleur",
        _ => "Autre",
    };

    public static string Fr(MemberRole r) => r switch
    {
        MemberRole.Owner => "propriétaire",
        MemberRole.Manager => "gestionnaire",
        _ => "membre",
    };
}

public sealed record OrganisationInput
{
    public string? Name { get; init; }
    public string? Siret { get; init; }
    public string? NafCode { get; init; }
    public OrganisationKind? Kind { get; init; }
    public string? Address { get; init; }
    public string? Commune { get; init; }
    public string? Description { get; init; }
    public string? Website { get; init; }
    public bool HazardousAuthorised { get; init; }
    public string? HazardousPermit { get; init; }
}

public sealed class OrganisationWriter(AppDbContext db, ReferenceData reference, TimeProvider time)
{
    /// Validates and resolves the commune; returns French errors keyed by field.
    public (Dictionary<string, string[]> Errors, Commune? Commune, string? PostalCode) Validate(OrganisationInput input)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Trim().Length is < 2 or > 200)
        {
            errors[nameof(input.Name)] = ["Indiquez le nom de la structure (2 à 200 caractères)."];
        }

        var siret = Siret.Normalise(input.Siret);
        if (siret is not null && !Siret.IsValid(siret))
        {
            errors[nameof(input.Siret)] = ["Le SIRET doit compter 14 chiffres et sa clé de contrôle doit être juste."];
        }

        if (!string.IsNullOrWhiteSpace(input.NafCode) && reference.Naf(input.NafCode) is not { Level: "subclass" })
        {
            errors[nameof(input.NafCode)] = ["Code NAF inconnu : quatre chiffres et une lettre, par exemple 16.10A."];
        }

        if (input.Kind is null)
        {
            errors[nameof(input.Kind)] = ["Choisissez le type de structure."];
        }

        Commune? commune = null;
        string? postal = null;
        if (string.IsNullOrWhiteSpace(input.Commune))
        {
            errors[nameof(input.Commune)] = ["Indiquez la commune (nom, code postal ou code INSEE)."];
        }
        else
        {
            var found = reference.FindCommunes(input.Commune, 20);
            var exact = found.Where(c => c.Insee == input.Commune.Trim() || string.Equals(ReferenceData.Fold(c.Name), ReferenceData.Fold(input.Commune), StringComparison.Ordinal)).ToList();
            var candidates = exact.Count > 0 ? exact : found;
            if (candidates.Count == 1)
            {
                commune = candidates[0];
            }
            else if (candidates.Count == 0)
            {
                errors[nameof(input.Commune)] = ["Commune introuvable. Essayez son code postal."];
            }
            else
            {
                errors[nameof(input.Commune)] = [$"Plusieurs communes correspondent ({string.Join(", ", candidates.Take(5).Select(c => $"{c.Name} {c.Insee}"))}) : indiquez le code INSEE."];
            }

            postal = commune?.PostalCodes.FirstOrDefault(p => p == input.Commune.Trim()) ?? commune?.PostalCodes.FirstOrDefault();
        }

        if (input.HazardousAuthorised && string.IsNullOrWhiteSpace(input.HazardousPermit))
        {
            errors[nameof(input.HazardousPermit)] = ["Indiquez la référence de l'autorisation (arrêté ICPE, récépissé...)."];
        }

        if (!string.IsNullOrWhiteSpace(input.Website) && !(Uri.TryCreate(input.Website, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            errors[nameof(input.Website)] = ["L'adresse du site doit commencer par https://"];
        }

        return (errors, commune, postal);
    }

    public async Task<Organisation> CreateAsync(OrganisationInput input, Commune commune, string? postal, int territoryId, string ownerUserId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var organisation = new Organisation
        {
            TerritoryId = territoryId,
            Name = input.Name!.Trim(),
            Siret = Siret.Normalise(input.Siret),
            NafCode = string.IsNullOrWhiteSpace(input.NafCode) ? null : ReferenceData.NormaliseNaf(input.NafCode),
            Kind = input.Kind!.Value,
            Address = input.Address?.Trim(),
            PostalCode = postal,
            CommuneInsee = commune.Insee,
            CommuneName = commune.Name,
            Latitude = commune.Latitude,
            Longitude = commune.Longitude,
            Description = input.Description?.Trim(),
            Website = input.Website?.Trim(),
            HazardousAuthorised = input.HazardousAuthorised,
            HazardousPermit = input.HazardousAuthorised ? input.HazardousPermit?.Trim() : null,
            CreatedAt = now,
        };
        organisation.Members.Add(new Membership { UserId = ownerUserId, Role = MemberRole.Owner, Since = now });
        db.Organisations.Add(organisation);
        var user = await db.Users.SingleAsync(u => u.Id == ownerUserId, ct);
        await db.SaveChangesAsync(ct);
        user.CurrentOrganisationId = organisation.Id;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return organisation;
    }
}
