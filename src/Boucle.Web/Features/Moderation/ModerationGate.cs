using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Listings;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Moderation;

/// The two rules every way of saving a listing follows: a listing removed by the facilitators stays
/// offline, and under pre-moderation what a member publishes waits for a facilitator's approval.
public sealed class ModerationGate(AppDbContext db, CurrentActor actor)
{
    /// The status to store when a listing in <paramref name="current"/> (null: new) is saved as <paramref name="requested"/>.
    public async Task<ListingStatus> StatusToSaveAsync(int? listingId, ListingStatus? current, int territoryId, ListingStatus requested, CancellationToken ct)
    {
        if (listingId is { } id && requested != current && await ActiveRemovalAsync(id, ct) is not null)
        {
            return current ?? ListingStatus.Withdrawn;
        }

        // Back online after a reservation fell through: the content was already reviewed.
        if (requested != ListingStatus.Published || current == ListingStatus.Reserved)
        {
            return requested;
        }

        var preModeration = await db.Territories.Where(t => t.Id == territoryId).Select(t => t.PreModeration).SingleOrDefaultAsync(ct);
        return preModeration && !(await actor.GetAsync(ct)).Facilitates(territoryId) ? ListingStatus.PendingReview : requested;
    }

    /// The removal that keeps the listing offline, if any.
    public Task<ModerationDecision?> ActiveRemovalAsync(int listingId, CancellationToken ct) =>
        db.Set<ModerationDecision>().AsNoTracking()
            .Where(d => d.ListingId == listingId && (d.Status == ModerationStatus.Removed || d.Status == ModerationStatus.Appealed || d.Status == ModerationStatus.Confirmed))
            .OrderByDescending(d => d.Id).FirstOrDefaultAsync(ct);
}
