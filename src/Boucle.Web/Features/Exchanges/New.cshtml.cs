using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Synergies;
using Boucle.Web.Features.Territories;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Exchanges;

/// Records a realised exchange, prefilled from a synergy when it comes from one.
[Authorize]
public sealed class NewModel(AppDbContext db, CurrentActor actor, ExchangeRecorder recorder, TimeProvider time) : PageModel
{
    [BindProperty] public ExchangeForm Input { get; set; } = new();
    public ExchangeFormView Form { get; private set; } = null!;
    public bool OnBehalf { get; private set; }

    public async Task<IActionResult> OnGetAsync(int? synergie, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        Input.Date = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        int? territory = null;
        if (synergie is { } id)
        {
            var s = await db.Set<Synergy>().AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct);
            if (s is null || SynergyFunnel.Access(me, s) == SynergyAccess.None)
            {
                return NotFound();
            }

            territory = s.TerritoryId;
            Input.SynergyId = s.Id;
            Input.Giver = s.GiverOrganisationId;
            Input.Taker = s.TakerOrganisationId;
            Input.OfferListingId = s.OfferListingId;
            Input.NeedListingId = s.NeedListingId;
            Input.CategoryCode = s.CategoryCode;
            var offer = s.OfferListingId is { } o ? await db.Listings.AsNoTracking().SingleOrDefaultAsync(l => l.Id == o, ct) : null;
            Input.WasteCode = offer?.WasteCode;
            Input.Unit = offer?.Unit?.ToString();
            var giver = await db.Organisations.AsNoTracking().SingleAsync(x => x.Id == s.GiverOrganisationId, ct);
            var taker = await db.Organisations.AsNoTracking().SingleAsync(x => x.Id == s.TakerOrganisationId, ct);
            Input.DistanceKm = ExchangeRecorder.ComputedDistance(giver, taker)?.ToString("0.#", System.Globalization.CultureInfo.GetCultureInfo("fr-FR"));
        }
        else if (me.Current is { } current)
        {
            Input.Giver = current.OrganisationId;
        }

        territory ??= await TerritoryAsync(me, ct);
        if (territory is null)
        {
            return Forbid();
        }

        await LoadAsync(me, territory.Value, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        var territory = await TerritoryAsync(me, ct);
        if (territory is null)
        {
            return Forbid();
        }

        var prepared = await recorder.PrepareAsync(Input, me, ModelState, ct);
        if (prepared is null)
        {
            await LoadAsync(me, territory.Value, ct);
            return Page();
        }

        var exchange = await recorder.RecordAsync(prepared, ct);
        TempData["Flash"] = prepared.Side == RecorderSide.Facilitator
            ? "Échange enregistré au nom des deux structures."
            : "Échange enregistré. L'autre structure le confirme depuis sa liste d'échanges.";
        return Redirect($"/echanges/{exchange.Id}");
    }

    private async Task<int?> TerritoryAsync(ActorInfo me, CancellationToken ct)
    {
        if (me.Current is { } current)
        {
            return current.TerritoryId;
        }

        var main = await TerritoryQueries.MainAsync(db, ct);
        return main is not null && me.Facilitates(main.Id) ? main.Id : null;
    }

    private async Task LoadAsync(ActorInfo me, int territoryId, CancellationToken ct)
    {
        OnBehalf = me.Facilitates(territoryId);
        Form = await ExchangeFormView.LoadAsync(db, Input, territoryId, ct);
    }
}
