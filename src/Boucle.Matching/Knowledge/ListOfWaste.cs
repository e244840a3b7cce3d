using System.Collections.Frozen;

namespace Boucle.Matching.Knowledge;

/// <summary>An entry of the European List of Waste (LoW / nomenclature des déchets).</summary>
/// <param name="Code">Six-digit code with spaces, e.g. "15 01 03" (no asterisk).</param>
/// <param name="LabelFr">Official French label.</param>
/// <param name="LabelEn">English label.</param>
/// <param name="Hazardous">True for hazardous entries (shown with '*').</param>
/// <param name="ChapterCode">Two-digit chapter, e.g. "15".</param>
/// <param name="ChapterLabelFr">French chapter title.</param>
/// <param name="ChapterLabelEn">English chapter title.</param>
/// <param name="SubChapterCode">Sub-chapter, e.g. "15 01".</param>
/// <param name="SubChapterLabelFr">French sub-chapter title.</param>
public sealed record WasteCodeEntry(
    string Code,
    string LabelFr,
    string LabelEn,
    bool Hazardous,
    string ChapterCode,
    string ChapterLabelFr,
    string ChapterLabelEn,
    string SubChapterCode,
    string SubChapterLabelFr)
{
    /// <summary>The code as displayed, with '*' when hazardous ("13 02 05*").</summary>
    public string Display => Hazardous ? Code + "*" : Code;
}

/// <summary>
/// The 842 entries of the European List of Waste (Decision 2000/532/EC as amended by 2014/955/EU), embedded with
/// their French and English labels (sources in Knowledge/list_of_waste.tsv; contains public sector information
/// licensed under the Open Government Licence v3.0).
/// </summary>
public static class ListOfWaste
{
    private static readonly Lazy<(IReadOnlyList<WasteCodeEntry> List, FrozenDictionary<string, WasteCodeEntry> ByCode)> Data = new(Load);

    /// <summary>All 842 entries in code order.</summary>
    public static IReadOnlyList<WasteCodeEntry> Entries => Data.Value.List;

    /// <summary>Finds an entry by code, accepting "15 01 03", "150103", "15-01-03" or "13 02 05*".</summary>
    /// <param name="code">A six-digit List of Waste code in any common spelling.</param>
    public static WasteCodeEntry? Find(string? code)
    {
        var compact = Normalise(code);
        return compact is not null && Data.Value.ByCode.TryGetValue(compact, out var e) ? e : null;
    }

    internal static string? Normalise(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var digits = new string([.. code.Where(char.IsAsciiDigit)]);
        return digits.Length == 6 ? $"{digits[..2]} {digits[2..4]} {digits[4..]}" : null;
    }

    private static (IReadOnlyList<WasteCodeEntry>, FrozenDictionary<string, WasteCodeEntry>) Load()
    {
        var chapters = new Dictionary<string, (string Fr, string En)>(StringComparer.Ordinal);
        var list = new List<WasteCodeEntry>();
        using var reader = new StreamReader(KnowledgeResources.Open("list_of_waste.tsv"));
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var f = line.Split('\t');
            switch (f[1])
            {
                case "c":
                case "s":
                    chapters[f[0]] = (f[3], f[4]);
                    break;
                default:
                    var ch = f[0][..2];
                    var sub = f[0][..5];
                    list.Add(new WasteCodeEntry(f[0], f[3], f[4], f[2] == "1", ch, chapters[ch].Fr, chapters[ch].En, sub, chapters[sub].Fr));
                    break;
            }
        }

        return (list, list.ToFrozenDictionary(e => e.Code, StringComparer.Ordinal));
    }
}
