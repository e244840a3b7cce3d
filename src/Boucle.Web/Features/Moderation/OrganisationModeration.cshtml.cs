using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Organisations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Moderation;

/// A facilitator verifies, suspends or reinstates an organisation of their territory.
[Authorize]
public sealed class OrganisationModerationModel(AppDbContext db, CurrentActor actor, ModerationService moderation) : PageModel
{
    [BindProperty] public string? Reason { get; set; }
    public Organisation Organisation { get; private set; } = null!;
    public bool SiretValid { get; private set; }
    public IReadOnlyList<AuditEntry> History { get; private set; } = [];
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var organisation = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organisation is null)
        {
            return NotFound();
        }

        if (!(await actor.GetAsync(ct)).Facilitates(organisation.TerritoryId))
        {
            return Forbid();
        }

        Organisation = organisation;
        SiretValid = Siret.IsValid(organisation.Siret);
        History = await db.Set<AuditEntry>().AsNoTracking()
            .Where(a => a.TargetType == ReportTargets.Organisation && a.TargetId == id)
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(50).ToListAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostVerifyAsync(int id, CancellationToken ct) =>
        await AfterAsync(id, await moderation.VerifyAsync(id, ct), ct);

    public async Task<IActionResult> OnPostSuspendAsync(int id, CancellationToken ct) =>
        await AfterAsync(id, await moderation.SuspendAsync(id, true, Reason, $"{Request.Scheme}://{Request.Host}", ct), ct);

    public async Task<IActionResult> OnPostUnsuspendAsync(int id, CancellationToken ct) =>
        await AfterAsync(id, await moderation.SuspendAsync(id, false, null, $"{Request.Scheme}://{Request.Host}", ct), ct);

    private async Task<IActionResult> AfterAsync(int id, Outcome outcome, CancellationToken ct)
    {
        switch (outcome.Kind)
        {
            case OutcomeKind.NotFound:
                return NotFound();
            case OutcomeKind.Forbidden:
                return Forbid();
            case OutcomeKind.Invalid:
                ModelState.AddModelError(outcome.Field == "reason" ? nameof(Reason) : "Siret", outcome.Message);
                break;
            default:
                Message = outcome.Message;
                Reason = null;
                ModelState.Clear();
                break;
        }

        return await OnGetAsync(id, ct);
    }
}
