using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Territories;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Synergies;

/// A synergy the engine did not propose, added by a facilitator (a flow found at a meeting, by phone...).
[Authorize]
public sealed class NewSynergyModel(AppDbContext db, CurrentActor actor, SynergyFunnel funnel) : PageModel
{
    public sealed class SynergyForm
    {
        public int? Giver { get; set; }
        public int? Taker { get; set; }
        public string? CategoryCode { get; set; }
        public string? Flow { get; set; }
    }

    [BindProperty] public SynergyForm Input { get; set; } = new();
    public IReadOnlyList<(int Id, string Name)> Organisations { get; private set; } = [];
    public IReadOnlyList<Category> Categories { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var territory = await TerritoryAsync(ct);
        if (territory is null)
        {
            return Forbid();
        }

        await LoadAsync(territory.Value, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var territory = await TerritoryAsync(ct);
        if (territory is null)
        {
            return Forbid();
        }

        var ids = await db.Organisations.Where(o => o.TerritoryId == territory).Select(o => o.Id).ToListAsync(ct);
        if (Input.Giver is not { } giver || !ids.Contains(giver))
        {
            ModelState.AddModelError("Input.Giver", "Choisissez la structure qui donne.");
        }

        if (Input.Taker is not { } taker || !ids.Contains(taker))
        {
            ModelState.AddModelError("Input.Taker", "Choisissez la structure qui reçoit.");
        }
        else if (taker == Input.Giver)
        {
            ModelState.AddModelError("Input.Taker", "La structure qui reçoit doit être différente de celle qui donne.");
        }

        if (!string.IsNullOrEmpty(Input.CategoryCode) && !await db.Categories.AnyAsync(c => c.Code == Input.CategoryCode, ct))
        {
            ModelState.AddModelError("Input.CategoryCode", "Catégorie inconnue.");
        }

        if (string.IsNullOrWhiteSpace(Input.Flow))
        {
            ModelState.AddModelError("Input.Flow", "Dites en quelques mots ce qui circule (par exemple : drêches de brasserie pour l'alimentation animale).");
        }
        else if (Input.Flow.Trim().Length > 200)
        {
            ModelState.AddModelError("Input.Flow", "200 caractères au plus.");
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(territory.Value, ct);
            return Page();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var synergy = await funnel.CreateAsync(new NewSynergy(territory.Value, Input.Giver!.Value, Input.Taker!.Value, null, null,
            string.IsNullOrEmpty(Input.CategoryCode) ? null : Input.CategoryCode, Input.Flow!, "manual"), (await actor.GetAsync(ct)).UserId!, ct);
        await transaction.CommitAsync(ct);
        TempData["Flash"] = "Synergie ajoutée.";
        return Redirect($"/synergies/{synergy.Id}");
    }

    private async Task<int?> TerritoryAsync(CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        var main = await TerritoryQueries.MainAsync(db, ct);
        return main is not null && me.Facilitates(main.Id) ? main.Id : null;
    }

    private async Task LoadAsync(int territoryId, CancellationToken ct)
    {
        Organisations = [.. (await db.Organisations.AsNoTracking().Where(o => o.TerritoryId == territoryId).OrderBy(o => o.Name)
            .Select(o => new { o.Id, o.Name }).ToListAsync(ct)).Select(o => (o.Id, o.Name))];
        Categories = await db.Categories.AsNoTracking().OrderBy(c => c.SortOrder).ThenBy(c => c.Code).ToListAsync(ct);
    }
}
