using Boucle.Matching.Knowledge;

namespace Boucle.Matching.Engine;

/// <summary>
/// For every (offer category, need category) pair, the strength of the best way the offer can serve the need and a
/// description of it. Computed once from the taxonomy and pathways (146² cells), so scoring a pair is a lookup.
/// </summary>
internal sealed class PathwayMatrix
{
    private const float SameCategory = 1.0f;
    private const float OfferNarrower = 0.95f;
    private const float OfferNarrowerThanRoot = 0.8f;
    private const float OfferBroader = 0.75f;
    private const float Sibling = 0.35f;

    private readonly int _n;
    private readonly float[] _strength;
    private readonly PathwayInfo?[] _info;

    public PathwayMatrix(Taxonomy taxonomy)
    {
        _n = taxonomy.Categories.Count;
        _strength = new float[_n * _n];
        _info = new PathwayInfo?[_n * _n];
        var cats = taxonomy.Categories;
        var parent = taxonomy.ParentIndex;
        for (var o = 0; o < _n; o++)
        {
            for (var d = 0; d < _n; d++)
            {
                var useKind = cats[o].Kind == CategoryKind.Use || cats[d].Kind == CategoryKind.Use;
                if (o == d)
                {
                    Set(o, d, SameCategory, SameInfo(cats[o]));
                }
                else if (taxonomy.IsSelfOrAncestor(d, o))
                {
                    // The offer is a kind of what is sought ("compost" for "amendement"): it fully serves the need.
                    // Two purposes under the generic "use" root say nothing about each other.
                    // A need for a whole root family ("coproduits", "déchets verts") is vague, so it counts less.
                    Set(o, d, useKind ? 0.2f : parent[d] < 0 ? OfferNarrowerThanRoot : OfferNarrower, RelatedInfo(cats[o], cats[d]));
                }
                else if (taxonomy.IsSelfOrAncestor(o, d))
                {
                    // The offer is broader than the need ("bois" for "palettes"): it may or may not fit.
                    Set(o, d, useKind ? 0.2f : OfferBroader, RelatedInfo(cats[o], cats[d]));
                }
                else if (!useKind && parent[o] >= 0 && parent[o] == parent[d])
                {
                    Set(o, d, Sibling, RelatedInfo(cats[o], cats[d]));
                }
            }
        }

        foreach (var p in taxonomy.Pathways)
        {
            var from = taxonomy.IndexOf(p.From);
            var to = taxonomy.IndexOf(p.To);
            var strength = RankStrength(p.Rank);
            for (var o = 0; o < _n; o++)
            {
                if (!taxonomy.IsSelfOrAncestor(from, o))
                {
                    continue;
                }

                for (var d = 0; d < _n; d++)
                {
                    if (!taxonomy.IsSelfOrAncestor(to, d))
                    {
                        continue;
                    }

                    var i = (o * _n) + d;
                    // A more specific pathway (deeper "from") wins ties, so its phrase is the one shown.
                    var better = strength > _strength[i] ||
                        (strength == _strength[i] && _info[i] is { } cur && cur.Specificity < taxonomy.Depth(from));
                    if (better)
                    {
                        Set(o, d, strength, new PathwayInfo(Label(p.Operation, cats[d].Kind), p.Fr, p.Rank, taxonomy.Depth(from)));
                    }
                }
            }
        }

        Targets = new int[_n][];
        Sources = new int[_n][];
        for (var c = 0; c < _n; c++)
        {
            var row = c;
            Targets[c] = [.. Enumerable.Range(0, _n).Where(d => _strength[(row * _n) + d] > 0)];
            Sources[c] = [.. Enumerable.Range(0, _n).Where(o => _strength[(o * _n) + row] > 0)];
        }
    }

    /// <summary>Need categories an offer category can serve.</summary>
    public int[][] Targets { get; }

    /// <summary>Offer categories that can serve a need category.</summary>
    public int[][] Sources { get; }

    public float Strength(int offerCategory, int needCategory) => _strength[(offerCategory * _n) + needCategory];

    public PathwayInfo? Info(int offerCategory, int needCategory) => _info[(offerCategory * _n) + needCategory];

    private void Set(int o, int d, float s, PathwayInfo info)
    {
        _strength[(o * _n) + d] = s;
        _info[(o * _n) + d] = info;
    }

    /// <summary>Waste hierarchy: reuse before recycling before other recovery before energy recovery.</summary>
    private static float RankStrength(int rank) => rank switch
    {
        1 => 0.95f,
        2 => 0.9f,
        3 => 0.82f,
        _ => 0.7f,
    };

    private static PathwayInfo SameInfo(Category c) => c.Kind switch
    {
        CategoryKind.Material or CategoryKind.Equipment => new PathwayInfo("R0 réemploi", c.LabelFr + " : réemploi direct", 1, 9),
        CategoryKind.Use => new PathwayInfo("valorisation", "même débouché : " + Lower(c.LabelFr), 2, 9),
        CategoryKind.Transport => new PathwayInfo("mutualisation", Lower(c.LabelFr) + " : mutualisation", 1, 9),
        CategoryKind.Skill => new PathwayInfo("mise à disposition", Lower(c.LabelFr) + " : mise à disposition", 1, 9),
        _ => new PathwayInfo("mise à disposition", Lower(c.LabelFr) + " : mise à disposition", 1, 9),
    };

    private static PathwayInfo RelatedInfo(Category o, Category d) =>
        new(SameInfo(o).Operation, Lower(o.LabelFr) + " → " + Lower(d.LabelFr), 1, 0);

    private static string Label(string op, CategoryKind targetKind) => op switch
    {
        "R0" => targetKind == CategoryKind.Material ? "R0 réemploi" : "R0 réemploi / réutilisation",
        "R1" => "R1 valorisation énergétique",
        "R2" => "R2 régénération des solvants",
        "R3" => "R3 recyclage / valorisation matière",
        "R4" => "R4 recyclage des métaux",
        "R5" => "R5 recyclage de matières minérales",
        "R9" => "R9 régénération des huiles",
        "R10" => "R10 épandage (retour au sol)",
        _ => op,
    };

    private static string Lower(string s) => s.Length > 1 && char.IsUpper(s[0]) && !char.IsUpper(s[1]) ? char.ToLowerInvariant(s[0]) + s[1..] : s;
}

/// <summary>How an offer category serves a need category.</summary>
internal sealed record PathwayInfo(string Operation, string Phrase, int Rank, int Specificity);
