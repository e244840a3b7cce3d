using Boucle.Matching.Knowledge;
using Boucle.Matching.Text;

namespace Boucle.Matching.Classification;

/// <summary>Fallback: the List of Waste entry whose French label shares the most (rare) terms with the text.</summary>
internal sealed class WasteLabelIndex
{
    private readonly Dictionary<string, List<int>> _postings = new(StringComparer.Ordinal);
    private readonly List<(string Code, double Norm)> _entries = [];
    private readonly Dictionary<string, double> _idf = new(StringComparer.Ordinal);

    public WasteLabelIndex(FrenchAnalyzer analyzer)
    {
        var termSets = new List<HashSet<string>>();
        foreach (var e in ListOfWaste.Entries)
        {
            var set = new HashSet<string>(analyzer.Terms(e.LabelFr), StringComparer.Ordinal);
            set.Remove("dechet");
            termSets.Add(set);
            foreach (var t in set)
            {
                if (!_postings.TryGetValue(t, out var list))
                {
                    _postings[t] = list = [];
                }

                list.Add(termSets.Count - 1);
            }
        }

        foreach (var (t, list) in _postings)
        {
            _idf[t] = Math.Log(1 + (termSets.Count / (double)list.Count));
        }

        for (var i = 0; i < termSets.Count; i++)
        {
            _entries.Add((ListOfWaste.Entries[i].Code, Math.Sqrt(termSets[i].Sum(t => _idf[t] * _idf[t]))));
        }
    }

    public (string Code, double Similarity)? Best(IReadOnlyList<string> terms)
    {
        var distinct = terms.Distinct(StringComparer.Ordinal).Where(_postings.ContainsKey).ToList();
        if (distinct.Count == 0)
        {
            return null;
        }

        var qnorm = Math.Sqrt(distinct.Sum(t => _idf[t] * _idf[t]));
        var acc = new Dictionary<int, double>();
        foreach (var t in distinct)
        {
            foreach (var e in _postings[t])
            {
                acc[e] = acc.GetValueOrDefault(e) + (_idf[t] * _idf[t]);
            }
        }

        var best = acc.Select(kv => (kv.Key, Sim: kv.Value / (qnorm * _entries[kv.Key].Norm)))
            .OrderByDescending(x => x.Sim).ThenBy(x => x.Key).First();
        return best.Sim < 0.2 ? null : (_entries[best.Key].Code, best.Sim);
    }
}
