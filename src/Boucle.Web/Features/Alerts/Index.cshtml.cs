using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Boucle.Web.Features.Alerts;

[Authorize]
public sealed class IndexModel(AppDbContext db, CurrentActor actor, IOptions<BoucleOptions> options) : PageModel
{
    public sealed record Row(SavedSearch Search, string Description, string FeedUrl);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var userId = actor.UserId!;
        var searches = await db.Set<SavedSearch>().AsNoTracking().Where(s => s.UserId == userId).OrderBy(s => s.Name).ThenBy(s => s.Id).ToListAsync(ct);
        var codes = searches.Select(s => s.Category).OfType<string>().Distinct().ToList();
        var labels = await db.Categories.AsNoTracking().Where(c => codes.Contains(c.Code)).ToDictionaryAsync(c => c.Code, c => c.LabelFr, ct);
        var baseUrl = options.Value.PublicUrl?.TrimEnd('/') ?? $"{Request.Scheme}://{Request.Host}";
        Rows = [.. searches.Select(s => new Row(s, SavedSearchRules.Describe(s, labels), $"{baseUrl}/alertes/{s.FeedToken}.atom"))];
    }
}
