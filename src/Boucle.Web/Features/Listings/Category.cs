namespace Boucle.Web.Features.Listings;

/// A node of the resource taxonomy; the engine's knowledge files are its source.
public sealed class Category
{
    public required string Code { get; set; }
    public string? ParentCode { get; set; }
    public required string LabelFr { get; set; }
    public required string LabelEn { get; set; }
    public int SortOrder { get; set; }
}
