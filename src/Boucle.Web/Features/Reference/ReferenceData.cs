using System.Globalization;
using System.Text;
using nietras.SeparatedValues;

namespace Boucle.Web.Features.Reference;

public sealed record Commune(string Insee, string Name, IReadOnlyList<string> PostalCodes, string Departement, string? EpciSiren, string? EpciName, int Population, double Latitude, double Longitude);

public sealed record NafCode(string Code, string Level, string Label, string Section);

/// The reference files shipped in Data/Reference, read once on first use.
public sealed class ReferenceData
{
    private readonly Lazy<CommuneIndex> _communes;
    private readonly Lazy<Dictionary<string, NafCode>> _naf;

    public ReferenceData(string folder)
    {
        _communes = new(() => CommuneIndex.Load(Path.Combine(folder, "communes.csv")));
        _naf = new(() => LoadNaf(Path.Combine(folder, "naf_rev2.csv")));
    }

    public static string DefaultFolder => Path.Combine(AppContext.BaseDirectory, "Data", "Reference");

    public Commune? Commune(string? insee) =>
        insee is not null && _communes.Value.ByInsee.TryGetValue(insee.Trim(), out var c) ? c : null;

    public IReadOnlyList<Commune> CommunesByPostalCode(string postalCode) =>
        _communes.Value.ByPostalCode.TryGetValue(postalCode.Trim(), out var list) ? list : [];

    public IEnumerable<Commune> AllCommunes => _communes.Value.ByInsee.Values;

    /// Finds a commune from what a person types: an INSEE code, a postal code or a name.
    public IReadOnlyList<Commune> FindCommunes(string text, int max = 10)
    {
        text = text.Trim();
        if (text.Length == 0)
        {
            return [];
        }

        if (text.Length == 5 && text.All(char.IsAsciiLetterOrDigit))
        {
            var byCode = Commune(text);
            var byPostal = CommunesByPostalCode(text);
            if (byCode is not null || byPostal.Count > 0)
            {
                return [.. byPostal.Concat(byCode is null ? [] : [byCode]).DistinctBy(c => c.Insee).Take(max)];
            }
        }

        var key = Fold(text);
        return [.. _communes.Value.ByInsee.Values
            .Where(c => _communes.Value.FoldedNames[c.Insee].StartsWith(key, StringComparison.Ordinal))
            .OrderByDescending(c => _communes.Value.FoldedNames[c.Insee] == key)
            .ThenByDescending(c => c.Population)
            .Take(max)];
    }

    public NafCode? Naf(string? code) =>
        code is not null && _naf.Value.TryGetValue(NormaliseNaf(code), out var n) ? n : null;

    public static string NormaliseNaf(string code)
    {
        var c = code.Trim().ToUpperInvariant().Replace(" ", "", StringComparison.Ordinal);
        return c.Length == 5 && !c.Contains('.', StringComparison.Ordinal) ? $"{c[..2]}.{c[2..]}" : c;
    }

    public static string Fold(string text)
    {
        var normalised = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(normalised.Length);
        foreach (var ch in normalised)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            sb.Append(char.IsLetterOrDigit(ch) ? char.ToLowerInvariant(ch) : ' ');
        }

        return string.Join(' ', sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private static Dictionary<string, NafCode> LoadNaf(string path)
    {
        using var reader = Sep.Reader(o => o with { Unescape = true }).FromFile(path);
        var result = new Dictionary<string, NafCode>(StringComparer.Ordinal);
        foreach (var row in reader)
        {
            var code = row["code"].ToString();
            result[code] = new NafCode(code, row["level"].ToString(), row["label_fr_display"].ToString(), row["section_code"].ToString());
        }

        return result;
    }

    private sealed class CommuneIndex
    {
        public required Dictionary<string, Commune> ByInsee { get; init; }
        public required Dictionary<string, List<Commune>> ByPostalCode { get; init; }
        public required Dictionary<string, string> FoldedNames { get; init; }

        public static CommuneIndex Load(string path)
        {
            var byInsee = new Dictionary<string, Commune>(StringComparer.Ordinal);
            var byPostal = new Dictionary<string, List<Commune>>(StringComparer.Ordinal);
            var folded = new Dictionary<string, string>(StringComparer.Ordinal);
            using var reader = Sep.Reader(o => o with { Unescape = true }).FromFile(path);
            foreach (var row in reader)
            {
                var postal = row["codes_postaux"].ToString().Split('|', StringSplitOptions.RemoveEmptyEntries);
                var commune = new Commune(
                    row["code_insee"].ToString(),
                    row["nom"].ToString(),
                    postal,
                    row["departement_code"].ToString(),
                    NullIfEmpty(row["epci_siren"].ToString()),
                    NullIfEmpty(row["epci_nom"].ToString()),
                    int.TryParse(row["population"].Span, CultureInfo.InvariantCulture, out var p) ? p : 0,
                    double.Parse(row["latitude"].Span, CultureInfo.InvariantCulture),
                    double.Parse(row["longitude"].Span, CultureInfo.InvariantCulture));
                byInsee[commune.Insee] = commune;
                folded[commune.Insee] = Fold(commune.Name);
                foreach (var code in postal)
                {
                    if (!byPostal.TryGetValue(code, out var list))
                    {
                        byPostal[code] = list = [];
                    }

                    list.Add(commune);
                }
            }

            return new CommuneIndex { ByInsee = byInsee, ByPostalCode = byPostal, FoldedNames = folded };
        }

        private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
    }
}

public static class ReferenceServices
{
    public static IServiceCollection AddReferenceData(this IServiceCollection services) =>
        services.AddSingleton(_ => new ReferenceData(ReferenceData.DefaultFolder));

    public static RouteGroupBuilder MapReferenceApi(this RouteGroupBuilder api)
    {
        api.MapGet("/communes", (string q, ReferenceData reference) =>
            TypedResults.Ok(reference.FindCommunes(q).Select(c => new CommuneDto(c.Insee, c.Name, c.PostalCodes, c.Latitude, c.Longitude))))
            .WithSummary("Cherche une commune par nom, code postal ou code INSEE.");
        return api;
    }
}

public sealed record CommuneDto(string Insee, string Name, IReadOnlyList<string> PostalCodes, double Lat, double Lon);
