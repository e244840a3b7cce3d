using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Boucle.Web.Features.Loop;

[Authorize]
public sealed class OutputModel(AppDbContext db, CurrentActor actor, LoopWriter writer) : FlowPageModel(db, actor)
{
    [BindProperty] public OutputForm Input { get; set; } = new();

    public async Task OnGetAsync(CancellationToken ct) => await LoadOptionsAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadOptionsAsync(ct);
        var parsed = await writer.OutputAsync(Input, Me, ct);
        if (!parsed.Ok)
        {
            AddErrors(parsed.Errors);
            return Page();
        }

        Db.Set<TreatmentOutput>().Add(parsed.Value!);
        await Db.SaveChangesAsync(ct);
        TempData["Message"] = "Production enregistrée.";
        return Redirect("/boucle/saisie");
    }
}
