using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Messaging;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Reference;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Workspace;

public sealed record MeetingInput
{
    public DateOnly? Date { get; init; }
    public string? PeopleMet { get; init; }
    public string? Notes { get; init; }
    public string? Stakes { get; init; }
    public string? FollowUp { get; init; }
    public DateOnly? DueDate { get; init; }
    public string? OwnerUserId { get; init; }
}

/// An organisation seen by its territory's facilitators: meetings, follow-ups, stakes, private notes, groups.
/// Nobody else reaches this page, not even the organisation's own members (they get "not found").
[Authorize]
public sealed class ProfileModel(AppDbContext db, CurrentActor actor, AuditLog audit, ReferenceData reference, TimeProvider time) : PageModel
{
    public Organisation Organisation { get; private set; } = null!;
    public string? NafLabel { get; private set; }
    public IReadOnlyList<string> Stakes { get; private set; } = [];
    public IReadOnlyList<Meeting> Meetings { get; private set; } = [];
    public IReadOnlyList<ActorNote> Notes { get; private set; } = [];
    public IReadOnlyList<(int Id, string Name)> Groups { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Facilitators { get; private set; } = new Dictionary<string, string>();
    public string? Message { get; private set; }

    [BindProperty] public MeetingInput Meeting { get; set; } = new();
    [BindProperty] public string? NoteText { get; set; }
    [BindProperty] public string? NewStakes { get; set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (await WorkspaceAccess.OrganisationAsync(db, actor, id, ct) is not { } organisation)
        {
            return NotFound();
        }

        Organisation = organisation;
        NafLabel = reference.Naf(organisation.NafCode)?.Label;
        Stakes = await db.Set<StakeTag>().AsNoTracking().Where(t => t.OrganisationId == id).OrderBy(t => t.Tag).Select(t => t.Tag).ToListAsync(ct);
        Meetings = await db.Set<Meeting>().AsNoTracking().Include(m => m.FollowUps).Where(m => m.OrganisationId == id)
            .OrderByDescending(m => m.Date).ThenByDescending(m => m.Id).ToListAsync(ct);
        Notes = await db.Set<ActorNote>().AsNoTracking().Where(n => n.OrganisationId == id).OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).ToListAsync(ct);
        Groups = (await db.Set<WorkingGroup>().AsNoTracking().Where(g => g.Members.Any(m => m.OrganisationId == id)).OrderBy(g => g.Name)
            .Select(g => new { g.Id, g.Name }).ToListAsync(ct)).Select(g => (g.Id, g.Name)).ToList();
        Facilitators = await FacilitatorsAsync(organisation.TerritoryId, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostNoteAsync(int id, CancellationToken ct)
    {
        if (await WorkspaceAccess.OrganisationAsync(db, actor, id, ct) is not { } organisation)
        {
            return NotFound();
        }

        var text = MessagingService.Normalise(NoteText);
        if (text.Length == 0 || text.Length > 4000)
        {
            ModelState.AddModelError(nameof(NoteText), text.Length == 0 ? "Écrivez la note." : "4 000 caractères au plus.");
            return await OnGetAsync(id, ct);
        }

        var me = await actor.GetAsync(ct);
        db.Set<ActorNote>().Add(new ActorNote { OrganisationId = id, Text = text, AuthorUserId = me.UserId!, AuthorName = me.DisplayName ?? "", CreatedAt = Now });
        await audit.AddAsync(organisation.TerritoryId, WorkspaceAudit.NoteAdd, "organisation", id, organisation.Name, null, ct);
        await db.SaveChangesAsync(ct);
        return Redirect($"/animation/acteurs/{id}#notes");
    }

    public async Task<IActionResult> OnPostMeetingAsync(int id, CancellationToken ct)
    {
        if (await WorkspaceAccess.OrganisationAsync(db, actor, id, ct) is not { } organisation)
        {
            return NotFound();
        }

        var m = Meeting;
        var people = MessagingService.Normalise(m.PeopleMet);
        var notes = MessagingService.Normalise(m.Notes);
        var followUp = MessagingService.Normalise(m.FollowUp);
        var facilitators = await FacilitatorsAsync(organisation.TerritoryId, ct);
        if (m.Date is null)
        {
            ModelState.AddModelError("Meeting.Date", "Indiquez la date de la rencontre.");
        }

        if (people.Length is 0 or > 300)
        {
            ModelState.AddModelError("Meeting.PeopleMet", "Indiquez les personnes rencontrées (300 caractères au plus).");
        }

        if (notes.Length > 4000)
        {
            ModelState.AddModelError("Meeting.Notes", "4 000 caractères au plus.");
        }

        if (followUp.Length > 500)
        {
            ModelState.AddModelError("Meeting.FollowUp", "500 caractères au plus.");
        }

        if (followUp.Length > 0 && m.DueDate is null)
        {
            ModelState.AddModelError("Meeting.DueDate", "Indiquez l'échéance de la suite à donner.");
        }

        if (followUp.Length > 0 && (m.OwnerUserId is null || !facilitators.ContainsKey(m.OwnerUserId)))
        {
            ModelState.AddModelError("Meeting.OwnerUserId", "Choisissez qui s'en charge parmi l'équipe d'animation.");
        }

        if (!ModelState.IsValid)
        {
            return await OnGetAsync(id, ct);
        }

        var tags = WorkspaceAccess.ParseTags(m.Stakes);
        var me = await actor.GetAsync(ct);
        var meeting = new Meeting
        {
            OrganisationId = id,
            Date = m.Date!.Value,
            PeopleMet = people,
            Notes = notes.Length == 0 ? null : notes,
            Stakes = tags.Count == 0 ? null : Truncate(string.Join(", ", tags), 500),
            CreatedByUserId = me.UserId!,
            CreatedAt = Now,
        };
        if (followUp.Length > 0)
        {
            meeting.FollowUps.Add(new FollowUp { Text = followUp, DueDate = m.DueDate!.Value, OwnerUserId = m.OwnerUserId! });
        }

        db.Set<Meeting>().Add(meeting);
        await AddStakesAsync(id, tags, ct);
        await audit.AddAsync(organisation.TerritoryId, WorkspaceAudit.MeetingAdd, "organisation", id, organisation.Name, $"Rencontre du {meeting.Date:yyyy-MM-dd}", ct);
        await db.SaveChangesAsync(ct);
        return Redirect($"/animation/acteurs/{id}#rencontres");
    }

    public async Task<IActionResult> OnPostFollowUpDoneAsync(int id, int followUpId, bool done, CancellationToken ct)
    {
        if (await WorkspaceAccess.OrganisationAsync(db, actor, id, ct) is not { } organisation)
        {
            return NotFound();
        }

        var followUp = await db.Set<FollowUp>().SingleOrDefaultAsync(f => f.Id == followUpId && db.Set<Meeting>().Any(m => m.Id == f.MeetingId && m.OrganisationId == id), ct);
        if (followUp is null)
        {
            return NotFound();
        }

        followUp.Done = done;
        followUp.DoneAt = done ? Now : null;
        if (done)
        {
            await audit.AddAsync(organisation.TerritoryId, WorkspaceAudit.FollowUpDone, "organisation", id, organisation.Name, followUp.Text, ct);
        }

        await db.SaveChangesAsync(ct);
        return Redirect($"/animation/acteurs/{id}#rencontres");
    }

    public async Task<IActionResult> OnPostStakesAsync(int id, string? remove, CancellationToken ct)
    {
        if (await WorkspaceAccess.OrganisationAsync(db, actor, id, ct) is not { } organisation)
        {
            return NotFound();
        }

        var added = WorkspaceAccess.ParseTags(NewStakes);
        if (remove is not null)
        {
            await db.Set<StakeTag>().Where(t => t.OrganisationId == id && t.Tag == remove).ExecuteDeleteAsync(ct);
        }
        else if (added.Count == 0)
        {
            ModelState.AddModelError(nameof(NewStakes), "Indiquez un ou plusieurs enjeux, séparés par des virgules.");
            return await OnGetAsync(id, ct);
        }

        await AddStakesAsync(id, added, ct);
        await audit.AddAsync(organisation.TerritoryId, WorkspaceAudit.StakesChange, "organisation", id, organisation.Name,
            remove is not null ? $"retiré : {remove}" : $"ajouté : {string.Join(", ", added)}", ct);
        await db.SaveChangesAsync(ct);
        return Redirect($"/animation/acteurs/{id}#enjeux");
    }

    private async Task AddStakesAsync(int organisationId, IReadOnlyList<string> tags, CancellationToken ct)
    {
        var existing = await db.Set<StakeTag>().Where(t => t.OrganisationId == organisationId).Select(t => t.Tag).ToListAsync(ct);
        foreach (var tag in tags.Except(existing))
        {
            db.Set<StakeTag>().Add(new StakeTag { OrganisationId = organisationId, Tag = tag });
        }
    }

    /// Who may own a follow-up: the territory's facilitators, and the administrator acting now.
    private async Task<IReadOnlyDictionary<string, string>> FacilitatorsAsync(int territoryId, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        return await db.Users.AsNoTracking()
            .Where(u => u.Id == me.UserId || db.TerritoryFacilitators.Any(f => f.TerritoryId == territoryId && f.UserId == u.Id))
            .Select(u => new { u.Id, Name = u.DisplayName ?? u.Email ?? u.Id })
            .ToDictionaryAsync(u => u.Id, u => u.Name, ct);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private static string Truncate(string text, int max) => text.Length > max ? text[..max] : text;
}
