using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Workshops;

/// The participant's phone page: the organisation's cards of the session, one short form to add or edit one.
[Authorize]
public sealed class JoinModel(AppDbContext db, CurrentActor actor, WorkshopService workshops) : PageModel
{
    [BindProperty] public CardForm Card { get; set; } = new();
    [BindProperty(SupportsGet = true, Name = "carte")] public int? EditId { get; set; }
    [TempData] public string? Flash { get; set; }
    public Workshop? Workshop { get; private set; }
    public OrganisationRole? Organisation { get; private set; }
    public IReadOnlyList<CardView> Cards { get; private set; } = [];
    public string? CodeError { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? code, CancellationToken ct)
    {
        // The code form sends ?code=...: to the session's own address, the one to share.
        if (RouteData.Values["code"] is null)
        {
            return string.IsNullOrWhiteSpace(code) ? Page() : Redirect($"/atelier/{WorkshopService.NormaliseCode(code)}");
        }

        if (!await LoadAsync(code ?? "", ct))
        {
            return Page();
        }

        if (EditId is { } editId && Cards.FirstOrDefault(c => c.Id == editId) is { } card && card.DraftListingId is null)
        {
            Card = new CardForm { Type = card.Type, Text = card.Text, Quantity = card.Quantity, Unit = card.Unit, Frequency = card.Frequency };
        }
        else
        {
            EditId = null;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(string code, CancellationToken ct)
    {
        if (!await LoadAsync(code, ct) || Organisation is null)
        {
            return Page();
        }

        WorkshopCard? card = null;
        if (EditId is { } editId)
        {
            // Only a card of the organisation one acts for, in this session, before it became a draft.
            card = await db.Set<WorkshopCard>().SingleOrDefaultAsync(c => c.Id == editId && c.WorkshopId == Workshop!.Id && c.OrganisationId == Organisation.OrganisationId && c.DraftListingId == null, ct);
            if (card is null)
            {
                return NotFound();
            }
        }

        var userId = (await actor.GetAsync(ct)).UserId!;
        var errors = await workshops.ValidateAsync(Workshop!, Card, userId, isNew: card is null, ct);
        if (errors.Count > 0)
        {
            foreach (var (key, message) in errors)
            {
                ModelState.AddModelError(key, message);
            }

            return Page();
        }

        await workshops.SaveAsync(Workshop!, card, Card, Organisation.OrganisationId, userId, ct);
        Flash = card is null ? $"Carte ajoutée : « {Card.Text!.Trim()} »." : "Carte modifiée.";
        return Redirect($"/atelier/{Workshop!.JoinCode}");
    }

    public async Task<IActionResult> OnPostDeleteAsync(string code, int cardId, CancellationToken ct)
    {
        if (!await LoadAsync(code, ct) || Organisation is null)
        {
            return Page();
        }

        if (Workshop!.Status == WorkshopStatus.Closed)
        {
            ModelState.AddModelError("", "L'atelier est clos : ses cartes ne changent plus.");
            return Page();
        }

        var deleted = await db.Set<WorkshopCard>()
            .Where(c => c.Id == cardId && c.WorkshopId == Workshop.Id && c.OrganisationId == Organisation.OrganisationId && c.DraftListingId == null)
            .ExecuteDeleteAsync(ct);
        if (deleted == 0)
        {
            return NotFound();
        }

        Flash = "Carte supprimée.";
        return Redirect($"/atelier/{Workshop.JoinCode}");
    }

    private async Task<bool> LoadAsync(string code, CancellationToken ct)
    {
        var normalised = WorkshopService.NormaliseCode(code);
        Workshop = await db.Set<Workshop>().AsNoTracking().SingleOrDefaultAsync(w => w.JoinCode == normalised, ct);
        if (Workshop is null)
        {
            CodeError = "Aucun atelier n'a ce code. Vérifiez-le auprès de l'animateur.";
            Response.StatusCode = StatusCodes.Status404NotFound;
            return false;
        }

        Organisation = (await actor.GetAsync(ct)).Current;
        Cards = Organisation is null ? [] : await workshops.CardsAsync(Workshop.Id, [Organisation.OrganisationId], ct);
        return true;
    }
}
