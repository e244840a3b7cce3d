using System.Globalization;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Impact;

/// An organisation's own dashboard: readable by its members and its territory's facilitators only.
[Authorize]
public sealed class OrganisationModel(AppDbContext db, ImpactService impact, CurrentActor actor) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? Id { get; set; }
    [BindProperty(SupportsGet = true)] public string? Du { get; set; }
    [BindProperty(SupportsGet = true)] public string? Au { get; set; }
    public Dictionary<string, string[]> Errors { get; } = [];
    public PeriodFormModel PeriodForm => new(Du, Au, Errors, Id is null ? null : "id", Id?.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public DashboardView? View { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var info = await actor.GetAsync(ct);
        var orgId = Id ?? info.Current?.OrganisationId;
        if (orgId is null)
        {
            return RedirectToPage("/Organisations/New");
        }

        var org = await db.Organisations.AsNoTracking().Where(o => o.Id == orgId).Select(o => new { o.Id, o.Name, o.TerritoryId, o.Latitude, o.Longitude }).FirstOrDefaultAsync(ct);
        if (org is null)
        {
            return NotFound();
        }

        if (!info.IsMemberOf(org.Id) && !info.Facilitates(org.TerritoryId))
        {
            return Forbid();
        }

        var (from, to) = ImpactEndpoints.Period(Du, Au, Errors);
        if (Errors.Count > 0)
        {
            (from, to) = (null, null);
        }

        var territory = (await impact.TerritoryAsync(org.TerritoryId.ToString(CultureInfo.InvariantCulture), ct))!;
        var rows = await impact.RowsAsync(new ImpactQuery(territory, from, to, org.Id), ct);
        var query = $"organisation={org.Id}&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}";
        View = DashboardView.Build($"Impact de {org.Name}", rows, details: true, query, org.Latitude ?? territory.Latitude, org.Longitude ?? territory.Longitude);
        return Page();
    }
}
