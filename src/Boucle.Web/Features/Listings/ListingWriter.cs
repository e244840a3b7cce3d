using Boucle.Web.Data;
using Boucle.Web.Features.Organisations;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Listings;

/// What a person types to post or edit a listing; the same rules for pages, API, imports and seed.
public sealed record ListingInput
{
    public ListingType? Type { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public double? Quantity { get; init; }
    public QuantityUnit? Unit { get; init; }
    public Frequency? Frequency { get; init; }
    public PriceMode? PriceMode { get; init; }
    public double? PriceEur { get; init; }
    public string? CategoryCode { get; init; }
    public string? WasteCode { get; init; }
    public DateOnly? AvailableFrom { get; init; }
    public DateOnly? AvailableUntil { get; init; }
    public bool ApproximateLocation { get; init; }
    public bool OpenToNeighbours { get; init; }
    public double? Latitude { get; init; }
    public double? Longitude { get; init; }
}

public sealed class ListingWriter(AppDbContext db, SearchText text, TimeProvider time, WasteCodes wasteCodes, Synergies.ListingChanges changes, Moderation.ModerationGate gate)
{
    /// Field errors in French, keyed by the input's property names.
    public async Task<Dictionary<string, string[]>> ValidateAsync(ListingInput input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (input.Type is null)
        {
            errors[nameof(input.Type)] = ["Choisissez « offre » ou « besoin »."];
        }

        var title = input.Title?.Trim();
        if (string.IsNullOrEmpty(title))
        {
            errors[nameof(input.Title)] = ["Donnez un titre à l'annonce."];
        }
        else if (title.Length < 4 || title.Length > 140)
        {
            errors[nameof(input.Title)] = ["Le titre doit faire entre 4 et 140 caractères."];
        }

        if (input.Description is { Length: > 4000 })
        {
            errors[nameof(input.Description)] = ["La description est limitée à 4 000 caractères."];
        }

        if (input.Quantity is { } q && (q <= 0 || q > 1e9 || double.IsNaN(q)))
        {
            errors[nameof(input.Quantity)] = ["La quantité doit être un nombre positif."];
        }

        if (input.Quantity is not null && input.Unit is null)
        {
            errors[nameof(input.Unit)] = ["Précisez l'unité de la quantité."];
        }

        if (input.PriceMode == Listings.PriceMode.Price && (input.PriceEur is null || input.PriceEur < 0 || input.PriceEur > 1e8))
        {
            errors[nameof(input.PriceEur)] = ["Indiquez un prix en euros (0 ou plus)."];
        }

        if (input.AvailableFrom is { } from && input.AvailableUntil is { } until && until < from)
        {
            errors[nameof(input.AvailableUntil)] = ["La fin de disponibilité doit suivre le début."];
        }

        if (!string.IsNullOrWhiteSpace(input.WasteCode) && wasteCodes.Find(input.WasteCode) is null)
        {
            errors[nameof(input.WasteCode)] = ["Code déchet inconnu : six chiffres de la liste européenne, par exemple 15 01 03."];
        }

        // PostgreSQL refuses the NUL character in text (a 500 found by the bad-input tests); other
        // control characters have no business in a listing either. Tab and line breaks stay.
        foreach (var (field, text) in new[] { (nameof(input.Title), input.Title), (nameof(input.Description), input.Description), (nameof(input.CategoryCode), input.CategoryCode), (nameof(input.WasteCode), input.WasteCode) })
        {
            if (text is not null && text.Any(c => char.IsControl(c) && c is not ('\t' or '\r' or '\n')))
            {
                errors[field] = ["Ce texte contient un caractère de contrôle non autorisé."];
            }
        }

        if (!string.IsNullOrWhiteSpace(input.CategoryCode) && !errors.ContainsKey(nameof(input.CategoryCode)) && !await db.Categories.AnyAsync(c => c.Code == input.CategoryCode, ct))
        {
            errors[nameof(input.CategoryCode)] = ["Catégorie inconnue."];
        }

        if (input.Latitude is { } lat && (lat < -90 || lat > 90) || input.Longitude is { } lon && (lon < -180 || lon > 180))
        {
            errors[nameof(input.Latitude)] = ["Coordonnées hors limites."];
        }

        return errors;
    }

    /// Applies a valid input to a new or existing listing of the organisation and refreshes its search terms.
    public async Task<Listing> ApplyAsync(Listing? listing, Organisation organisation, ListingInput input, ListingStatus status, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var isNew = listing is null;
        status = await gate.StatusToSaveAsync(listing?.Id, listing?.Status, organisation.TerritoryId, status, ct);
        // The listing and its search terms change together or not at all.
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        listing ??= new Listing { Title = "", CreatedAt = now, TerritoryId = organisation.TerritoryId, OrganisationId = organisation.Id };
        listing.Type = input.Type!.Value;
        listing.Title = input.Title!.Trim();
        listing.Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim();
        listing.Quantity = input.Quantity;
        listing.Unit = input.Quantity is null ? input.Unit : input.Unit;
        listing.Frequency = input.Frequency ?? Frequency.Once;
        listing.AnnualQuantity = Listing.Annualise(input.Quantity, listing.Frequency);
        listing.PriceMode = input.PriceMode ?? PriceMode.Free;
        listing.PriceEur = listing.PriceMode == PriceMode.Price ? input.PriceEur : null;
        listing.CategoryCode = string.IsNullOrWhiteSpace(input.CategoryCode) ? null : input.CategoryCode;
        var waste = string.IsNullOrWhiteSpace(input.WasteCode) ? null : wasteCodes.Find(input.WasteCode);
        listing.WasteCode = waste?.Code;
        listing.IsHazardous = waste?.Hazardous ?? false;
        listing.AvailableFrom = input.AvailableFrom;
        listing.AvailableUntil = input.AvailableUntil;
        listing.ApproximateLocation = input.ApproximateLocation;
        listing.OpenToNeighbours = input.OpenToNeighbours;
        listing.Latitude = input.Latitude ?? organisation.Latitude ?? 0;
        listing.Longitude = input.Longitude ?? organisation.Longitude ?? 0;
        listing.CommuneInsee = organisation.CommuneInsee;
        listing.CommuneName = organisation.CommuneName;
        listing.UpdatedAt = now;
        listing.Version++;
        if (listing.Status != status)
        {
            listing.Status = status;
            if (status == ListingStatus.Published)
            {
                listing.PublishedAt = now;
                var days = await db.Territories.Where(t => t.Id == organisation.TerritoryId).Select(t => t.ListingExpiryDays).SingleAsync(ct);
                listing.ExpiresAt = now.AddDays(days);
                listing.RenewalReminderSentAt = null;
            }
        }

        if (isNew)
        {
            db.Listings.Add(listing);
            await db.SaveChangesAsync(ct);
        }
        else
        {
            await db.ListingTerms.Where(t => t.ListingId == listing.Id).ExecuteDeleteAsync(ct);
        }

        db.ListingTerms.AddRange(ListingTerm.For(listing, text));

        await db.SaveChangesAsync(ct);
        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }

        changes.Bump();
        return listing;
    }
}

public static class ListingServices
{
    public static IServiceCollection AddListings(this IServiceCollection services)
    {
        services.AddSingleton<SearchText>();
        services.AddSingleton<WasteCodes>();
        services.AddSingleton<CategoryCatalogue>();
        services.AddScoped<ListingSearch>();
        services.AddScoped<ListingWriter>();
        services.AddSingleton<PhotoStore>();
        services.AddSingleton<ListingExpiry>();
        services.AddHostedService(sp => sp.GetRequiredService<ListingExpiry>());
        return services;
    }
}
