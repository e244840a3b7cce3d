using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Workshops;

/// The facilitators' list of "haves and wants" sessions, and the form that opens one.
[Authorize]
public sealed class IndexModel(AppDbContext db, CurrentActor actor, WorkshopService workshops, TimeProvider time) : PageModel
{
    public sealed class NewWorkshop
    {
        public string? Title { get; set; }
        public DateOnly? Date { get; set; }
        public string? Place { get; set; }
        public int? TerritoryId { get; set; }
    }

    public sealed record Row(int Id, string Title, DateOnly Date, string? Place, string JoinCode, WorkshopStatus Status, string Territory, int Cards);

    [BindProperty] public NewWorkshop Input { get; set; } = new();
    public IReadOnlyList<(int Id, string Name)> Territories { get; private set; } = [];
    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return Forbid();
        }

        Input.Date = DateOnly.FromDateTime(time.GetLocalNow().Date);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return Forbid();
        }

        var title = Input.Title?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > 140)
        {
            ModelState.AddModelError("Input.Title", "Donnez un titre (140 caractères au plus).");
        }

        if (Input.Date is null)
        {
            ModelState.AddModelError("Input.Date", "Indiquez la date de l'atelier.");
        }

        if (Input.Place is { Length: > 200 })
        {
            ModelState.AddModelError("Input.Place", "Le lieu est limité à 200 caractères.");
        }

        var territory = Input.TerritoryId ?? Territories.FirstOrDefault().Id;
        if (!Territories.Any(t => t.Id == territory))
        {
            ModelState.AddModelError("Input.TerritoryId", "Choisissez un territoire que vous animez.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var workshop = new Workshop
        {
            TerritoryId = territory,
            Title = title!,
            Date = Input.Date!.Value,
            Place = string.IsNullOrWhiteSpace(Input.Place) ? null : Input.Place.Trim(),
            JoinCode = await workshops.NewJoinCodeAsync(ct),
            CreatedByUserId = (await actor.GetAsync(ct)).UserId!,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Add(workshop);
        await db.SaveChangesAsync(ct);
        return Redirect($"/animation/ateliers/{workshop.Id}");
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        var ids = me.FacilitatedTerritories;
        Territories = (await db.Territories.AsNoTracking().Where(t => me.IsAdministrator || ids.Contains(t.Id)).OrderByDescending(t => t.IsMain).ThenBy(t => t.Name)
            .Select(t => new { t.Id, t.Name }).ToListAsync(ct)).Select(t => (t.Id, t.Name)).ToList();
        if (Territories.Count == 0)
        {
            return false;
        }

        var allowed = Territories.Select(t => t.Id).ToList();
        Rows = await db.Set<Workshop>().AsNoTracking().Where(w => allowed.Contains(w.TerritoryId)).OrderByDescending(w => w.Date).ThenByDescending(w => w.Id)
            .Select(w => new Row(w.Id, w.Title, w.Date, w.Place, w.JoinCode, w.Status, db.Territories.Where(t => t.Id == w.TerritoryId).Select(t => t.Name).First(),
                db.Set<WorkshopCard>().Count(c => c.WorkshopId == w.Id)))
            .Take(100).ToListAsync(ct);
        return true;
    }
}
