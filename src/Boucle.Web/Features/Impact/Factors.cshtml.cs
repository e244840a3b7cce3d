using System.Globalization;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Listings;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Impact;

/// Factors and densities with their history; administrators add versions (the old ones stay, computed exchanges keep theirs).
public sealed class FactorsModel(AppDbContext db, ImpactService impact, CurrentActor actor, TimeProvider time) : PageModel
{
    public static readonly QuantityUnit[] DensityUnits = [QuantityUnit.L, QuantityUnit.M3, QuantityUnit.Pieces, QuantityUnit.Pallets];

    [BindProperty] public string? Key { get; set; }
    [BindProperty] public string? Value { get; set; }
    [BindProperty] public string? Source { get; set; }
    [BindProperty] public string? CategoryCode { get; set; }
    [BindProperty] public QuantityUnit? Unit { get; set; }
    public bool Administrator { get; private set; }
    public IReadOnlyList<ImpactFactor> Factors { get; private set; } = [];
    public IReadOnlyList<DensityFactor> Densities { get; private set; } = [];
    public IReadOnlyList<Category> Categories { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];
    [TempData] public string? Flash { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostFactorAsync(CancellationToken ct)
    {
        if (!(await actor.GetAsync(ct)).IsAdministrator)
        {
            return Forbid();
        }

        await impact.SeedFactorsAsync(ct);
        var current = await db.Set<ImpactFactor>().Where(f => f.Key == Key).OrderByDescending(f => f.Version).FirstOrDefaultAsync(ct);
        if (current is null)
        {
            Errors["Key"] = "Choisissez un facteur de la liste.";
        }

        var value = Number(Value, "Value");
        if (value < 0)
        {
            Errors["Value"] = "Un facteur ne peut pas être négatif.";
        }

        if (string.IsNullOrWhiteSpace(Source))
        {
            Errors["Source"] = "Indiquez la source de la nouvelle valeur (publication, année, ligne).";
        }

        if (Errors.Count > 0)
        {
            await LoadAsync(ct);
            return Page();
        }

        var info = await actor.GetAsync(ct);
        db.Set<ImpactFactor>().Add(new ImpactFactor
        {
            Key = current!.Key,
            Label = current.Label,
            Unit = current.Unit,
            Value = value!.Value,
            Source = Source!.Trim(),
            Version = current.Version + 1,
            ValidFrom = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime),
            CreatedAt = time.GetUtcNow().UtcDateTime,
            CreatedByUserId = info.UserId,
        });
        await db.SaveChangesAsync(ct);
        Flash = $"Version {current.Version + 1} du facteur « {current.Label} » enregistrée ; elle s'applique aux échanges comptés à partir de maintenant.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDensityAsync(CancellationToken ct)
    {
        if (!(await actor.GetAsync(ct)).IsAdministrator)
        {
            return Forbid();
        }

        await impact.SeedFactorsAsync(ct);
        if (string.IsNullOrWhiteSpace(CategoryCode) || !await db.Categories.AnyAsync(c => c.Code == CategoryCode, ct))
        {
            Errors["CategoryCode"] = "Choisissez une catégorie de la liste.";
        }

        if (Unit is not { } unit || !DensityUnits.Contains(unit))
        {
            Errors["Unit"] = "Choisissez l'unité : litre, m³, pièce ou palette.";
        }

        var value = Number(Value, "Value");
        if (value <= 0)
        {
            Errors["Value"] = "Une densité doit être positive.";
        }

        if (string.IsNullOrWhiteSpace(Source))
        {
            Errors["Source"] = "Indiquez la source de la densité (publication, année, ligne).";
        }

        if (Errors.Count > 0)
        {
            await LoadAsync(ct);
            return Page();
        }

        var version = await db.Set<DensityFactor>().Where(d => d.CategoryCode == CategoryCode && d.Unit == Unit).MaxAsync(d => (int?)d.Version, ct) ?? 0;
        var info = await actor.GetAsync(ct);
        db.Set<DensityFactor>().Add(new DensityFactor
        {
            CategoryCode = CategoryCode!,
            Unit = Unit!.Value,
            TonnesPerUnit = value!.Value,
            Source = Source!.Trim(),
            Version = version + 1,
            ValidFrom = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime),
            CreatedAt = time.GetUtcNow().UtcDateTime,
            CreatedByUserId = info.UserId,
        });
        await db.SaveChangesAsync(ct);
        Flash = $"Version {version + 1} de la densité « {CategoryCode} » enregistrée.";
        return RedirectToPage();
    }

    private double? Number(string? text, string field)
    {
        if (double.TryParse(text?.Trim().Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v))
        {
            return v;
        }

        Errors[field] = "Saisissez un nombre (par exemple 0,692 ou 692).";
        return null;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        await impact.SeedFactorsAsync(ct);
        Administrator = (await actor.GetAsync(ct)).IsAdministrator;
        Factors = await db.Set<ImpactFactor>().AsNoTracking().OrderBy(f => f.Key).ThenByDescending(f => f.Version).ToListAsync(ct);
        Densities = await db.Set<DensityFactor>().AsNoTracking().OrderBy(d => d.CategoryCode).ThenBy(d => d.Unit).ThenByDescending(d => d.Version).ToListAsync(ct);
        Categories = await db.Categories.AsNoTracking().OrderBy(c => c.SortOrder).ToListAsync(ct);
    }
}
