namespace Boucle.Web.Features.Listings;

public sealed record CategoryNode(string Code, string? ParentCode, string LabelFr, string LabelEn, int SortOrder);

public sealed record CategorySuggestion(string Code, double Confidence);

/// The taxonomy and the classifier, both from the synergy engine's knowledge files.
public sealed class CategoryCatalogue
{
    // MERGE: replaced by the engine's taxonomy and classifier.
    public IReadOnlyList<CategoryNode> All { get; } = [];

    public CategorySuggestion? Suggest(string? title, string? description) => null;
}
