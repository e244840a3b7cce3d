using System.Globalization;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Boucle.Web.Features.Loop;

[Authorize]
public sealed class DeliveryModel(AppDbContext db, CurrentActor actor, LoopWriter writer, TimeProvider time) : FlowPageModel(db, actor)
{
    [BindProperty] public DeliveryForm Input { get; set; } = new();

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadOptionsAsync(ct);
        Input.Date = Today(time);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadOptionsAsync(ct);
        var parsed = await writer.DeliveryAsync(Input, Me, ct);
        if (!parsed.Ok)
        {
            AddErrors(parsed.Errors);
            return Page();
        }

        var d = parsed.Value!;
        Db.Set<FarmDelivery>().Add(d);
        await Db.SaveChangesAsync(ct);
        var dose = d.DoseTPerHa.ToString("N1", CultureInfo.GetCultureInfo("fr-FR"));
        TempData["Message"] = d.AboveMaxDose
            ? $"Livraison enregistrée. Attention : {dose} t/ha, au-dessus de la dose de 10 t/ha habituelle pour le maraîchage."
            : $"Livraison enregistrée ({dose} t/ha).";
        return Redirect("/boucle/saisie");
    }
}
