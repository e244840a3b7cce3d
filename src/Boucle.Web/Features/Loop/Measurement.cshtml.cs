using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Boucle.Web.Features.Loop;

[Authorize]
public sealed class MeasurementModel(AppDbContext db, CurrentActor actor, LoopWriter writer) : CanteenPageModel(db, actor)
{
    [BindProperty] public MeasurementForm Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadCanteenAsync(ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await LoadCanteenAsync(ct) is { } denied)
        {
            return denied;
        }

        var parsed = await writer.MeasurementAsync(Id, Input, [], ct);
        if (!parsed.Ok)
        {
            ModelState.Clear();
            AddErrors(parsed.Errors);
            return Page();
        }

        Db.Set<WasteMeasurement>().Add(parsed.Value!);
        await Db.SaveChangesAsync(ct);
        TempData["Message"] = "Campagne de pesée enregistrée.";
        return Redirect($"/boucle/cantines/{Id}");
    }
}
