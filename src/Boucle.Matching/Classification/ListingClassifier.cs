using System.Collections.Frozen;
using Boucle.Matching.Knowledge;
using Boucle.Matching.Text;

namespace Boucle.Matching.Classification;

/// <summary>A suggested category with a confidence between 0 and 1.</summary>
/// <param name="Code">Category code (see <see cref="Taxonomy"/>).</param>
/// <param name="Confidence">0–1.</param>
public sealed record CategorySuggestion(string Code, double Confidence);

/// <summary>What the classifier suggests for a listing's text.</summary>
/// <param name="Categories">Suggested categories, best first (may be empty).</param>
/// <param name="WasteCode">Suggested List of Waste code ("15 01 03"), or null.</param>
/// <param name="WasteCodeConfidence">0–1.</param>
/// <param name="Hazardous">True when the text or the waste code point to hazardous waste.</param>
/// <param name="HazardReason">Why it is flagged hazardous, in French, or null.</param>
public sealed record Classification(
    IReadOnlyList<CategorySuggestion> Categories,
    string? WasteCode,
    double WasteCodeConfidence,
    bool Hazardous,
    string? HazardReason);

/// <summary>
/// Suggests categories, a List of Waste code and a hazardous flag from a listing's title and description, using the
/// keywords of the embedded taxonomy (the resource named in the title counts most, then its purpose, then the description). Thread-safe.
/// </summary>
public sealed class ListingClassifier
{
    private const double KeepRatio = 0.3;
    private static readonly Lazy<ListingClassifier> LazyDefault = new(() => new ListingClassifier(Taxonomy.Default, FrenchAnalyzer.Default));

    private readonly Taxonomy _taxonomy;
    private readonly FrenchAnalyzer _analyzer;
    private readonly FrozenDictionary<string, Keyword[]> _byFirstTerm;
    private readonly bool[] _hazardous;
    private readonly WasteLabelIndex _wasteLabels;

    /// <summary>The classifier built on <see cref="Taxonomy.Default"/> and <see cref="FrenchAnalyzer.Default"/>.</summary>
    public static ListingClassifier Default => LazyDefault.Value;

    private ListingClassifier(Taxonomy taxonomy, FrenchAnalyzer analyzer)
    {
        _taxonomy = taxonomy;
        _analyzer = analyzer;
        var byFirst = new Dictionary<string, Dictionary<string, Keyword>>(StringComparer.Ordinal);
        for (var c = 0; c < taxonomy.Categories.Count; c++)
        {
            var cat = taxonomy.Categories[c];
            foreach (var kw in cat.KeywordsFr.Concat(cat.KeywordsEn))
            {
                var terms = analyzer.Terms(kw).ToArray();
                if (terms.Length == 0)
                {
                    continue;
                }

                if (!byFirst.TryGetValue(terms[0], out var map))
                {
                    byFirst[terms[0]] = map = new Dictionary<string, Keyword>(StringComparer.Ordinal);
                }

                // The same analysed phrase listed under several categories scores for each of them.
                var key = string.Join(' ', terms) + "|" + c;
                map.TryAdd(key, new Keyword(terms, c, 1.0 + (0.5 * (terms.Length - 1))));
            }
        }

        _byFirstTerm = byFirst.ToFrozenDictionary(
            kv => kv.Key,
            kv => kv.Value.Values.OrderByDescending(k => k.Terms.Length).ThenBy(k => k.Category).ToArray(),
            StringComparer.Ordinal);
        _hazardous = new bool[taxonomy.Categories.Count];
        for (var c = 0; c < _hazardous.Length; c++)
        {
            for (var n = c; n >= 0; n = taxonomy.ParentIndex[n])
            {
                _hazardous[c] |= taxonomy.Categories[n].Hazardous;
            }
        }

        _wasteLabels = new WasteLabelIndex(analyzer);
    }

    /// <summary>Classifies a listing from its title and description.</summary>
    /// <param name="title">Listing title.</param>
    /// <param name="description">Listing description (optional).</param>
    public Classification Classify(string? title, string? description)
    {
        var fields = TitleSegments.Fields(_analyzer, title, description);
        return Describe(Score(fields), [.. fields.SelectMany(f => f.Terms)], explicitWasteCode: null);
    }

    internal Classification Describe(WeightedCategory[] scores, IReadOnlyList<string> allTerms, string? explicitWasteCode)
    {
        var total = scores.Sum(s => s.Score);
        var certainty = 1 - Math.Exp(-total / 2.0);
        var suggestions = scores
            .Select(s => new CategorySuggestion(_taxonomy.Categories[s.Category].Code, Math.Round(s.Score / total * certainty, 3)))
            .ToList();

        string? wasteCode = null;
        double wasteConfidence = 0;
        var explicitEntry = ListOfWaste.Find(explicitWasteCode);
        if (explicitEntry is not null)
        {
            wasteCode = explicitEntry.Code;
            wasteConfidence = 1;
        }
        else
        {
            foreach (var s in scores)
            {
                var cat = _taxonomy.Categories[s.Category];
                if (cat.WasteCodes.Count > 0)
                {
                    wasteCode = cat.WasteCodes[0];
                    wasteConfidence = Math.Round(0.8 * s.Score / total * certainty, 3);
                    break;
                }
            }

            if (wasteCode is null && scores.Length == 0)
            {
                var guess = _wasteLabels.Best(allTerms);
                if (guess is not null)
                {
                    wasteCode = guess.Value.Code;
                    wasteConfidence = Math.Round(0.4 * guess.Value.Similarity, 3);
                }
            }
        }

        var (hazardous, reason) = Hazard(scores, explicitEntry);
        return new Classification(suggestions, wasteCode, wasteConfidence, hazardous, reason);
    }

    internal (bool Hazardous, string? Reason) Hazard(WeightedCategory[] scores, WasteCodeEntry? explicitEntry)
    {
        if (explicitEntry is not null)
        {
            return explicitEntry.Hazardous ? (true, $"code déchet dangereux {explicitEntry.Display}") : (false, null);
        }

        // Any retained hazardous category flags the listing: a false alarm only hides a pair from an
        // unauthorised actor, a miss would propose hazardous waste to one.
        foreach (var s in scores)
        {
            if (_hazardous[s.Category])
            {
                return (true, "déchet dangereux : " + _taxonomy.Categories[s.Category].LabelFr.ToLowerInvariant());
            }
        }

        return (false, null);
    }

    internal bool IsHazardous(int category) => _hazardous[category];

    /// <summary>Category scores from keyword phrases, best first, normalised so the best weighs 1 in <c>Weight</c>.</summary>
    internal WeightedCategory[] Score((IReadOnlyList<string> Terms, double Weight)[] fields)
    {
        var raw = new Dictionary<int, double>();
        foreach (var (terms, weight) in fields)
        {
            Accumulate(terms, weight, raw);
        }

        if (raw.Count == 0)
        {
            return [];
        }

        var max = raw.Values.Max();
        return [.. raw
            .Where(kv => kv.Value >= KeepRatio * max)
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key)
            .Take(5)
            .Select(kv => new WeightedCategory(kv.Key, kv.Value / max, kv.Value))];
    }

    private void Accumulate(IReadOnlyList<string> terms, double fieldWeight, Dictionary<int, double> scores)
    {
        var seen = new HashSet<(int, string)>();
        for (var i = 0; i < terms.Count; i++)
        {
            if (!_byFirstTerm.TryGetValue(terms[i], out var keywords))
            {
                continue;
            }

            var longest = 0;
            foreach (var k in keywords)
            {
                if (k.Terms.Length < longest)
                {
                    break; // only the longest phrases matching here count ("marc de café" beats "marc")
                }

                if (!FrenchAnalyzer.StartsAt(terms, i, k.Terms))
                {
                    continue;
                }

                longest = k.Terms.Length;
                // A keyword counts once per field: repeating a word does not make a listing more of that category.
                if (seen.Add((k.Category, string.Join(' ', k.Terms))))
                {
                    scores[k.Category] = scores.GetValueOrDefault(k.Category) + (k.Weight * fieldWeight);
                }
            }

            if (longest > 1)
            {
                i += longest - 1;
            }
        }
    }

    private sealed record Keyword(string[] Terms, int Category, double Weight);
}

/// <summary>A category of a listing: <c>Weight</c> is relative to the listing's best category (1 = best).</summary>
internal readonly record struct WeightedCategory(int Category, double Weight, double Score);
