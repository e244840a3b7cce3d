using Boucle.Matching.Classification;
using Boucle.Matching.Knowledge;

namespace Boucle.Web.Features.Listings;

public sealed record CategoryNode(string Code, string? ParentCode, string LabelFr, string LabelEn, int SortOrder);

/// The taxonomy and the classifier, both from the synergy engine's knowledge files.
public sealed class CategoryCatalogue
{
    public IReadOnlyList<CategoryNode> All { get; } =
        [.. Taxonomy.Default.Categories.Select((c, i) => new CategoryNode(c.Code, c.Parent, c.LabelFr, c.LabelEn, i))];

    /// The engine's best category for the text, when it is confident enough to propose one.
    public CategorySuggestion? Suggest(string? title, string? description) =>
        ListingClassifier.Default.Classify(title, description).Categories.FirstOrDefault(c => c.Confidence >= 0.3);
}
