using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Territories;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Synergies;

/// The facilitators' follow-up board: the territory's synergies in columns by stage, with the
/// funnel's counts, conversions and median times.
[Authorize]
public sealed class FunnelModel(AppDbContext db, CurrentActor actor, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Categorie { get; set; }
    [BindProperty(SupportsGet = true)] public int? Structure { get; set; }
    [BindProperty(SupportsGet = true)] public int Age { get; set; }
    [TempData] public string? Flash { get; set; }
    public IReadOnlyList<Category> Categories { get; private set; } = [];
    public IReadOnlyList<(int Id, string Name)> Organisations { get; private set; } = [];
    public IReadOnlyList<SynergyRow> Rows { get; private set; } = [];
    public IReadOnlyList<StageFigures> Figures { get; private set; } = [];
    public DateTime Now { get; private set; }

    public string ReturnUrl => Request.Path + Request.QueryString;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        var main = await TerritoryQueries.MainAsync(db, ct);
        if (main is null || !me.Facilitates(main.Id))
        {
            return Forbid();
        }

        Now = time.GetUtcNow().UtcDateTime;
        Categories = await db.Categories.AsNoTracking().Where(c => c.ParentCode == null).OrderBy(c => c.SortOrder).ToListAsync(ct);
        Organisations = [.. (await db.Organisations.AsNoTracking().Where(o => o.TerritoryId == main.Id).OrderBy(o => o.Name)
            .Select(o => new { o.Id, o.Name }).ToListAsync(ct)).Select(o => (o.Id, o.Name))];
        List<SynergyRow> all = [.. (await SynergyQueries.Rows(db, s => s.TerritoryId == main.Id).ToListAsync(ct)).OrderBy(s => s.StageSince)];
        var filtered = all
            .Where(s => string.IsNullOrEmpty(Categorie) || (s.CategoryCode is { } c && (c == Categorie || c.StartsWith(Categorie + ".", StringComparison.Ordinal))))
            .Where(s => Structure is null || s.GiverId == Structure || s.TakerId == Structure)
            .Where(s => Age <= 0 || (Now - s.StageSince).TotalDays >= Age)
            .ToList();
        Rows = filtered;
        var ids = filtered.Select(s => s.Id).ToList();
        var steps = await db.Set<SynergyStep>().AsNoTracking().Where(s => ids.Contains(s.SynergyId)).ToListAsync(ct);
        Figures = SynergyQueries.Figures([.. filtered.Select(s => (s.Id, s.Stage))], steps);
        return Page();
    }
}
