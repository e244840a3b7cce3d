using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Boucle.Web.Features.Moderation;

/// The organisation whose listing was removed appeals once, with its argument.
[Authorize]
public sealed class AppealModel(ModerationService moderation) : PageModel
{
    [BindProperty] public string? Argument { get; set; }
    public ModerationDecision Decision { get; private set; } = null!;
    public bool Sent { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, string? etat, CancellationToken ct)
    {
        if (await moderation.DecisionForMemberAsync(id, ct) is not { } decision)
        {
            return NotFound();
        }

        Decision = decision;
        Sent = etat == "envoye";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        var outcome = await moderation.AppealAsync(id, Argument, ct);
        if (outcome.Kind == OutcomeKind.NotFound)
        {
            return NotFound();
        }

        if (outcome.Kind == OutcomeKind.Done)
        {
            return Redirect($"/moderation/appel/{id}?etat=envoye");
        }

        ModelState.AddModelError(nameof(Argument), outcome.Message);
        Decision = (await moderation.DecisionForMemberAsync(id, ct))!;
        return Page();
    }
}
