using Boucle.Web.Features.Reference;

namespace Boucle.Web.Features.Listings;

/// The one analyser of the board: the same terms are indexed and searched on both databases.
public sealed class SearchText
{
    private static readonly HashSet<string> StopWords = ["le", "la", "les", "l", "d", "de", "des", "du", "un", "une", "et", "ou", "a", "au", "aux", "en", "pour", "par", "sur", "avec", "sans", "dans", "qu", "que", "qui", "nous", "vous", "est"];

    public IReadOnlyList<(string Term, int Weight)> IndexTerms(string title, string? description)
    {
        var weights = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in Analyse(title))
        {
            weights[t] = Math.Max(weights.GetValueOrDefault(t), 3);
        }

        foreach (var t in Analyse(description))
        {
            weights[t] = Math.Max(weights.GetValueOrDefault(t), 1);
        }

        return [.. weights.Select(kv => (kv.Key, kv.Value))];
    }

    /// One group per query word: a listing matches the group when it has any term of it.
    public IReadOnlyList<string[]> QueryGroups(string? query) =>
        [.. Analyse(query).Distinct().Select(t => new[] { t })];

    public static IEnumerable<string> Analyse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            yield break;
        }

        foreach (var raw in ReferenceData.Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (StopWords.Contains(raw) || raw.Length > 64)
            {
                continue;
            }

            yield return raw.Length > 3 && (raw.EndsWith('s') || raw.EndsWith('x')) ? raw[..^1] : raw;
        }
    }
}
