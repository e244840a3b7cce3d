namespace Boucle.Web.Features.Listings;

public sealed record WasteCode(string Code, string LabelFr, string LabelEn, bool Hazardous)
{
    /// The code as printed in the List of Waste, with its asterisk when hazardous.
    public string Display => Hazardous ? Code + "*" : Code;
}

/// The European List of Waste (entries only), looked up by code written with or without spaces.
public sealed class WasteCodes
{
    private readonly Lazy<Dictionary<string, WasteCode>> _byCompact = new(Load);

    public WasteCode? Find(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var compact = new string([.. code.Where(char.IsAsciiDigit)]);
        return compact.Length == 6 && _byCompact.Value.TryGetValue(compact, out var entry) ? entry : null;
    }

    private static Dictionary<string, WasteCode> Load() => Boucle.Matching.Knowledge.ListOfWaste.Entries
        .ToDictionary(e => e.Code.Replace(" ", "", StringComparison.Ordinal), e => new WasteCode(e.Code, e.LabelFr, e.LabelEn, e.Hazardous));
}
