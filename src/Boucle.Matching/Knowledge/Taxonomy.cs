using System.Collections.Frozen;
using System.Text.Json;

namespace Boucle.Matching.Knowledge;

/// <summary>What a category describes: a material (incl. waste and by-products), a thing, a place, a service or a purpose.</summary>
public enum CategoryKind
{
    /// <summary>Materials, waste, by-products, biowaste, compost.</summary>
    Material,

    /// <summary>Machines, tools, goods for reuse.</summary>
    Equipment,

    /// <summary>Storage, rooms, land, workshops.</summary>
    Space,

    /// <summary>Transport capacity.</summary>
    Transport,

    /// <summary>Heat, cold, steam, electricity, fuels.</summary>
    Energy,

    /// <summary>Water.</summary>
    Water,

    /// <summary>Gases such as CO2.</summary>
    Gas,

    /// <summary>Skills and services.</summary>
    Skill,

    /// <summary>A need described by its purpose (composting, animal feed, bedding…).</summary>
    Use,
}

/// <summary>A node of the resource taxonomy.</summary>
/// <param name="Code">Dotted code, e.g. <c>wood.pallets</c>.</param>
/// <param name="Parent">Parent code, or null for a root.</param>
/// <param name="Kind">What the category describes.</param>
/// <param name="LabelFr">French label.</param>
/// <param name="LabelEn">English label.</param>
/// <param name="KeywordsFr">French keywords and phrases used by the classifier.</param>
/// <param name="KeywordsEn">English keywords.</param>
/// <param name="WasteCodes">Related European List of Waste codes ("15 01 03"), most typical first.</param>
/// <param name="Hazardous">True when the category is hazardous waste.</param>
public sealed record Category(
    string Code,
    string? Parent,
    CategoryKind Kind,
    string LabelFr,
    string LabelEn,
    IReadOnlyList<string> KeywordsFr,
    IReadOnlyList<string> KeywordsEn,
    IReadOnlyList<string> WasteCodes,
    bool Hazardous);

/// <summary>A valorisation pathway: an output of category <c>From</c> can serve a need of category <c>To</c>.</summary>
/// <param name="From">Category code of the output (offer); its sub-categories are included.</param>
/// <param name="To">Category code of the need; its sub-categories are included.</param>
/// <param name="Operation">Recovery operation: R0 (reuse), R1..R13, or a named one such as composting.</param>
/// <param name="Rank">Rank in the waste hierarchy: 1 reuse, 2 recycling, 3 other recovery, 4 energy recovery.</param>
/// <param name="Fr">The phrase shown to people, e.g. "marc de café → substrat pour champignons".</param>
/// <param name="Source">Where the practice is documented (case study, regulation, facilitator's note).</param>
public sealed record ValorisationPathway(string From, string To, string Operation, int Rank, string Fr, string Source);

/// <summary>The embedded resource taxonomy (Knowledge/categories.json) and valorisation pathways (Knowledge/pathways.json).</summary>
public sealed class Taxonomy
{
    private static readonly Lazy<Taxonomy> LazyDefault = new(Load);
    private readonly FrozenDictionary<string, int> _index;

    private Taxonomy(IReadOnlyList<Category> categories, IReadOnlyList<ValorisationPathway> pathways)
    {
        Categories = categories;
        Pathways = pathways;
        _index = categories.Select((c, i) => (c.Code, i)).ToFrozenDictionary(x => x.Code, x => x.i, StringComparer.Ordinal);
        ParentIndex = [.. categories.Select(c => c.Parent is null ? -1 : _index[c.Parent])];
    }

    /// <summary>The taxonomy shipped with the library.</summary>
    public static Taxonomy Default => LazyDefault.Value;

    /// <summary>All categories, parents before children (suitable for seeding a Category table).</summary>
    public IReadOnlyList<Category> Categories { get; }

    /// <summary>The valorisation pathways known to this taxonomy (shipped ones, then added ones).</summary>
    public IReadOnlyList<ValorisationPathway> Pathways { get; }

    /// <summary>
    /// The same categories with more pathways, for knowledge that facilitators add from the application.
    /// Pathways naming unknown categories or an out-of-range rank are ignored.
    /// </summary>
    /// <param name="extra">Pathways to add after the shipped ones.</param>
    public Taxonomy WithPathways(IEnumerable<ValorisationPathway> extra)
    {
        var valid = extra.Where(p => _index.ContainsKey(p.From) && _index.ContainsKey(p.To) && p.Rank is >= 1 and <= 4).ToList();
        return valid.Count == 0 ? this : new Taxonomy(Categories, [.. Pathways, .. valid]);
    }

    internal int[] ParentIndex { get; }

    /// <summary>The category with this code, or null.</summary>
    /// <param name="code">Dotted category code.</param>
    public Category? Find(string? code) => code is not null && _index.TryGetValue(code.Trim(), out var i) ? Categories[i] : null;

    internal int IndexOf(string? code) => code is not null && _index.TryGetValue(code.Trim(), out var i) ? i : -1;

    /// <summary>True when <paramref name="ancestor"/> is <paramref name="node"/> or one of its ancestors.</summary>
    internal bool IsSelfOrAncestor(int ancestor, int node)
    {
        for (var n = node; n >= 0; n = ParentIndex[n])
        {
            if (n == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    internal int Depth(int node)
    {
        var d = 0;
        for (var n = ParentIndex[node]; n >= 0; n = ParentIndex[n])
        {
            d++;
        }

        return d;
    }

    private static Taxonomy Load()
    {
        using var cats = JsonDocument.Parse(KnowledgeResources.ReadAll("categories.json"));
        var categories = new List<Category>();
        foreach (var e in cats.RootElement.GetProperty("items").EnumerateArray())
        {
            categories.Add(new Category(
                e.GetProperty("code").GetString()!,
                e.GetProperty("parent").GetString(),
                Enum.Parse<CategoryKind>(e.GetProperty("kind").GetString()!, ignoreCase: true),
                e.GetProperty("fr").GetString()!,
                e.GetProperty("en").GetString()!,
                Strings(e, "keywordsFr"),
                Strings(e, "keywordsEn"),
                Strings(e, "wasteCodes"),
                e.GetProperty("hazardous").GetBoolean()));
        }

        using var paths = JsonDocument.Parse(KnowledgeResources.ReadAll("pathways.json"));
        var pathways = new List<ValorisationPathway>();
        foreach (var e in paths.RootElement.GetProperty("items").EnumerateArray())
        {
            pathways.Add(new ValorisationPathway(
                e.GetProperty("from").GetString()!,
                e.GetProperty("to").GetString()!,
                e.GetProperty("operation").GetString()!,
                e.GetProperty("rank").GetInt32(),
                e.GetProperty("fr").GetString()!,
                e.GetProperty("source").GetString()!));
        }

        return new Taxonomy(categories, pathways);
    }

    private static string[] Strings(JsonElement e, string name) =>
        [.. e.GetProperty(name).EnumerateArray().Select(x => x.GetString()!)];
}
