using System.Globalization;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Loop;

[Authorize]
public sealed class TransferModel(AppDbContext db, CurrentActor actor, LoopWriter writer, TimeProvider time) : FlowPageModel(db, actor)
{
    [FromQuery(Name = "id")] public int? TransferId { get; set; }
    [BindProperty] public TransferForm Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadOptionsAsync(ct);
        Input.Date = Today(time);
        Input.FromOrganisationId = Me.Current?.OrganisationId.ToString(CultureInfo.InvariantCulture);
        if (TransferId is { } id)
        {
            var (t, denied) = await FindAsync(id, ct);
            if (denied is not null)
            {
                return denied;
            }

            Input = new TransferForm
            {
                Date = t!.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                FromOrganisationId = t.FromOrganisationId.ToString(CultureInfo.InvariantCulture),
                ToOrganisationId = t.ToOrganisationId.ToString(CultureInfo.InvariantCulture),
                MassKg = t.MassKg.ToString(CultureInfo.InvariantCulture),
                Weighed = t.Weighed,
                Stream = t.Stream.ToString(),
                Carrier = t.Carrier,
                TransportMode = t.TransportMode.ToString(),
                DistanceKm = t.DistanceKm?.ToString(CultureInfo.InvariantCulture),
            };
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadOptionsAsync(ct);
        BiowasteTransfer? existing = null;
        if (TransferId is { } id)
        {
            var (t, denied) = await FindAsync(id, ct);
            if (denied is not null)
            {
                return denied;
            }

            existing = t;
        }

        var parsed = await writer.TransferAsync(Input, Me, existing, ct);
        if (!parsed.Ok)
        {
            AddErrors(parsed.Errors);
            return Page();
        }

        await using var transaction = await Db.Database.BeginTransactionAsync(ct);
        await writer.SaveTransferAsync(parsed.Value!, Me, confirmedByBoth: false, ct);
        await transaction.CommitAsync(ct);
        TempData["Message"] = existing is null ? "Transfert enregistré." : "Transfert corrigé : l'échange correspondant a une nouvelle version.";
        return Redirect("/boucle/saisie");
    }

    private async Task<(BiowasteTransfer?, IActionResult?)> FindAsync(int id, CancellationToken ct)
    {
        var t = await Db.Set<BiowasteTransfer>().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (t is null)
        {
            return (null, NotFound());
        }

        return LoopAccess.CanEdit(Me, t.FromOrganisationId, t.TerritoryId) || LoopAccess.CanEdit(Me, t.ToOrganisationId, t.TerritoryId) ? (t, null) : (null, Forbid());
    }
}
