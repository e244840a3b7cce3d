using System.Globalization;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Organisations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Loop;

/// Loads the canteen named in the route and checks that the person may see and change its records.
public abstract class CanteenPageModel(AppDbContext db, CurrentActor actor) : PageModel
{
    [FromRoute] public int Id { get; set; }

    public Organisation Canteen { get; private set; } = null!;

    protected AppDbContext Db => db;

    protected ActorInfo Me { get; private set; } = ActorInfo.Anonymous;

    /// Null when allowed; otherwise the answer to give (404 or 403).
    protected async Task<IActionResult?> LoadCanteenAsync(CancellationToken ct)
    {
        var organisation = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == Id, ct);
        if (organisation is null)
        {
            return NotFound();
        }

        Me = await actor.GetAsync(ct);
        if (!LoopAccess.CanEdit(Me, organisation))
        {
            return Forbid();
        }

        Canteen = organisation;
        return null;
    }

    protected void AddErrors(Dictionary<string, string[]> errors, string prefix = "Input")
    {
        foreach (var (key, messages) in errors)
        {
            foreach (var m in messages)
            {
                ModelState.AddModelError($"{prefix}.{key}", m);
            }
        }
    }
}

[Authorize]
public sealed class CanteenModel(AppDbContext db, CurrentActor actor, LoopIndicators indicators, LoopCsv csv) : CanteenPageModel(db, actor)
{
    [FromQuery(Name = "annee")] public int? Year { get; set; }
    [TempData] public string? Message { get; set; }

    public CanteenFigures? Figures { get; private set; }
    public IReadOnlyList<CanteenPurchase> Purchases { get; private set; } = [];
    public int PurchaseCount { get; private set; }
    public IReadOnlyList<ImportError> ImportErrors { get; private set; } = [];
    public string? ImportKind { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadCanteenAsync(ct) is { } denied)
        {
            return denied;
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostImportAsync(string? kind, IFormFile? file, CancellationToken ct)
    {
        if (await LoadCanteenAsync(ct) is { } denied)
        {
            return denied;
        }

        ImportKind = kind;
        if (kind is not ("achats" or "pesees"))
        {
            ModelState.AddModelError("kind", "Choisissez ce que contient le fichier.");
        }

        if (file is not { Length: > 0 })
        {
            ModelState.AddModelError("file", "Choisissez un fichier CSV.");
        }
        else if (file.Length > 5_000_000)
        {
            ModelState.AddModelError("file", "Le fichier dépasse 5 Mo.");
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }

        await using var stream = file!.OpenReadStream();
        var result = kind == "achats" ? await csv.ImportPurchasesAsync(Canteen, stream, ct) : await csv.ImportMeasurementsAsync(Canteen, stream, ct);
        if (!result.Ok)
        {
            ImportErrors = result.Errors;
            await LoadAsync(ct);
            return Page();
        }

        Message = $"{result.Imported} ligne{(result.Imported > 1 ? "s" : "")} importée{(result.Imported > 1 ? "s" : "")}.";
        return Redirect($"/boucle/cantines/{Id}");
    }

    public async Task<IActionResult> OnPostDeleteMeasurementAsync(int measurementId, CancellationToken ct)
    {
        if (await LoadCanteenAsync(ct) is { } denied)
        {
            return denied;
        }

        var deleted = await Db.Set<WasteMeasurement>().Where(m => m.Id == measurementId && m.CanteenOrganisationId == Id).ExecuteDeleteAsync(ct);
        Message = deleted > 0 ? "Campagne de pesée supprimée." : "Cette campagne n'existe plus.";
        return Redirect($"/boucle/cantines/{Id}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Figures = await indicators.CanteenAsync(Id, Year, ct);
        var purchases = Db.Set<CanteenPurchase>().AsNoTracking().Where(p => p.CanteenOrganisationId == Id);
        PurchaseCount = await purchases.CountAsync(ct);
        Purchases = await purchases.OrderByDescending(p => p.Date).ThenByDescending(p => p.Id).Take(15).ToListAsync(ct);
    }

    public static string G(double? v) => v is null ? "—" : v.Value.ToString("0", CultureInfo.GetCultureInfo("fr-FR")) + " g";

    public static string Kg(double? v) => v is null ? "—" : v.Value.ToString("N1", CultureInfo.GetCultureInfo("fr-FR")) + " kg";

    public static string Pct(double? v) => IndexModel.Pct(v);

    public static string Eur(decimal v) => v.ToString("N2", CultureInfo.GetCultureInfo("fr-FR")) + " €";

    public static string SectorFr(CanteenSector s) => s switch
    {
        CanteenSector.School => "scolaire",
        CanteenSector.Health => "santé",
        CanteenSector.SocialCare => "social et médico-social",
        CanteenSector.Company => "restauration d'entreprise",
        _ => "autre",
    };
}
