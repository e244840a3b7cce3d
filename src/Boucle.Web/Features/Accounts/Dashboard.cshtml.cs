using Boucle.Web.Data;
using Boucle.Web.Features.Listings;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Accounts;

[Authorize]
public sealed class DashboardModel(AppDbContext db, CurrentActor actor, Synergies.SynergyService synergies) : PageModel
{
    public ActorInfo Actor { get; private set; } = ActorInfo.Anonymous;
    public IReadOnlyList<ListingSummary> Listings { get; private set; } = [];
    public IReadOnlyList<(ListingSummary Own, Synergies.SynergyMatch Match)> Opportunities { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Actor = await actor.GetAsync(ct);
        if (Actor.Current is { } current)
        {
            // Members see all their organisation's listings, drafts included.
            Listings = await db.Listings.AsNoTracking().Where(l => l.OrganisationId == current.OrganisationId)
                .OrderByDescending(l => l.UpdatedAt).Select(ListingQueries.Summary).ToListAsync(ct);
            var opportunities = new List<(ListingSummary, Synergies.SynergyMatch)>();
            foreach (var own in Listings.Where(l => l.Status is ListingStatus.Published or ListingStatus.Reserved))
            {
                opportunities.AddRange((await synergies.MatchesForAsync(db, own.Id, 3, ct)).Select(m => (own, m)));
            }

            Opportunities = [.. opportunities.OrderByDescending(o => o.Item2.Score).Take(10)];
        }
    }

    public async Task<IActionResult> OnPostSwitchAsync(int organisationId, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        if (!me.IsMemberOf(organisationId))
        {
            return Forbid();
        }

        await db.Users.Where(u => u.Id == me.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.CurrentOrganisationId, organisationId), ct);
        return Redirect("/mon-espace");
    }
}
