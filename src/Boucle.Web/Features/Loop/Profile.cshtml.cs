using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Loop;

[Authorize]
public sealed class ProfileModel(AppDbContext db, CurrentActor actor, LoopWriter writer) : CanteenPageModel(db, actor)
{
    [BindProperty] public CanteenProfileForm Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadCanteenAsync(ct) is { } denied)
        {
            return denied;
        }

        var existing = await Db.Set<CanteenProfile>().AsNoTracking().SingleOrDefaultAsync(p => p.OrganisationId == Id, ct);
        Input = existing is null ? new CanteenProfileForm { Sector = nameof(CanteenSector.School), Management = nameof(CanteenManagement.InHouse), Production = nameof(CanteenProduction.OnSite) } : LoopWriter.ToForm(existing);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await LoadCanteenAsync(ct) is { } denied)
        {
            return denied;
        }

        var existing = await Db.Set<CanteenProfile>().SingleOrDefaultAsync(p => p.OrganisationId == Id, ct);
        var parsed = writer.Profile(Id, Input, existing);
        if (!parsed.Ok)
        {
            ModelState.Clear();
            AddErrors(parsed.Errors);
            return Page();
        }

        if (existing is null)
        {
            Db.Set<CanteenProfile>().Add(parsed.Value!);
        }

        await Db.SaveChangesAsync(ct);
        TempData["Message"] = "Profil de cantine enregistré.";
        return Redirect($"/boucle/cantines/{Id}");
    }
}
