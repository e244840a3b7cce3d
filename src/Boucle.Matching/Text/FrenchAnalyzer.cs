using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using Lucene.Net.Analysis.Fr;

namespace Boucle.Matching.Text;

/// <summary>
/// Analyses French (and simple English) listing text into search terms: lower-case, elisions removed
/// (l', d', qu'…), stop words removed, light stemming (plural folding) and accent folding; plus a thesaurus
/// of the platform's vocabulary for synonym expansion. Thread-safe; one shared instance is <see cref="Default"/>.
/// </summary>
public sealed class FrenchAnalyzer
{
    private static readonly Lazy<FrenchAnalyzer> LazyDefault = new(() => new FrenchAnalyzer(
        KnowledgeResources.ReadLines("stopwords.txt"), KnowledgeResources.ReadLines("synonyms.txt")));

    private static readonly FrozenSet<string> Articles = new[]
    {
        "l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu",
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly FrozenSet<string> _stopWords;
    private readonly ConcurrentDictionary<string, string> _stemCache = new(StringComparer.Ordinal);
    private readonly FrozenDictionary<string, SynonymPhrase[]> _phrasesByFirstTerm;
    private readonly string[][][] _groups; // group → phrases → terms
    private readonly string[] _groupConcepts;

    /// <summary>The analyser built on the embedded stop-word list and thesaurus.</summary>
    public static FrenchAnalyzer Default => LazyDefault.Value;

    private FrenchAnalyzer(IEnumerable<string> extraStopWords, IEnumerable<string> synonymLines)
    {
        var stop = new HashSet<string>(StringComparer.Ordinal);
        foreach (var w in FrenchAnalyzerStopWords())
        {
            stop.Add(Fold(w));
        }

        foreach (var w in extraStopWords)
        {
            stop.Add(Fold(w.Trim().ToLowerInvariant()));
        }

        _stopWords = stop.ToFrozenSet(StringComparer.Ordinal);

        var groups = new List<string[][]>();
        var byFirst = new Dictionary<string, List<SynonymPhrase>>(StringComparer.Ordinal);
        foreach (var line in synonymLines)
        {
            var phrases = line.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => Terms(p).ToArray())
                .Where(t => t.Length > 0)
                .ToArray();
            if (phrases.Length < 2)
            {
                continue;
            }

            var g = groups.Count;
            groups.Add(phrases);
            foreach (var p in phrases)
            {
                if (!byFirst.TryGetValue(p[0], out var list))
                {
                    byFirst[p[0]] = list = [];
                }

                list.Add(new SynonymPhrase(p, g));
            }
        }

        _groups = [.. groups];
        _groupConcepts = [.. groups.Select(g => "~" + string.Join('_', g[0]))];
        _phrasesByFirstTerm = byFirst.ToFrozenDictionary(
            kv => kv.Key,
            kv => kv.Value.OrderByDescending(p => p.Terms.Length).ToArray(),
            StringComparer.Ordinal);
    }

    /// <summary>Analysed terms of <paramref name="text"/>, in text order (duplicates kept).</summary>
    /// <param name="text">Free text, French or English.</param>
    public IReadOnlyList<string> Terms(string? text)
    {
        var result = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return result;
        }

        var span = text.AsSpan();
        var i = 0;
        Span<char> buffer = stackalloc char[64];
        while (i < span.Length)
        {
            while (i < span.Length && !IsWordChar(span[i]))
            {
                i++;
            }

            var start = i;
            while (i < span.Length && (IsWordChar(span[i]) || (IsApostrophe(span[i]) && i + 1 < span.Length && char.IsLetter(span[i + 1]))))
            {
                i++;
            }

            if (i == start)
            {
                continue;
            }

            var token = span[start..i];
            // Elision: keep what follows the apostrophe when the prefix is an article or pronoun (l'eau, d'huile, qu'il).
            var apos = token.IndexOfAny('\'', '’');
            while (apos > 0 && Articles.Contains(token[..apos].ToString().ToLowerInvariant()))
            {
                token = token[(apos + 1)..];
                apos = token.IndexOfAny('\'', '’');
            }

            if (token.Length > 48)
            {
                continue;
            }

            var lower = buffer[..token.Length];
            token.ToLowerInvariant(lower);
            // A remaining apostrophe belongs to a compound word ("aujourd'hui"): drop it.
            var term = AnalyseToken(lower.ToString().Replace("'", string.Empty, StringComparison.Ordinal).Replace("’", string.Empty, StringComparison.Ordinal));
            if (term is not null)
            {
                result.Add(term);
            }
        }

        return result;
    }

    /// <summary>
    /// Analysed terms of a search query followed by the terms of every thesaurus synonym of the phrases found
    /// in it (each term once), so that "biodéchets" also finds "déchets alimentaires".
    /// </summary>
    /// <param name="query">The user's query.</param>
    public IReadOnlyList<string> ExpandQuery(string? query)
    {
        var terms = Terms(query);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var t in terms)
        {
            if (seen.Add(t))
            {
                result.Add(t);
            }
        }

        foreach (var g in MatchedGroups(terms))
        {
            foreach (var phrase in _groups[g])
            {
                foreach (var t in phrase)
                {
                    if (seen.Add(t))
                    {
                        result.Add(t);
                    }
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Terms to index for a text: its analysed terms plus one concept token ("~biodechet") for every thesaurus
    /// phrase found in it, so that a search for any synonym finds the text through the concept.
    /// </summary>
    /// <param name="text">Free text, French or English.</param>
    public IReadOnlyList<string> IndexTerms(string? text)
    {
        var terms = Terms(text);
        return [.. terms, .. Concepts(terms)];
    }

    /// <summary>
    /// A search query as groups of alternatives: a listing matches the query when it holds one term of every
    /// group. A thesaurus phrase becomes its concept token; any other word stands for itself.
    /// </summary>
    /// <param name="query">The user's query.</param>
    public IReadOnlyList<IReadOnlyList<string>> QueryGroups(string? query)
    {
        var terms = Terms(query);
        var groups = new List<IReadOnlyList<string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < terms.Count; i++)
        {
            var matched = false;
            if (_phrasesByFirstTerm.TryGetValue(terms[i], out var phrases))
            {
                foreach (var p in phrases)
                {
                    if (StartsAt(terms, i, p.Terms))
                    {
                        if (seen.Add(_groupConcepts[p.Group]))
                        {
                            groups.Add([_groupConcepts[p.Group]]);
                        }

                        i += p.Terms.Length - 1;
                        matched = true;
                        break;
                    }
                }
            }

            if (!matched && seen.Add(terms[i]))
            {
                groups.Add([terms[i]]);
            }
        }

        return groups;
    }

    /// <summary>Thesaurus groups whose phrases occur in the analysed terms, as concept tokens ("~biodechet").</summary>
    internal IEnumerable<string> Concepts(IReadOnlyList<string> terms) => MatchedGroups(terms).Select(g => _groupConcepts[g]);

    private SortedSet<int> MatchedGroups(IReadOnlyList<string> terms)
    {
        var groups = new SortedSet<int>();
        for (var i = 0; i < terms.Count; i++)
        {
            if (!_phrasesByFirstTerm.TryGetValue(terms[i], out var phrases))
            {
                continue;
            }

            // Longest phrase first, and a matched phrase consumes its terms: "marc de café" is coffee, not grape marc.
            foreach (var p in phrases)
            {
                if (StartsAt(terms, i, p.Terms))
                {
                    groups.Add(p.Group);
                    i += p.Terms.Length - 1;
                    break;
                }
            }
        }

        return groups;
    }

    internal static bool StartsAt(IReadOnlyList<string> terms, int i, string[] phrase)
    {
        if (i + phrase.Length > terms.Count)
        {
            return false;
        }

        for (var k = 0; k < phrase.Length; k++)
        {
            if (!string.Equals(terms[i + k], phrase[k], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private string? AnalyseToken(string lower)
    {
        if (_stemCache.TryGetValue(lower, out var cached))
        {
            return cached.Length == 0 ? null : cached;
        }

        var folded = Fold(lower);
        string result;
        if (folded.Length < 2 || _stopWords.Contains(folded) || folded.All(char.IsDigit))
        {
            result = string.Empty;
        }
        else
        {
            // The light stemmer expects accented lower-case input (it folds some endings itself); fold afterwards.
            // Ligatures are expanded first so "cœur" and "coeur" stem alike.
            var chars = lower.Replace("œ", "oe", StringComparison.Ordinal).Replace("æ", "ae", StringComparison.Ordinal).ToCharArray();
            var len = Stemmer.Stem(chars, chars.Length);
            result = Fold(new string(chars, 0, len));
            if (result.Length < 2)
            {
                result = folded;
            }
        }

        if (_stemCache.Count < 200_000)
        {
            _stemCache.TryAdd(lower, result);
        }

        return result.Length == 0 ? null : result;
    }

    private static readonly FrenchLightStemmer Stemmer = new();

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c);

    private static bool IsApostrophe(char c) => c is '\'' or '’';

    /// <summary>Removes diacritics and expands ligatures: "drêches" → "dreches", "œuf" → "oeuf".</summary>
    internal static string Fold(string s)
    {
        var needs = false;
        foreach (var c in s)
        {
            if (c > 127)
            {
                needs = true;
                break;
            }
        }

        if (!needs)
        {
            return s;
        }

        var sb = new StringBuilder(s.Length + 2);
        foreach (var c in s.Normalize(NormalizationForm.FormD))
        {
            switch (c)
            {
                case 'œ': sb.Append("oe"); break;
                case 'æ': sb.Append("ae"); break;
                case 'ß': sb.Append("ss"); break;
                default:
                    if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    private static IEnumerable<string> FrenchAnalyzerStopWords()
    {
        // Lucene's French stop list (from the Snowball project), used as the base list.
        foreach (var w in Lucene.Net.Analysis.Fr.FrenchAnalyzer.DefaultStopSet)
        {
            yield return w;
        }
    }

    private sealed record SynonymPhrase(string[] Terms, int Group);
}
