using Boucle.Matching.Knowledge;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Synergies;

/// Facilitators add valorisation pathways to the engine's knowledge.
[Authorize]
public sealed class KnowledgeModel(AppDbContext db, CurrentActor actor, ListingChanges changes, TimeProvider time) : PageModel
{
    /// Operations and their rank in the waste hierarchy (1 reuse ... 4 energy recovery).
    public static readonly IReadOnlyList<(string Code, string Label, int Rank)> Operations =
    [
        ("R0", "Réemploi (R0)", 1),
        ("R3", "Recyclage des matières organiques (R3)", 2),
        ("R4", "Recyclage des métaux (R4)", 2),
        ("R5", "Recyclage d'autres matières inorganiques (R5)", 2),
        ("composting", "Compostage", 3),
        ("digestion", "Méthanisation", 3),
        ("R10", "Épandage (R10)", 3),
        ("R1", "Valorisation énergétique (R1)", 4),
    ];

    [BindProperty] public string? From { get; set; }
    [BindProperty] public string? To { get; set; }
    [BindProperty] public string? Operation { get; set; } = "R0";
    [BindProperty] public string? Label { get; set; }
    [BindProperty] public string? Source { get; set; }
    public IReadOnlyList<Listings.Category> Categories { get; private set; } = [];
    public IReadOnlyList<CustomPathway> Custom { get; private set; } = [];
    public IReadOnlyList<ValorisationPathway> Shipped => Taxonomy.Default.Pathways;
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await IsFacilitatorAsync(ct))
        {
            return Forbid();
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await IsFacilitatorAsync(ct))
        {
            return Forbid();
        }

        if (Taxonomy.Default.Find(From) is null)
        {
            ModelState.AddModelError(nameof(From), "Choisissez la catégorie offerte.");
        }

        if (Taxonomy.Default.Find(To) is null)
        {
            ModelState.AddModelError(nameof(To), "Choisissez la catégorie recherchée.");
        }

        var operation = Operations.FirstOrDefault(o => o.Code == Operation);
        if (operation.Code is null)
        {
            ModelState.AddModelError(nameof(Operation), "Opération inconnue.");
        }

        if (string.IsNullOrWhiteSpace(Label) || Label.Trim().Length > 200)
        {
            ModelState.AddModelError(nameof(Label), "Décrivez la voie en quelques mots (200 caractères au plus).");
        }

        if (string.IsNullOrWhiteSpace(Source) || Source.Trim().Length > 500)
        {
            ModelState.AddModelError(nameof(Source), "Indiquez d'où vient cette connaissance.");
        }

        if (ModelState.IsValid && await db.Set<CustomPathway>().AnyAsync(p => p.FromCategory == From && p.ToCategory == To && p.Operation == Operation, ct))
        {
            ModelState.AddModelError(nameof(To), "Cette voie existe déjà.");
        }

        if (ModelState.IsValid)
        {
            db.Set<CustomPathway>().Add(new CustomPathway
            {
                FromCategory = From!,
                ToCategory = To!,
                Operation = operation.Code!,
                Rank = operation.Rank,
                LabelFr = Label!.Trim(),
                Source = Source!.Trim(),
                CreatedByUserId = (await actor.GetAsync(ct)).UserId!,
                CreatedAt = time.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync(ct);
            changes.Bump();
            Message = "Voie ajoutée : le moteur en tient compte dès maintenant.";
            (From, To, Label, Source) = (null, null, null, null);
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task<bool> IsFacilitatorAsync(CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        return me.IsAdministrator || me.FacilitatedTerritories.Count > 0;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Categories = await db.Categories.AsNoTracking().OrderBy(c => c.SortOrder).ToListAsync(ct);
        Custom = await db.Set<CustomPathway>().AsNoTracking().OrderByDescending(p => p.CreatedAt).ToListAsync(ct);
    }
}
