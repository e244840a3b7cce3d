using System.Security.Cryptography;
using System.Text;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Workshops;

public sealed record BoardView(Workshop Workshop, WorkshopBoard Board, string Version);

/// The facilitator's live board of one session: cards, pairs with the engine's reasons, pairs discussed.
[Authorize]
public sealed class BoardModel(AppDbContext db, CurrentActor actor, WorkshopService workshops, TimeProvider time) : PageModel
{
    [BindProperty] public CardForm Card { get; set; } = new();
    [TempData] public string? Flash { get; set; }
    public Workshop Workshop { get; private set; } = null!;
    public BoardView View { get; private set; } = null!;
    public IReadOnlyList<(int Id, string Name)> Organisations { get; private set; } = [];
    public string JoinUrl => $"{Request.Scheme}://{Request.Host}/atelier/{Workshop.JoinCode}";

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (await WorkshopService.ForFacilitatorAsync(db, actor, id, ct) is not { } workshop)
        {
            return NotFound();
        }

        await LoadAsync(workshop, ct);
        return Page();
    }

    /// The board alone, polled by the page: 204 when nothing changed, so that focus and scroll stay put.
    public async Task<IActionResult> OnGetBoardAsync(int id, string? v, CancellationToken ct)
    {
        if (await WorkshopService.ForFacilitatorAsync(db, actor, id, ct) is not { } workshop)
        {
            return NotFound();
        }

        var view = await ViewAsync(workshop, ct);
        return view.Version == v ? new NoContentResult() : Partial("_Board", view);
    }

    public async Task<IActionResult> OnPostCardAsync(int id, CancellationToken ct)
    {
        if (await WorkshopService.ForFacilitatorAsync(db, actor, id, ct) is not { } workshop)
        {
            return NotFound();
        }

        var me = await actor.GetAsync(ct);
        var errors = await workshops.ValidateAsync(workshop, Card, me.UserId!, isNew: true, ct);
        var organisation = Card.OrganisationId is { } orgId
            ? await db.Organisations.AsNoTracking().Where(o => o.Id == orgId && !o.Suspended).Select(o => (int?)o.Id).SingleOrDefaultAsync(ct)
            : null;
        if (organisation is null)
        {
            errors["Card.OrganisationId"] = "Choisissez la structure de la carte.";
        }

        if (errors.Count > 0)
        {
            foreach (var (key, message) in errors)
            {
                ModelState.AddModelError(key, message);
            }

            await LoadAsync(workshop, ct);
            return Page();
        }

        await workshops.SaveAsync(workshop, null, Card, organisation!.Value, me.UserId!, ct);
        Flash = "Carte ajoutée.";
        return Redirect($"/animation/ateliers/{id}#saisie");
    }

    public async Task<IActionResult> OnPostDiscussedAsync(int id, string offerKey, string needKey, CancellationToken ct)
    {
        if (await WorkshopService.ForFacilitatorAsync(db, actor, id, ct) is not { } workshop)
        {
            return NotFound();
        }

        var board = await workshops.BoardAsync(workshop, ct);
        if (board.Pairs.Any(p => p.Offer.Key == offerKey && p.Need.Key == needKey && !p.Discussed))
        {
            db.Add(new WorkshopDiscussion { WorkshopId = id, OfferKey = offerKey, NeedKey = needKey, ByUserId = (await actor.GetAsync(ct)).UserId!, At = time.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(ct);
        }

        if (Request.Headers.ContainsKey("HX-Request"))
        {
            return Partial("_Board", await ViewAsync(workshop, ct));
        }

        return Redirect($"/animation/ateliers/{id}#tableau");
    }

    public async Task<IActionResult> OnPostCloseAsync(int id, CancellationToken ct)
    {
        if (await WorkshopService.ForFacilitatorAsync(db, actor, id, ct) is not { } workshop)
        {
            return NotFound();
        }

        if (workshop.Status == WorkshopStatus.Closed)
        {
            Flash = "L'atelier était déjà clos.";
        }
        else
        {
            var drafts = await workshops.CloseAsync(workshop, ct);
            Flash = $"Atelier clos : {drafts} brouillon{(drafts > 1 ? "s" : "")} d'annonce créé{(drafts > 1 ? "s" : "")}, à confirmer par chaque structure.";
        }

        return Redirect($"/animation/ateliers/{id}");
    }

    public async Task<IActionResult> OnGetCsvAsync(int id, CancellationToken ct)
    {
        if (await WorkshopService.ForFacilitatorAsync(db, actor, id, ct) is not { } workshop)
        {
            return NotFound();
        }

        var board = await workshops.BoardAsync(workshop, ct);
        return File(CsvText.Utf8WithBom(WorkshopService.Csv(workshop, board)), "text/csv; charset=utf-8", $"atelier-{workshop.JoinCode}.csv");
    }

    private async Task LoadAsync(Workshop workshop, CancellationToken ct)
    {
        Workshop = workshop;
        View = await ViewAsync(workshop, ct);
        Organisations = (await db.Organisations.AsNoTracking().Where(o => o.TerritoryId == workshop.TerritoryId && !o.Suspended).OrderBy(o => o.Name)
            .Select(o => new { o.Id, o.Name }).ToListAsync(ct)).Select(o => (o.Id, o.Name)).ToList();
    }

    private async Task<BoardView> ViewAsync(Workshop workshop, CancellationToken ct)
    {
        var board = await workshops.BoardAsync(workshop, ct);
        var stamp = workshop.Status + "|" + string.Join('|', board.Cards.Select(c => $"{c.Id}:{c.Text}:{c.Quantity}:{c.Unit}:{c.Type}:{c.DraftListingId}"))
            + "#" + string.Join('|', board.Pairs.Select(p => $"{p.Offer.Key}>{p.Need.Key}:{p.Score:0.000}:{p.Discussed}"));
        var version = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(stamp)))[..16].ToLowerInvariant();
        return new BoardView(workshop, board, version);
    }
}
