using Boucle.Matching.Text;

namespace Boucle.Web.Features.Listings;

/// The one analyser of the board (the engine's): the same terms are indexed and searched on both databases.
public sealed class SearchText
{
    private readonly FrenchAnalyzer _analyzer = FrenchAnalyzer.Default;

    public const int TitleWeight = 3;
    public const int DescriptionWeight = 1;

    /// The weights a posting can have, heaviest first: the sections of a term's postings the search walks.
    public static readonly int[] Weights = [TitleWeight, DescriptionWeight];

    /// Title terms weigh more than description terms in relevance.
    public IReadOnlyList<(string Term, int Weight)> IndexTerms(string title, string? description)
    {
        var weights = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in _analyzer.IndexTerms(title))
        {
            weights[t] = Math.Max(weights.GetValueOrDefault(t), TitleWeight);
        }

        foreach (var t in _analyzer.IndexTerms(description))
        {
            weights[t] = Math.Max(weights.GetValueOrDefault(t), DescriptionWeight);
        }

        return [.. weights.Where(kv => kv.Key.Length <= 64).Select(kv => (kv.Key, kv.Value))];
    }

    /// One group per query word or thesaurus phrase: a listing matches the group when it has any term of it.
    public IReadOnlyList<string[]> QueryGroups(string? query) =>
        [.. _analyzer.QueryGroups(query).Select(g => g.ToArray())];
}
