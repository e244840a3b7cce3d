using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Territories;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Boucle.Web.Features.Impact;

/// The territory dashboard: aggregate figures for everyone; parties, map, exchanges and exports for its facilitators (ADR impact-public).
public sealed class IndexModel(AppDbContext db, ImpactService impact, CurrentActor actor) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Territoire { get; set; }
    [BindProperty(SupportsGet = true)] public string? Du { get; set; }
    [BindProperty(SupportsGet = true)] public string? Au { get; set; }
    public Dictionary<string, string[]> Errors { get; } = [];
    public PeriodFormModel PeriodForm => new(Du, Au, Errors, Territoire is null ? null : "territoire", Territoire);
    public TerritorySummary? Territory { get; private set; }
    public DashboardView? View { get; private set; }
    public bool Facilitator { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var (from, to) = ImpactEndpoints.Period(Du, Au, Errors);
        Territory = string.IsNullOrWhiteSpace(Territoire) ? await TerritoryQueries.MainAsync(db, ct) : await impact.TerritoryAsync(Territoire, ct);
        if (Territory is null)
        {
            return NotFound();
        }

        if (Errors.Count > 0)
        {
            (from, to) = (null, null);
        }

        var info = await actor.GetAsync(ct);
        Facilitator = info.Facilitates(Territory.Id);
        var rows = await impact.RowsAsync(new ImpactQuery(Territory, from, to, null), ct);
        var query = $"territory={Uri.EscapeDataString(Territory.Slug)}&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}";
        View = DashboardView.Build($"Impact du territoire {Territory.Name}", rows, Facilitator, Facilitator ? query : null, Territory.Latitude, Territory.Longitude);
        return Page();
    }
}
