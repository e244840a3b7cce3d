namespace Boucle.Web.Features.Listings;

/// The words shown and accepted for the listing enumerations (API values and French labels).
public static class ListingLabels
{
    public static string Api(ListingType t) => t == ListingType.Offer ? "offer" : "need";

    public static string Fr(ListingType t) => t == ListingType.Offer ? "Offre" : "Besoin";

    public static string Api(QuantityUnit u) => u switch
    {
        QuantityUnit.Kg => "kg",
        QuantityUnit.T => "t",
        QuantityUnit.L => "L",
        QuantityUnit.M3 => "m3",
        QuantityUnit.M2 => "m2",
        QuantityUnit.Pieces => "pieces",
        QuantityUnit.Pallets => "pallets",
        QuantityUnit.Hours => "hours",
        QuantityUnit.Days => "days",
        QuantityUnit.KW => "kW",
        QuantityUnit.KWh => "kWh",
        _ => u.ToString(),
    };

    public static string Fr(QuantityUnit u) => u switch
    {
        QuantityUnit.Kg => "kg",
        QuantityUnit.T => "t",
        QuantityUnit.L => "L",
        QuantityUnit.M3 => "m³",
        QuantityUnit.M2 => "m²",
        QuantityUnit.Pieces => "pièces",
        QuantityUnit.Pallets => "palettes",
        QuantityUnit.Hours => "heures",
        QuantityUnit.Days => "jours",
        QuantityUnit.KW => "kW",
        QuantityUnit.KWh => "kWh",
        _ => u.ToString(),
    };

    public static QuantityUnit? ParseUnit(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var t = text.Trim();
        foreach (var u in Enum.GetValues<QuantityUnit>())
        {
            if (string.Equals(Api(u), t, StringComparison.OrdinalIgnoreCase) || string.Equals(u.ToString(), t, StringComparison.OrdinalIgnoreCase))
            {
                return u;
            }
        }

        return t.ToLowerInvariant() switch
        {
            "tonnes" or "tonne" => QuantityUnit.T,
            "litres" or "l" => QuantityUnit.L,
            "pièces" or "pieces" or "unités" or "u" => QuantityUnit.Pieces,
            "palettes" => QuantityUnit.Pallets,
            _ => null,
        };
    }

    public static string Api(Frequency f) => f.ToString().ToLowerInvariant();

    public static Frequency? ParseFrequency(string? text) =>
        Enum.TryParse<Frequency>(text?.Trim(), ignoreCase: true, out var f) && Enum.IsDefined(f) ? f : null;

    public static string Fr(Frequency f) => f switch
    {
        Frequency.Once => "ponctuel",
        Frequency.Daily => "quotidien",
        Frequency.Weekly => "hebdomadaire",
        Frequency.Monthly => "mensuel",
        Frequency.Quarterly => "trimestriel",
        Frequency.Yearly => "annuel",
        Frequency.Continuous => "continu",
        _ => f.ToString(),
    };

    public static string Api(ListingStatus s) => s.ToString().ToLowerInvariant();

    public static string Fr(ListingStatus s) => s switch
    {
        ListingStatus.Draft => "brouillon",
        ListingStatus.Published => "publiée",
        ListingStatus.Reserved => "réservée",
        ListingStatus.Exchanged => "échangée",
        ListingStatus.Withdrawn => "retirée",
        ListingStatus.Expired => "expirée",
        ListingStatus.PendingReview => "en attente de validation",
        _ => s.ToString(),
    };

    public static string Api(PriceMode p) => p switch
    {
        PriceMode.Free => "free",
        PriceMode.Price => "price",
        PriceMode.Exchange => "exchange",
        _ => "to_discuss",
    };

    public static PriceMode? ParsePriceMode(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "free" => PriceMode.Free,
        "price" => PriceMode.Price,
        "exchange" => PriceMode.Exchange,
        "to_discuss" or "todiscuss" => PriceMode.ToDiscuss,
        _ => null,
    };

    public static string Fr(PriceMode p) => p switch
    {
        PriceMode.Free => "gratuit",
        PriceMode.Price => "payant",
        PriceMode.Exchange => "échange",
        _ => "à discuter",
    };

    public static bool PubliclyVisible(ListingStatus s) => s is ListingStatus.Published or ListingStatus.Reserved or ListingStatus.Exchanged;
}
