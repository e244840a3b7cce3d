using System.Globalization;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Territories;

public sealed record TerritoryRow(int Id, string Name, bool IsMain, int Communes, int Facilitators, int Organisations, bool OpenToNeighbours);

/// Administrators list the territories and create one from communes or an intercommunality.
[Authorize]
public sealed class AdminModel(AppDbContext db, CurrentActor actor, TerritoryAdmin admin) : PageModel
{
    [BindProperty] public TerritoryInput Input { get; set; } = new();
    public IReadOnlyList<TerritoryRow> Territories { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!(await actor.GetAsync(ct)).IsAdministrator)
        {
            return Forbid();
        }

        Territories = await db.Territories.AsNoTracking().OrderByDescending(t => t.IsMain).ThenBy(t => t.Name)
            .Select(t => new TerritoryRow(t.Id, t.Name, t.IsMain, t.Communes.Count, t.Facilitators.Count, db.Organisations.Count(o => o.TerritoryId == t.Id), t.OpenToNeighbours))
            .ToListAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!(await actor.GetAsync(ct)).IsAdministrator)
        {
            return Forbid();
        }

        var (errors, territory) = await admin.CreateAsync(Input, ct);
        foreach (var (key, messages) in errors)
        {
            foreach (var m in messages)
            {
                ModelState.AddModelError($"Input.{key}", m);
            }
        }

        return territory is null ? await OnGetAsync(ct) : Redirect($"/admin/territoires/{territory.Id}");
    }
}

/// One territory for administrators: perimeter, facilitators, sharing with neighbours.
[Authorize]
public sealed class AdminTerritoryModel(AppDbContext db, CurrentActor actor, TerritoryAdmin admin) : PageModel
{
    public Territory Territory { get; private set; } = null!;
    public IReadOnlyList<(string UserId, string Name, string? Email)> Facilitators { get; private set; } = [];
    public IReadOnlyList<string> Neighbours { get; private set; } = [];
    public IReadOnlyList<string> CommuneNames { get; private set; } = [];
    [BindProperty] public string? Email { get; set; }

    /// Days a listing stays published (the form's text, kept as typed when it is refused).
    [BindProperty] public string? ExpiryDays { get; set; }

    [TempData] public string? Flash { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!(await actor.GetAsync(ct)).IsAdministrator)
        {
            return Forbid();
        }

        var territory = await db.Territories.AsNoTracking().Include(t => t.Communes).SingleOrDefaultAsync(t => t.Id == id, ct);
        if (territory is null)
        {
            return NotFound();
        }

        Territory = territory;
        ExpiryDays ??= territory.ListingExpiryDays.ToString(CultureInfo.InvariantCulture);
        var reference = HttpContext.RequestServices.GetRequiredService<Reference.ReferenceData>();
        CommuneNames = [.. territory.Communes.Select(c => reference.Commune(c.CommuneInsee)?.Name ?? c.CommuneInsee).Order(StringComparer.CurrentCulture)];
        Facilitators = (await db.TerritoryFacilitators.AsNoTracking().Where(f => f.TerritoryId == id)
            .Join(db.Users, f => f.UserId, u => u.Id, (f, u) => new { u.Id, u.DisplayName, u.Email }).OrderBy(u => u.Email).ToListAsync(ct))
            .Select(u => (u.Id, u.DisplayName ?? u.Email ?? u.Id, u.Email)).ToList();
        // Both directions: whose shared listings come here, and where this territory's would go if it shares.
        var places = await TerritoryNeighbours.PlacesAsync(db, ct);
        var all = places.Select(p => p with { Shares = true }).ToList();
        var near = TerritoryNeighbours.SharingInto(all, id);
        var names = await db.Territories.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        Neighbours = [.. near.Select(n => names[n]).Order(StringComparer.CurrentCulture)];
        return Page();
    }

    public async Task<IActionResult> OnPostFacilitatorAsync(int id, CancellationToken ct)
    {
        if (!(await actor.GetAsync(ct)).IsAdministrator)
        {
            return Forbid();
        }

        if (!await db.Territories.AnyAsync(t => t.Id == id, ct))
        {
            return NotFound();
        }

        if (await admin.AddFacilitatorAsync(id, Email, ct) is { } error)
        {
            ModelState.AddModelError(nameof(Email), error);
            return await OnGetAsync(id, ct);
        }

        return Redirect($"/admin/territoires/{id}");
    }

    public async Task<IActionResult> OnPostRemoveAsync(int id, string userId, CancellationToken ct)
    {
        if (!(await actor.GetAsync(ct)).IsAdministrator)
        {
            return Forbid();
        }

        if (!await db.Territories.AnyAsync(t => t.Id == id, ct))
        {
            return NotFound();
        }

        await admin.RemoveFacilitatorAsync(id, userId, ct);
        return Redirect($"/admin/territoires/{id}");
    }

    public async Task<IActionResult> OnPostExpiryAsync(int id, CancellationToken ct)
    {
        if (!(await actor.GetAsync(ct)).IsAdministrator)
        {
            return Forbid();
        }

        if (!await db.Territories.AnyAsync(t => t.Id == id, ct))
        {
            return NotFound();
        }

        if (await admin.SetListingExpiryDaysAsync(id, ExpiryDays, ct) is { } error)
        {
            ModelState.AddModelError(nameof(ExpiryDays), error);
            return await OnGetAsync(id, ct);
        }

        Flash = $"Durée de publication enregistrée : {ExpiryDays!.Trim()} jours.";
        return Redirect($"/admin/territoires/{id}");
    }

    public async Task<IActionResult> OnPostSharingAsync(int id, bool open, CancellationToken ct)
    {
        if (!(await actor.GetAsync(ct)).IsAdministrator)
        {
            return Forbid();
        }

        if (!await db.Territories.AnyAsync(t => t.Id == id, ct))
        {
            return NotFound();
        }

        await admin.SetSharingAsync(id, open, ct);
        return Redirect($"/admin/territoires/{id}");
    }
}
