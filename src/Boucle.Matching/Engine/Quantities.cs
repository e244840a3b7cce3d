using System.Globalization;

namespace Boucle.Matching.Engine;

/// <summary>Dimension of an annualised quantity.</summary>
internal enum Dimension
{
    None,
    Mass,
    Volume,
    Pieces,
    Area,
    Time,
}

/// <summary>Regularity of a flow.</summary>
internal enum Regularity
{
    Unknown,
    Once,
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
    Continuous,
}

/// <summary>The engine's rule for flows over a year, shared with the application so both annualise alike.</summary>
public static class Flows
{
    /// <summary>How many times a year a flow of this frequency occurs (working days for daily flows; a continuous flow keeps its rate).</summary>
    /// <param name="frequency">once, daily, weekly, monthly, quarterly, yearly or continuous (French words accepted too).</param>
    public static double PerYear(string? frequency) => Quantities.PerYear(Quantities.ParseFrequency(frequency));
}

/// <summary>Unit and frequency conversions: everything becomes an amount per year in kg, L, pieces, m² or days.</summary>
internal static class Quantities
{
    private static readonly CultureInfo Fr = CultureInfo.GetCultureInfo("fr-FR");

    public static Regularity ParseFrequency(string? f) => (f ?? string.Empty).Trim().ToLowerInvariant() switch
    {
        "once" or "ponctuel" or "ponctuelle" or "unique" or "une fois" => Regularity.Once,
        "daily" or "quotidien" or "quotidienne" or "jour" => Regularity.Daily,
        "weekly" or "hebdomadaire" or "semaine" => Regularity.Weekly,
        "monthly" or "mensuel" or "mensuelle" or "mois" => Regularity.Monthly,
        "quarterly" or "trimestriel" or "trimestrielle" => Regularity.Quarterly,
        "yearly" or "annual" or "annuel" or "annuelle" or "saisonnier" or "seasonal" => Regularity.Yearly,
        "continuous" or "continu" or "continue" or "permanent" => Regularity.Continuous,
        _ => Regularity.Unknown,
    };

    public static bool IsKnownFrequency(string? f) => string.IsNullOrWhiteSpace(f) || ParseFrequency(f) != Regularity.Unknown;

    /// <summary>Periods per year; working days for daily flows (canteens, shops).</summary>
    internal static double PerYear(Regularity r) => r switch
    {
        Regularity.Daily => 250,
        Regularity.Weekly => 52,
        Regularity.Monthly => 12,
        Regularity.Quarterly => 4,
        _ => 1,
    };

    public static (Dimension Dim, double Factor) ParseUnit(string? unit) => (unit ?? string.Empty).Trim().ToLowerInvariant() switch
    {
        "g" => (Dimension.Mass, 0.001),
        "kg" or "kilo" or "kilos" or "kilogramme" or "kilogrammes" => (Dimension.Mass, 1),
        "q" or "quintal" or "quintaux" => (Dimension.Mass, 100),
        "t" or "tonne" or "tonnes" or "ton" or "tons" => (Dimension.Mass, 1000),
        "l" or "litre" or "litres" or "liter" or "liters" => (Dimension.Volume, 1),
        "cl" => (Dimension.Volume, 0.01),
        "hl" or "hectolitre" or "hectolitres" => (Dimension.Volume, 100),
        "m3" or "m³" or "mc" or "stere" or "stère" or "stères" => (Dimension.Volume, 1000),
        "piece" or "pieces" or "pièce" or "pièces" or "u" or "unit" or "units" or "unité" or "unités" or "pcs" or "pc" => (Dimension.Pieces, 1),
        "m2" or "m²" => (Dimension.Area, 1),
        "ha" or "hectare" or "hectares" => (Dimension.Area, 10_000),
        "day" or "days" or "jour" or "jours" => (Dimension.Time, 1),
        "h" or "hour" or "hours" or "heure" or "heures" => (Dimension.Time, 1 / 8.0),
        _ => (Dimension.None, 0),
    };

    /// <summary>Amount per year (or the one-off amount), or null when it cannot be computed.</summary>
    public static (Dimension Dim, double Amount)? Annualise(decimal? quantity, string? unit, Regularity regularity)
    {
        if (quantity is not { } q || q <= 0)
        {
            return null;
        }

        var (dim, factor) = ParseUnit(unit);
        if (dim == Dimension.None || regularity == Regularity.Continuous)
        {
            return null;
        }

        return (dim, (double)q * factor * PerYear(regularity));
    }

    public static string Format((Dimension Dim, double Amount) a, bool perYear)
    {
        var suffix = perYear ? "/an" : string.Empty;
        return a.Dim switch
        {
            Dimension.Mass when a.Amount >= 1000 => Number(a.Amount / 1000) + " t" + suffix,
            Dimension.Mass => Number(a.Amount) + " kg" + suffix,
            Dimension.Volume when a.Amount >= 1000 => Number(a.Amount / 1000) + " m³" + suffix,
            Dimension.Volume => Number(a.Amount) + " L" + suffix,
            Dimension.Pieces => Number(a.Amount) + " pièces" + suffix,
            Dimension.Area => Number(a.Amount) + " m²" + suffix,
            Dimension.Time => Number(a.Amount) + " jours" + suffix,
            _ => Number(a.Amount),
        };
    }

    public static string Number(double v)
    {
        // Two significant figures are enough for a reason shown to a person.
        var rounded = v >= 100 ? Math.Round(v / Math.Pow(10, Math.Floor(Math.Log10(v)) - 1)) * Math.Pow(10, Math.Floor(Math.Log10(v)) - 1)
            : v >= 10 ? Math.Round(v) : Math.Round(v, 1);
        return rounded.ToString("#,0.#", Fr).Replace('\u202f', ' ').Replace('\u00a0', ' ');
    }

    public static string Describe(Regularity r) => r switch
    {
        Regularity.Once => "ponctuel",
        Regularity.Daily => "flux quotidien",
        Regularity.Weekly => "flux hebdomadaire",
        Regularity.Monthly => "flux mensuel",
        Regularity.Quarterly => "flux trimestriel",
        Regularity.Yearly => "flux annuel",
        Regularity.Continuous => "flux continu",
        _ => string.Empty,
    };
}
