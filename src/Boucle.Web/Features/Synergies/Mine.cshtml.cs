using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Synergies;

/// The synergies of the organisation the person acts for; members also propose one from a match here.
[Authorize]
public sealed class MineModel(AppDbContext db, CurrentActor actor, SynergyFunnel funnel) : PageModel
{
    public ActorInfo Me { get; private set; } = ActorInfo.Anonymous;
    public IReadOnlyList<SynergyRow> Rows { get; private set; } = [];
    [TempData] public string? Flash { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Me = await actor.GetAsync(ct);
        if (Me.Current is not { } current)
        {
            return Redirect("/mon-espace");
        }

        Rows = [.. (await SynergyQueries.Rows(db, s => s.GiverOrganisationId == current.OrganisationId || s.TakerOrganisationId == current.OrganisationId).ToListAsync(ct)).OrderBy(s => s.Stage).ThenByDescending(s => s.StageSince)];
        return Page();
    }

    /// "Proposer une synergie" from a match on one of the organisation's listings.
    public async Task<IActionResult> OnPostProposeAsync(int listingId, int matchId, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        var own = await db.Listings.AsNoTracking().SingleOrDefaultAsync(l => l.Id == listingId, ct);
        var other = await Listings.ListingQueries.FindVisibleAsync(db, actor, matchId, ct);
        if (own is null || !me.IsMemberOf(own.OrganisationId) || other is null || other.Type == own.Type || other.OrganisationId == own.OrganisationId)
        {
            return NotFound();
        }

        var (offerId, needId) = own.Type == Listings.ListingType.Offer ? (own.Id, other.Id) : (other.Id, own.Id);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var synergy = await funnel.ForPairAsync(offerId, needId, "member", me.UserId!, ct);
        await transaction.CommitAsync(ct);
        Flash = "Synergie proposée : suivez-la ici jusqu'au premier échange.";
        return Redirect($"/synergies/{synergy.Id}");
    }
}
