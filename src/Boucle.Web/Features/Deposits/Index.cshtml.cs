using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Shared;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Boucle.Web.Features.Deposits;

/// The facilitators' view of the flows nobody takes, the seed of new local sectors (filières).
[Authorize]
public sealed class IndexModel(AppDbContext db, CurrentActor actor, DepositService deposits, TimeProvider time, IOptions<BoucleOptions> options) : PageModel
{
    public static readonly int[] Thresholds = [30, 40, 50, 60, 70];

    [BindProperty(SupportsGet = true)] public int Seuil { get; set; } = 50;
    [BindProperty(SupportsGet = true)] public int? Territoire { get; set; }
    [BindProperty] public string? Label { get; set; }
    [TempData] public string? Flash { get; set; }
    [TempData] public string? NewLink { get; set; }
    public DepositReport Report { get; private set; } = null!;
    public IReadOnlyList<(int Id, string Name)> Territories { get; private set; } = [];
    public IReadOnlyList<DepositView> Views { get; private set; } = [];
    public MapModel Map { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await AuthoriseAsync(ct))
        {
            return Forbid();
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        if (!await AuthoriseAsync(ct))
        {
            return Forbid();
        }

        var report = (await deposits.ComputeAsync(Territoire!.Value, Seuil, ct))!;
        return File(Workshops.CsvText.Utf8WithBom(DepositService.Csv(report, withNames: true)), "text/csv; charset=utf-8", $"gisements-{time.GetUtcNow():yyyy-MM-dd}.csv");
    }

    public async Task<IActionResult> OnGetCellsAsync(CancellationToken ct)
    {
        if (!await AuthoriseAsync(ct))
        {
            return Forbid();
        }

        var report = (await deposits.ComputeAsync(Territoire!.Value, Seuil, ct))!;
        return new JsonResult(DepositGeo.Cells(report.Cells)) { ContentType = "application/geo+json" };
    }

    public async Task<IActionResult> OnPostShareAsync(CancellationToken ct)
    {
        if (!await AuthoriseAsync(ct))
        {
            return Forbid();
        }

        var label = Label?.Trim();
        if (string.IsNullOrEmpty(label) || label.Length > 140)
        {
            ModelState.AddModelError(nameof(Label), "Nommez la vue (pour qui, pourquoi), en 140 caractères au plus.");
            await LoadAsync(ct);
            return Page();
        }

        var token = DepositView.NewToken();
        db.Add(new DepositView
        {
            TerritoryId = Territoire!.Value,
            Label = label,
            ThresholdPercent = Seuil,
            TokenHash = DepositView.HashOf(token),
            CreatedByUserId = (await actor.GetAsync(ct)).UserId!,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
        NewLink = $"{Request.Scheme}://{Request.Host}/gisements/{token}";
        Flash = $"Vue « {label} » créée. Copiez son lien maintenant : il ne sera plus affiché.";
        return Redirect($"/animation/gisements?territoire={Territoire}&seuil={Seuil}#partage");
    }

    public async Task<IActionResult> OnPostRevokeAsync(int viewId, CancellationToken ct)
    {
        if (!await AuthoriseAsync(ct))
        {
            return Forbid();
        }

        var revoked = await db.Set<DepositView>().Where(v => v.Id == viewId && v.TerritoryId == Territoire && v.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.RevokedAt, time.GetUtcNow().UtcDateTime), ct);
        Flash = revoked == 1 ? "Lien révoqué : il ne donne plus accès à la vue." : "Ce lien était déjà révoqué.";
        return Redirect($"/animation/gisements?territoire={Territoire}&seuil={Seuil}#partage");
    }

    private async Task<bool> AuthoriseAsync(CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        Territories = (await db.Territories.AsNoTracking().Where(t => me.IsAdministrator || me.FacilitatedTerritories.Contains(t.Id))
            .OrderByDescending(t => t.IsMain).ThenBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync(ct)).Select(t => (t.Id, t.Name)).ToList();
        Territoire ??= Territories.FirstOrDefault().Id;
        Seuil = Thresholds.Contains(Seuil) ? Seuil : 50;
        return Territories.Any(t => t.Id == Territoire);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Report = (await deposits.ComputeAsync(Territoire!.Value, Seuil, ct))!;
        Views = await db.Set<DepositView>().AsNoTracking().Where(v => v.TerritoryId == Territoire).OrderByDescending(v => v.Id).ToListAsync(ct);
        var centre = await db.Territories.AsNoTracking().Where(t => t.Id == Territoire).Select(t => new { t.CenterLatitude, t.CenterLongitude }).SingleAsync(ct);
        Map = new MapModel("carte-gisements", centre.CenterLatitude, centre.CenterLongitude, 9, $"/animation/gisements?handler=Cells&territoire={Territoire}&seuil={Seuil}",
            options.Value.TileUrl, options.Value.TileAttribution, "Carte des gisements sans preneur, par maille");
    }
}
