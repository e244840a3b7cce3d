using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Territories;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Synergies;

/// The facilitators' view of every candidate pair of their territory.
[Authorize]
public sealed class BoardModel(AppDbContext db, CurrentActor actor, SynergyService synergies, SynergyFunnel funnel, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Categorie { get; set; }
    [BindProperty(SupportsGet = true)] public int Distance { get; set; } = 50;
    [BindProperty(SupportsGet = true)] public string Etat { get; set; } = "a-traiter";
    [BindProperty(SupportsGet = true)] public int Seuil { get; set; } = 40;
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    public const int PageSize = 50;
    public int Total { get; private set; }
    [TempData] public string? Flash { get; set; }
    public (int Offer, int Need)? ErrorPair { get; private set; }
    public IReadOnlyList<Category> Categories { get; private set; } = [];
    public IReadOnlyList<SynergyPair> Pairs { get; private set; } = [];
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var territory = await FacilitatedTerritoryAsync(ct);
        if (territory is null)
        {
            return Forbid();
        }

        await LoadAsync(territory.Value, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDecideAsync(int offerId, int needId, DecisionStatus decision, string? reason, CancellationToken ct)
    {
        var territory = await FacilitatedTerritoryAsync(ct);
        if (territory is null)
        {
            return Forbid();
        }

        var pair = (await synergies.PairsAsync(db, territory.Value, 0, ct)).FirstOrDefault(p => p.Offer.Id == offerId && p.Need.Id == needId);
        if (pair is null)
        {
            Message = "Cette paire n'est plus proposée.";
        }
        else if (decision == DecisionStatus.Dismissed && string.IsNullOrWhiteSpace(reason))
        {
            // Shown next to the reason of that row, the page staying on the same filters.
            ErrorPair = (offerId, needId);
            Message = "Indiquez pourquoi vous écartez cette paire : la raison sert à améliorer les propositions.";
            await LoadAsync(territory.Value, ct);
            return Page();
        }
        else if (!await db.Set<SynergyDecision>().AnyAsync(d => d.OfferListingId == offerId && d.NeedListingId == needId, ct))
        {
            db.Set<SynergyDecision>().Add(new SynergyDecision
            {
                TerritoryId = territory.Value,
                OfferListingId = offerId,
                NeedListingId = needId,
                Status = decision,
                Reason = reason?.Trim(),
                Score = pair.Score,
                Pathway = pair.Pathway.Length > 200 ? pair.Pathway[..200] : pair.Pathway,
                DecidedByUserId = (await actor.GetAsync(ct)).UserId!,
                DecidedAt = time.GetUtcNow().UtcDateTime,
            });
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            if (decision == DecisionStatus.Accepted)
            {
                // An accepted pair becomes a synergy to follow, at the suggested stage.
                await funnel.ForPairAsync(offerId, needId, "board", (await actor.GetAsync(ct)).UserId!, ct);
            }

            await transaction.CommitAsync(ct);
            Flash = decision == DecisionStatus.Accepted ? "Synergie acceptée. Elle est à suivre dans le suivi des synergies." : "Paire écartée : elle ne sera plus proposée.";
        }
        else
        {
            Flash = "Cette paire a déjà été traitée.";
        }

        Flash ??= Message;
        // Post/redirect/get on the same filters: a reload does not post the decision again.
        return Redirect(Url.Page("/Synergies/Board", new { categorie = Categorie, distance = Distance, etat = Etat, seuil = Seuil, p = PageNumber })!);
    }

    private async Task<int?> FacilitatedTerritoryAsync(CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        var main = await TerritoryQueries.MainAsync(db, ct);
        return main is not null && me.Facilitates(main.Id) ? main.Id : null;
    }

    private async Task LoadAsync(int territoryId, CancellationToken ct)
    {
        Categories = await db.Categories.AsNoTracking().Where(c => c.ParentCode == null).OrderBy(c => c.SortOrder).ToListAsync(ct);
        Seuil = Math.Clamp(Seuil, 0, 100);
        var pairs = await synergies.PairsAsync(db, territoryId, Seuil / 100.0, ct);
        Message ??= Flash;
        var filtered = pairs.Where(p => p.DistanceKm is null || p.DistanceKm <= Distance)
            .Where(p => string.IsNullOrEmpty(Categorie) || InCategory(p.Offer.CategoryCode) || InCategory(p.Need.CategoryCode))
            .Where(p => Etat switch
            {
                "acceptees" => p.Decision == DecisionStatus.Accepted,
                "ecartees" => p.Decision == DecisionStatus.Dismissed,
                "toutes" => true,
                _ => p.Decision is null,
            }).ToList();
        Total = filtered.Count;
        PageNumber = Math.Clamp(PageNumber, 1, Math.Max(1, (Total + PageSize - 1) / PageSize));
        Pairs = [.. filtered.Skip((PageNumber - 1) * PageSize).Take(PageSize)];
    }

    private bool InCategory(string? code) => code is not null && (code == Categorie || code.StartsWith(Categorie + ".", StringComparison.Ordinal));
}
