using System.Linq.Expressions;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Listings;

public static class ListingQueries
{
    public static readonly Expression<Func<Listing, ListingSummary>> Summary = l => new ListingSummary(
        l.Id, l.TerritoryId, l.Type, l.Title, l.Description, l.CategoryCode, l.Category!.LabelFr, l.WasteCode, l.IsHazardous,
        l.Quantity, l.Unit, l.Frequency, l.Status, l.PriceMode,
        l.OrganisationId, l.Organisation!.Name, l.Organisation.Verified,
        l.Latitude, l.Longitude, l.CommuneName, null, l.PublishedAt,
        l.Photos.OrderBy(p => p.SortOrder).Select(p => p.FileName).FirstOrDefault(),
        l.Photos.OrderBy(p => p.SortOrder).Select(p => p.AltText).FirstOrDefault(),
        l.ApproximateLocation);

    /// A listing as the actor may see it: public states for everyone; drafts, withdrawn and
    /// expired ones only for the organisation's members and the territory's facilitators.
    public static async Task<ListingSummary?> FindVisibleAsync(AppDbContext db, CurrentActor actor, int id, CancellationToken ct)
    {
        var summary = await db.Listings.AsNoTracking().Where(l => l.Id == id).Select(Summary).SingleOrDefaultAsync(ct);
        if (summary is null)
        {
            return null;
        }

        // A suspended organisation's listings are hidden like drafts.
        var suspended = await db.Organisations.Where(o => o.Id == summary.OrganisationId).Select(o => o.Suspended).SingleAsync(ct);
        if (ListingLabels.PubliclyVisible(summary.Status) && !suspended)
        {
            var info = await actor.GetAsync(ct);
            return info.IsMemberOf(summary.OrganisationId) ? summary : ListingSearch.Blur(summary);
        }

        var me = await actor.GetAsync(ct);
        return me.IsMemberOf(summary.OrganisationId) || me.Facilitates(summary.TerritoryId) ? summary : null;
    }
}
