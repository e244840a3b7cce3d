using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Exchanges;

/// The exchanges of the organisation the person acts for (and only those): the ones awaiting its
/// confirmation first.
[Authorize]
public sealed class IndexModel(AppDbContext db, CurrentActor actor, ExchangeRecorder recorder) : PageModel
{
    public ActorInfo Me { get; private set; } = ActorInfo.Anonymous;
    public IReadOnlyList<ExchangeRow> Awaiting { get; private set; } = [];
    public IReadOnlyList<ExchangeRow> Others { get; private set; } = [];
    [TempData] public string? Flash { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Me = await actor.GetAsync(ct);
        if (Me.Current is not { } current)
        {
            return Redirect("/mon-espace");
        }

        List<ExchangeRow> rows = [.. (await ExchangeQueries.Rows(db, x => x.SupersededById == null && (x.GiverOrganisationId == current.OrganisationId || x.TakerOrganisationId == current.OrganisationId)).ToListAsync(ct)).OrderByDescending(x => x.Date).ThenByDescending(x => x.Id)];
        Awaiting = [.. rows.Where(r => r.AwaitsFrom(Me))];
        Others = [.. rows.Where(r => !r.AwaitsFrom(Me))];
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync(int id, CancellationToken ct)
    {
        Flash = await recorder.ConfirmAsync(await actor.GetAsync(ct), id, ct)
            ? "Échange confirmé : il compte désormais dans les résultats du territoire."
            : "Rien à confirmer : cet échange a changé entre-temps ou ne vous attend pas.";
        return Redirect("/echanges");
    }
}
