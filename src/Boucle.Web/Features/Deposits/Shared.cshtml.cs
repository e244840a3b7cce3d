using Boucle.Web.Data;
using Boucle.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Boucle.Web.Features.Deposits;

/// The read-only view behind a shared link: aggregates of at least three organisations, no names.
public sealed class SharedModel(AppDbContext db, DepositService deposits, IOptions<BoucleOptions> options) : PageModel
{
    public DepositView? View { get; private set; }
    public DepositReport Report { get; private set; } = null!;
    public int Hidden { get; private set; }
    public MapModel Map { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        if (!await LoadAsync(token, ct))
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        var centre = await db.Territories.AsNoTracking().Where(t => t.Id == View!.TerritoryId).Select(t => new { t.CenterLatitude, t.CenterLongitude }).SingleAsync(ct);
        Map = new MapModel("carte-gisements", centre.CenterLatitude, centre.CenterLongitude, 9, $"/gisements/{token}?handler=Cells",
            options.Value.TileUrl, options.Value.TileAttribution, "Carte des gisements sans preneur, par maille");
        return Page();
    }

    public async Task<IActionResult> OnGetCellsAsync(string token, CancellationToken ct) =>
        await LoadAsync(token, ct) ? new JsonResult(DepositGeo.Cells(Report.Cells)) { ContentType = "application/geo+json" } : NotFound();

    public async Task<IActionResult> OnGetCsvAsync(string token, CancellationToken ct) =>
        await LoadAsync(token, ct)
            ? File(Workshops.CsvText.Utf8WithBom(DepositService.Csv(Report, withNames: false)), "text/csv; charset=utf-8", "gisements.csv")
            : NotFound();

    private async Task<bool> LoadAsync(string token, CancellationToken ct)
    {
        // The link stores no secret of its own: a lookup by hash, so a database leak gives no working link.
        var hash = DepositView.HashOf(token ?? "");
        View = await db.Set<DepositView>().AsNoTracking().SingleOrDefaultAsync(v => v.TokenHash == hash && v.RevokedAt == null, ct);
        if (View is null || await deposits.ComputeAsync(View.TerritoryId, View.ThresholdPercent, ct) is not { } report)
        {
            View = null;
            return false;
        }

        // Only what at least three organisations share, and no centre that would locate a site.
        var shown = report.Groups.Where(g => g.Organisations >= DepositGeo.MinimumOrganisations)
            .Select(g => g with { CenterLatitude = Math.Round(g.CenterLatitude, 1), CenterLongitude = Math.Round(g.CenterLongitude, 1) }).ToList();
        Hidden = report.Groups.Count - shown.Count;
        Report = report with { Groups = shown, Cells = [.. report.Cells.Where(c => c.Organisations >= DepositGeo.MinimumOrganisations)] };
        return true;
    }
}
