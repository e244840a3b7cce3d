using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Exchanges;

/// A correction: the same form, saved as a new version; the corrected one stays in the history.
[Authorize]
public sealed class CorrectModel(AppDbContext db, CurrentActor actor, ExchangeRecorder recorder) : PageModel
{
    [BindProperty] public ExchangeForm Input { get; set; } = new();
    public ExchangeFormView Form { get; private set; } = null!;
    public int CurrentVersion { get; private set; }
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var current = await FindAsync(id, ct);
        if (current is null)
        {
            return NotFound();
        }

        if (current.SupersededById is { } newer)
        {
            return Redirect($"/echanges/{newer}/corriger");
        }

        Input = ExchangeForm.From(current);
        await LoadAsync(current, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        var current = await FindAsync(id, ct);
        if (current is null)
        {
            return NotFound();
        }

        var me = await actor.GetAsync(ct);
        var prepared = current.SupersededById is null ? await recorder.PrepareAsync(Input, me, ModelState, ct) : null;
        var next = prepared is null ? null : await recorder.CorrectAsync(id, prepared, ct);
        if (next is null)
        {
            if (ModelState.IsValid)
            {
                Message = "Cet échange vient d'être corrigé par quelqu'un d'autre : ouvrez sa dernière version avant de le corriger à nouveau.";
                Response.StatusCode = StatusCodes.Status409Conflict;
            }

            await LoadAsync(current, ct);
            return Page();
        }

        TempData["Flash"] = $"Correction enregistrée (version {next.Version}).";
        return Redirect($"/echanges/{next.Id}");
    }

    private async Task<Exchange?> FindAsync(int id, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        var x = await db.Exchanges.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        return x is not null && (me.Facilitates(x.TerritoryId) || me.IsMemberOf(x.GiverOrganisationId) || me.IsMemberOf(x.TakerOrganisationId)) ? x : null;
    }

    private async Task LoadAsync(Exchange current, CancellationToken ct)
    {
        CurrentVersion = current.Version;
        Form = await ExchangeFormView.LoadAsync(db, Input, current.TerritoryId, ct);
    }
}
