using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Messaging;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Workspace;

public sealed record GroupSummary(int Id, string Name, string? Purpose, int Members, int Sessions);

/// The working groups of a territory, and a form to start one.
[Authorize]
public sealed class GroupsModel(AppDbContext db, CurrentActor actor, AuditLog audit, TimeProvider time) : PageModel
{
    public IReadOnlyList<(int Id, string Name)> Territories { get; private set; } = [];
    [BindProperty(SupportsGet = true, Name = "territoire")] public int? TerritoryId { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Purpose { get; set; }
    public IReadOnlyList<GroupSummary> Groups { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Territories = await WorkspaceAccess.TerritoriesAsync(db, actor, ct);
        if (Territories.Count == 0)
        {
            return Forbid();
        }

        if (TerritoryId is { } wanted && !Territories.Any(t => t.Id == wanted))
        {
            return NotFound();
        }

        var territoryId = TerritoryId ??= Territories[0].Id;
        Groups = await db.Set<WorkingGroup>().AsNoTracking().Where(g => g.TerritoryId == territoryId).OrderBy(g => g.Name)
            .Select(g => new GroupSummary(g.Id, g.Name, g.Purpose, g.Members.Count, g.Sessions.Count)).ToListAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Territories = await WorkspaceAccess.TerritoriesAsync(db, actor, ct);
        if (TerritoryId is not { } territoryId || !Territories.Any(t => t.Id == territoryId))
        {
            return Territories.Count == 0 ? Forbid() : NotFound();
        }

        var name = MessagingService.Normalise(Name);
        var purpose = MessagingService.Normalise(Purpose);
        if (name.Length is < 2 or > 200)
        {
            ModelState.AddModelError(nameof(Name), "Indiquez le nom du groupe (2 à 200 caractères).");
        }

        if (purpose.Length > 2000)
        {
            ModelState.AddModelError(nameof(Purpose), "2 000 caractères au plus.");
        }

        if (!ModelState.IsValid)
        {
            return await OnGetAsync(ct);
        }

        var group = new WorkingGroup { TerritoryId = territoryId, Name = name, Purpose = purpose.Length == 0 ? null : purpose, CreatedAt = time.GetUtcNow().UtcDateTime };
        db.Set<WorkingGroup>().Add(group);
        await db.SaveChangesAsync(ct);
        await audit.AddAsync(territoryId, WorkspaceAudit.GroupCreate, "group", group.Id, group.Name, null, ct);
        await db.SaveChangesAsync(ct);
        return Redirect($"/animation/groupes/{group.Id}");
    }
}

/// One working group: its member organisations, its sessions and their decisions.
[Authorize]
public sealed class GroupModel(AppDbContext db, CurrentActor actor, AuditLog audit) : PageModel
{
    public WorkingGroup Group { get; private set; } = null!;
    public IReadOnlyList<(int Id, string Name)> Members { get; private set; } = [];
    public IReadOnlyList<(int Id, string Name)> Candidates { get; private set; } = [];
    [BindProperty] public int? OrganisationId { get; set; }
    [BindProperty] public DateOnly? SessionDate { get; set; }
    [BindProperty] public string? SessionNotes { get; set; }
    [BindProperty] public string? SessionDecisions { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is not { } group)
        {
            return NotFound();
        }

        Group = group;
        var memberIds = group.Members.Select(m => m.OrganisationId).ToList();
        var organisations = await db.Organisations.AsNoTracking().Where(o => o.TerritoryId == group.TerritoryId).OrderBy(o => o.Name)
            .Select(o => new { o.Id, o.Name }).ToListAsync(ct);
        Members = [.. organisations.Where(o => memberIds.Contains(o.Id)).Select(o => (o.Id, o.Name))];
        Candidates = [.. organisations.Where(o => !memberIds.Contains(o.Id)).Select(o => (o.Id, o.Name))];
        return Page();
    }

    public async Task<IActionResult> OnPostMemberAsync(int id, string? remove, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is not { } group)
        {
            return NotFound();
        }

        var organisation = OrganisationId is { } oid
            ? await db.Organisations.AsNoTracking().Where(o => o.Id == oid && o.TerritoryId == group.TerritoryId).Select(o => new { o.Id, o.Name }).SingleOrDefaultAsync(ct)
            : null;
        if (organisation is null)
        {
            ModelState.AddModelError(nameof(OrganisationId), "Choisissez une structure du territoire.");
            return await OnGetAsync(id, ct);
        }

        var existing = await db.Set<WorkingGroupMember>().SingleOrDefaultAsync(m => m.WorkingGroupId == id && m.OrganisationId == organisation.Id, ct);
        if (remove is not null && existing is not null)
        {
            db.Remove(existing);
        }
        else if (remove is null && existing is null)
        {
            db.Add(new WorkingGroupMember { WorkingGroupId = id, OrganisationId = organisation.Id });
        }

        await audit.AddAsync(group.TerritoryId, WorkspaceAudit.GroupChange, "group", id, group.Name, $"{(remove is null ? "ajout" : "retrait")} : {organisation.Name}", ct);
        await db.SaveChangesAsync(ct);
        return Redirect($"/animation/groupes/{id}");
    }

    public async Task<IActionResult> OnPostSessionAsync(int id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is not { } group)
        {
            return NotFound();
        }

        var notes = MessagingService.Normalise(SessionNotes);
        var decisions = MessagingService.Normalise(SessionDecisions);
        if (SessionDate is null)
        {
            ModelState.AddModelError(nameof(SessionDate), "Indiquez la date de la séance.");
        }

        if (notes.Length > 4000)
        {
            ModelState.AddModelError(nameof(SessionNotes), "4 000 caractères au plus.");
        }

        if (decisions.Length > 4000)
        {
            ModelState.AddModelError(nameof(SessionDecisions), "4 000 caractères au plus.");
        }

        if (!ModelState.IsValid)
        {
            return await OnGetAsync(id, ct);
        }

        db.Add(new WorkingGroupSession { WorkingGroupId = id, Date = SessionDate!.Value, Notes = notes.Length == 0 ? null : notes, Decisions = decisions.Length == 0 ? null : decisions });
        await audit.AddAsync(group.TerritoryId, WorkspaceAudit.GroupChange, "group", id, group.Name, $"séance du {SessionDate:yyyy-MM-dd}", ct);
        await db.SaveChangesAsync(ct);
        return Redirect($"/animation/groupes/{id}#seances");
    }

    private async Task<WorkingGroup?> LoadAsync(int id, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        var group = await db.Set<WorkingGroup>().AsNoTracking().Include(g => g.Members).Include(g => g.Sessions).SingleOrDefaultAsync(g => g.Id == id, ct);
        return group is not null && me.UserId is not null && me.Facilitates(group.TerritoryId) ? group : null;
    }
}
