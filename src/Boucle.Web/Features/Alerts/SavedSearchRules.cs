using System.Globalization;
using Boucle.Web.Data;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Reference;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Alerts;

/// The criteria of /annonces, as they arrive from the search form (same parameter names).
public sealed record SearchCriteria(string? Q, string? Type, string? Category, string? Commune, int? Rayon,
    string? Regularite = null, string? PriceMode = null, string? OrgKind = null, string? Waste = null)
{
    public bool IsEmpty => string.IsNullOrWhiteSpace(Q) && string.IsNullOrWhiteSpace(Type) && string.IsNullOrWhiteSpace(Category) && string.IsNullOrWhiteSpace(Commune);
}

public static class SavedSearchRules
{
    public const int MaxPerPerson = 50;

    public static string? ValidName(string? name, ModelStateDictionary modelState, string key)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            modelState.AddModelError(key, "Donnez un nom à cette recherche.");
            return null;
        }

        if (trimmed.Length > 100)
        {
            modelState.AddModelError(key, "Le nom est limité à 100 caractères.");
            return null;
        }

        return trimmed;
    }

    public static AlertFrequency? ValidFrequency(string? frequency, ModelStateDictionary modelState, string key)
    {
        var parsed = AlertServices.ParseFrequency(frequency);
        if (parsed is null)
        {
            modelState.AddModelError(key, "Choisissez une fréquence : dès la publication, une fois par jour ou une fois par semaine.");
        }

        return parsed;
    }

    /// Checks the criteria and fills them into the search; errors go to the form's summary.
    public static async Task ApplyCriteriaAsync(SavedSearch search, SearchCriteria criteria, AppDbContext db, ReferenceData reference, ModelStateDictionary modelState, CancellationToken ct)
    {
        var words = criteria.Q?.Trim();
        if (words is { Length: > 200 })
        {
            modelState.AddModelError(string.Empty, "La recherche est limitée à 200 caractères.");
        }

        search.Words = string.IsNullOrEmpty(words) ? null : words;
        search.Type = criteria.Type switch
        {
            null or "" => null,
            "offer" => ListingType.Offer,
            "need" => ListingType.Need,
            _ => AddError<ListingType>(modelState, "Type d'annonce inconnu : offres ou besoins."),
        };
        search.Category = string.IsNullOrWhiteSpace(criteria.Category) ? null : criteria.Category.Trim();
        if (search.Category is not null && (search.Category.Length > 64 || !await db.Categories.AnyAsync(c => c.Code == search.Category, ct)))
        {
            modelState.AddModelError(string.Empty, "Catégorie inconnue.");
        }

        search.ListingFrequency = string.IsNullOrWhiteSpace(criteria.Regularite) ? null
            : ListingLabels.ParseFrequency(criteria.Regularite) ?? AddError<Frequency>(modelState, "Régularité inconnue.");
        search.PriceMode = string.IsNullOrWhiteSpace(criteria.PriceMode) ? null
            : ListingLabels.ParsePriceMode(criteria.PriceMode) ?? AddError<PriceMode>(modelState, "Conditions inconnues.");
        search.OrganisationKind = string.IsNullOrWhiteSpace(criteria.OrgKind) ? null
            : OrganisationLabels.Parse(criteria.OrgKind) ?? AddError<OrganisationKind>(modelState, "Type de structure inconnu.");
        search.WastePrefix = string.IsNullOrWhiteSpace(criteria.Waste) ? null
            : ListingQuery.ParseWastePrefix(criteria.Waste);
        if (!string.IsNullOrWhiteSpace(criteria.Waste) && search.WastePrefix is null)
        {
            modelState.AddModelError(string.Empty, "Code déchet : un chapitre (02), un sous-chapitre (02 07) ou un code (02 07 04).");
        }

        search.Commune = null;
        search.Latitude = null;
        search.Longitude = null;
        search.RadiusKm = null;
        if (!string.IsNullOrWhiteSpace(criteria.Commune))
        {
            var commune = criteria.Commune.Length > 100 ? null : reference.FindCommunes(criteria.Commune, 1).FirstOrDefault();
            if (commune is null)
            {
                modelState.AddModelError(string.Empty, "Commune introuvable : essayez son code postal.");
            }
            else
            {
                search.Commune = criteria.Commune.Trim();
                search.Latitude = commune.Latitude;
                search.Longitude = commune.Longitude;
                search.RadiusKm = Math.Clamp(criteria.Rayon ?? 30, 1, 200);
            }
        }
    }

    public static string Describe(SavedSearch s, IReadOnlyDictionary<string, string> categoryLabels)
    {
        var parts = new List<string>();
        if (s.Words is not null)
        {
            parts.Add($"« {s.Words} »");
        }

        if (s.Type is { } t)
        {
            parts.Add(t == ListingType.Offer ? "offres" : "besoins");
        }

        if (s.Category is not null)
        {
            parts.Add("catégorie " + categoryLabels.GetValueOrDefault(s.Category, s.Category));
        }

        if (s.ListingFrequency is { } f)
        {
            parts.Add("flux " + ListingLabels.Fr(f));
        }

        if (s.PriceMode is { } p)
        {
            parts.Add(ListingLabels.Fr(p));
        }

        if (s.OrganisationKind is { } k)
        {
            parts.Add("structures : " + OrganisationLabels.Fr(k));
        }

        if (s.WastePrefix is not null)
        {
            parts.Add("code déchet " + s.WastePrefix);
        }

        if (s.Commune is not null && s.RadiusKm is { } r)
        {
            parts.Add($"à moins de {r.ToString("0", CultureInfo.InvariantCulture)} km de {s.Commune}");
        }

        return parts.Count == 0 ? "toutes les annonces" : string.Join(" · ", parts);
    }

    private static T? AddError<T>(ModelStateDictionary modelState, string message)
        where T : struct
    {
        modelState.AddModelError(string.Empty, message);
        return null;
    }
}
