using System.Globalization;

namespace Boucle.Web.Features.Loop;

/// Form and CSV rows arrive as text; one parser reads both, so a page and an import refuse the
/// same input with the same French message.
public sealed class FieldReader(Dictionary<string, string[]> errors)
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public Dictionary<string, string[]> Errors { get; } = errors;

    public void Add(string field, string message)
    {
        Errors[field] = Errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
    }

    public static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public DateOnly? Date(string field, string? text, bool required = true)
    {
        text = Clean(text);
        if (text is null)
        {
            if (required)
            {
                Add(field, "Indiquez la date (AAAA-MM-JJ).");
            }

            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            || DateOnly.TryParseExact(text, "dd/MM/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out d))
        {
            return d;
        }

        Add(field, $"« {text} » n'est pas une date (AAAA-MM-JJ).");
        return null;
    }

    /// Accepts "12.5" and "12,5" (ma-cantine asks for a dot; French spreadsheets write a comma).
    public double? Number(string field, string? text, bool required = false, double min = 0, double max = 1e9)
    {
        text = Clean(text)?.Replace(" ", "", StringComparison.Ordinal).Replace("\u00a0", "", StringComparison.Ordinal);
        if (text is null)
        {
            if (required)
            {
                Add(field, "Ce champ est obligatoire.");
            }

            return null;
        }

        if (!double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || double.IsNaN(v) || double.IsInfinity(v))
        {
            Add(field, $"« {text} » n'est pas un nombre.");
            return null;
        }

        if (v < min || v > max)
        {
            Add(field, $"La valeur doit être comprise entre {min.ToString(French)} et {max.ToString(French)}.");
            return null;
        }

        return v;
    }

    public int? Integer(string field, string? text, bool required = false, int min = 0, int max = 100_000_000)
    {
        var v = Number(field, text, required, min, max);
        if (v is null)
        {
            return null;
        }

        if (Math.Abs(v.Value - Math.Round(v.Value)) > 1e-9)
        {
            Add(field, "Saisissez un nombre entier.");
            return null;
        }

        return (int)Math.Round(v.Value);
    }

    /// ma-cantine's true values are OUI, oui and x; "true"/"1" come from HTML forms.
    public static bool Yes(string? text) => Clean(text)?.ToLowerInvariant() is "oui" or "x" or "true" or "on" or "1" or "yes";

    public static bool? YesNo(string? text) => Clean(text) is null ? null : Yes(text);

    public TEnum? Enum<TEnum>(string field, string? text, bool required, string expected)
        where TEnum : struct, System.Enum
    {
        text = Clean(text);
        if (text is null)
        {
            if (required)
            {
                Add(field, $"Choisissez une valeur ({expected}).");
            }

            return null;
        }

        if (System.Enum.TryParse<TEnum>(text.Replace("_", "", StringComparison.Ordinal), true, out var v) && System.Enum.IsDefined(v))
        {
            return v;
        }

        if (System.Enum.TryParse<TEnum>(text, true, out v) && System.Enum.IsDefined(v))
        {
            return v;
        }

        Add(field, $"« {text} » n'est pas une valeur possible ({expected}).");
        return null;
    }
}

public sealed class CanteenProfileForm
{
    public string? Sector { get; set; }
    public string? MealsPerDay { get; set; }
    public string? MealsPerYear { get; set; }
    public string? Management { get; set; }
    public string? Production { get; set; }
    public string? MaCantineId { get; set; }
    public string? DiagnosisDate { get; set; }
    public bool HasActionPlan { get; set; }
    public bool HasDonationAgreement { get; set; }
    public bool SortsBiowaste { get; set; }
    public string? LastDeclaredYear { get; set; }
}

/// ma-cantine's waste-measurement fields; the CSV columns carry ma-cantine's field names.
public sealed class MeasurementForm
{
    public string? PeriodStart { get; set; }
    public string? PeriodEnd { get; set; }
    public string? MealCount { get; set; }
    public string? TotalMass { get; set; }
    public string? PreparationTotal { get; set; }
    public string? PreparationEdible { get; set; }
    public string? PreparationInedible { get; set; }
    public string? PreparationSorted { get; set; }
    public string? UnservedTotal { get; set; }
    public string? UnservedEdible { get; set; }
    public string? UnservedInedible { get; set; }
    public string? UnservedSorted { get; set; }
    public string? LeftoversTotal { get; set; }
    public string? LeftoversEdible { get; set; }
    public string? LeftoversInedible { get; set; }
    public string? LeftoversSorted { get; set; }
}

/// ma-cantine's purchase columns (achats_siret_2026) plus quantity and supplier organisation.
public sealed class PurchaseForm
{
    public string? Date { get; set; }
    public string? Description { get; set; }
    public string? Supplier { get; set; }
    public string? PriceHt { get; set; }
    public string? Family { get; set; }
    public List<string> Labels { get; set; } = [];
    public string? Origin { get; set; }
    public bool ShortCircuit { get; set; }
    public bool Local { get; set; }
    public string? LocalDefinition { get; set; }
    public string? QuantityKg { get; set; }
    public string? SupplierOrganisationId { get; set; }
}

public sealed class TransferForm
{
    public string? Date { get; set; }
    public string? FromOrganisationId { get; set; }
    public string? ToOrganisationId { get; set; }
    public string? MassKg { get; set; }
    public bool Weighed { get; set; }
    public string? Stream { get; set; } = nameof(BiowasteStream.KitchenWaste);
    public string? Carrier { get; set; }
    public string? TransportMode { get; set; } = nameof(Exchanges.TransportMode.Truck);
    public string? DistanceKm { get; set; }
}

public sealed class OutputForm
{
    public string? SiteOrganisationId { get; set; }
    public string? PeriodStart { get; set; }
    public string? PeriodEnd { get; set; }
    public string? InputT { get; set; }
    public string? Product { get; set; } = nameof(TreatmentProduct.Compost);
    public string? OutputT { get; set; }
    public string? Standard { get; set; } = nameof(ProductStandard.NfU44051);
    public string? AnalysisReference { get; set; }
}

public sealed class DeliveryForm
{
    public string? Date { get; set; }
    public string? FromOrganisationId { get; set; }
    public string? ToOrganisationId { get; set; }
    public string? Product { get; set; } = nameof(TreatmentProduct.Compost);
    public string? MassT { get; set; }
    public string? AreaHa { get; set; }
    public string? Crop { get; set; }
}
