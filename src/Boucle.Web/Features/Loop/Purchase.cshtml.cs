using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Loop;

public sealed record OrganisationOption(int Id, string Name);

[Authorize]
public sealed class PurchaseModel(AppDbContext db, CurrentActor actor, LoopWriter writer) : CanteenPageModel(db, actor)
{
    [BindProperty] public PurchaseForm Input { get; set; } = new();

    public IReadOnlyList<OrganisationOption> Suppliers { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadCanteenAsync(ct) is { } denied)
        {
            return denied;
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await LoadCanteenAsync(ct) is { } denied)
        {
            return denied;
        }

        var parsed = await writer.PurchaseAsync(Canteen, Input, ct);
        if (!parsed.Ok)
        {
            ModelState.Clear();
            AddErrors(parsed.Errors);
            await LoadAsync(ct);
            return Page();
        }

        Db.Set<CanteenPurchase>().Add(parsed.Value!);
        await Db.SaveChangesAsync(ct);
        TempData["Message"] = "Achat enregistré.";
        return Redirect($"/boucle/cantines/{Id}");
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Suppliers = await Db.Organisations.AsNoTracking().Where(o => o.TerritoryId == Canteen.TerritoryId && o.Id != Canteen.Id)
            .OrderBy(o => o.Name).Select(o => new OrganisationOption(o.Id, o.Name)).ToListAsync(ct);
}
