using System.Text.RegularExpressions;

namespace Boucle.Matching.Text;

/// <summary>
/// Splits a listing title into who speaks, what is offered or sought, and what for: in "Éleveur bovin cherche
/// aliments pour le troupeau" the resource is "aliments"; the actor and the purpose are context. French listing
/// titles follow this pattern closely enough that weighting the parts differently sharpens classification.
/// </summary>
internal static partial class TitleSegments
{
    public const double ActorWeight = 0.8;
    public const double ObjectWeight = 2.5;
    public const double PurposeWeight = 1.2;
    public const double DescriptionWeight = 1.0;

    public static (string Actor, string Object, string Purpose) Split(string? title)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return (string.Empty, string.Empty, string.Empty);
        }

        var actor = string.Empty;
        var rest = title;
        var seek = SeekVerb().Match(title);
        if (seek.Success)
        {
            actor = title[..seek.Index];
            rest = title[(seek.Index + seek.Length)..];
        }

        var purpose = PurposeWord().Match(rest);
        return purpose.Success
            ? (actor, rest[..purpose.Index], rest[purpose.Index..])
            : (actor, rest, string.Empty);
    }

    /// <summary>Analysed, weighted fields of a listing: title parts then description.</summary>
    public static (IReadOnlyList<string> Terms, double Weight)[] Fields(FrenchAnalyzer analyzer, string? title, string? description)
    {
        var (actor, obj, purpose) = Split(title);
        return
        [
            (analyzer.Terms(actor), ActorWeight),
            (analyzer.Terms(obj), ObjectWeight),
            (analyzer.Terms(purpose), PurposeWeight),
            (analyzer.Terms(description), DescriptionWeight),
        ];
    }

    [GeneratedRegex(@"\b(re)?cherch\w*|\bbesoin\b(\s+(de|d['’]|en))?|\blooking for\b|\bseeking\b|\bwanted\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SeekVerb();

    [GeneratedRegex(@"\b(pour|afin|destinée?s?|for)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PurposeWord();
}
