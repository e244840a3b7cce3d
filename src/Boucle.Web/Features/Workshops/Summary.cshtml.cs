using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Boucle.Web.Features.Workshops;

/// A printable summary of a session: who came with what, and the pairs to follow up.
[Authorize]
public sealed class SummaryModel(AppDbContext db, CurrentActor actor, WorkshopService workshops) : PageModel
{
    public Workshop Workshop { get; private set; } = null!;
    public WorkshopBoard Board { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (await WorkshopService.ForFacilitatorAsync(db, actor, id, ct) is not { } workshop)
        {
            return NotFound();
        }

        Workshop = workshop;
        Board = await workshops.BoardAsync(workshop, ct);
        return Page();
    }
}
