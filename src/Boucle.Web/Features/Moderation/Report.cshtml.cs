using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Boucle.Web.Features.Moderation;

/// A signed-in person reports a listing (?annonce=ID) or an organisation (?structure=ID).
[Authorize]
public sealed class ReportModel(ModerationService moderation) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? Annonce { get; set; }
    [BindProperty(SupportsGet = true)] public int? Structure { get; set; }
    [BindProperty(SupportsGet = true)] public string? Etat { get; set; }
    [BindProperty] public string? Reason { get; set; }
    public ModerationService.ReportTarget Target { get; private set; } = null!;
    public bool Sent => Etat == "envoye";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        var outcome = await moderation.ReportAsync(Target.Type, Target.Id, Reason, $"{Request.Scheme}://{Request.Host}", ct);
        switch (outcome.Kind)
        {
            case OutcomeKind.Done:
                return Redirect($"/moderation/signaler?{Query}&etat=envoye");
            case OutcomeKind.Invalid:
                ModelState.AddModelError(nameof(Reason), outcome.Message);
                return Page();
            default:
                return NotFound();
        }
    }

    private string Query => Annonce is { } a ? $"annonce={a}" : $"structure={Structure}";

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var target = Annonce is { } listing ? await moderation.ReportTargetAsync(ReportTargets.Listing, listing, ct)
            : Structure is { } organisation ? await moderation.ReportTargetAsync(ReportTargets.Organisation, organisation, ct)
            : null;
        Target = target!;
        return target is not null;
    }
}
