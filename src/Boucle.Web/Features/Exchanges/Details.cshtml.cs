using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Exchanges;

/// One exchange with every version of it: the parties confirm or contest here, and correct from here.
[Authorize]
public sealed class DetailsModel(AppDbContext db, CurrentActor actor, ExchangeRecorder recorder) : PageModel
{
    public Exchange Exchange { get; private set; } = null!;
    public ExchangeRow Row { get; private set; } = null!;
    public IReadOnlyList<ExchangeRow> Versions { get; private set; } = [];
    public bool CanAnswer { get; private set; }
    public bool CanCorrect { get; private set; }
    [TempData] public string? Flash { get; set; }
    public string? ReasonError { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostConfirmAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        Flash = await recorder.ConfirmAsync(await actor.GetAsync(ct), id, ct)
            ? "Échange confirmé : il compte désormais dans les résultats du territoire."
            : "Rien à confirmer : cet échange a changé entre-temps ou ne vous attend pas.";
        return Redirect($"/echanges/{id}");
    }

    public async Task<IActionResult> OnPostContestAsync(int id, string? reason, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > 500)
        {
            ReasonError = "Dites en 500 caractères au plus ce qui ne correspond pas (quantité, date...).";
            return Page();
        }

        Flash = await recorder.ContestAsync(await actor.GetAsync(ct), id, reason.Trim(), ct)
            ? "Échange contesté : l'autre structure peut le corriger."
            : "Rien à contester : cet échange a changé entre-temps ou ne vous attend pas.";
        return Redirect($"/echanges/{id}");
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        var row = await ExchangeQueries.Rows(db, x => x.Id == id).SingleOrDefaultAsync(ct);
        if (row is null || !ExchangeQueries.CanSee(me, row))
        {
            return false;
        }

        Row = row;
        Exchange = await db.Exchanges.AsNoTracking().SingleAsync(x => x.Id == id, ct);
        var first = row.FirstId;
        Versions = [.. (await ExchangeQueries.Rows(db, x => x.Id == first || x.OriginalId == first).ToListAsync(ct)).OrderBy(x => x.Version)];
        CanAnswer = row.AwaitsFrom(me);
        CanCorrect = row.SupersededById is null;
        return true;
    }
}
