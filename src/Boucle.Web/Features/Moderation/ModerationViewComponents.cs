using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Organisations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Moderation;

public sealed record ListingModerationState(int ListingId, ListingStatus Status, bool IsMember, bool CanReport, bool CanModerate, ModerationDecision? Removal);

/// The moderation block of a listing page: the report form for other members, the removal or
/// review notice for the listing's organisation, a way to the queue for facilitators.
public sealed class ListingModerationViewComponent(AppDbContext db, CurrentActor actor, ModerationGate gate) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(int listingId, int organisationId, ListingStatus status)
    {
        var ct = HttpContext.RequestAborted;
        var me = await actor.GetAsync(ct);
        var territoryId = await db.Listings.Where(l => l.Id == listingId).Select(l => l.TerritoryId).SingleAsync(ct);
        var member = me.IsMemberOf(organisationId);
        var removal = member || me.Facilitates(territoryId) ? await gate.ActiveRemovalAsync(listingId, ct) : null;
        var state = new ListingModerationState(listingId, status, member, me.UserId is not null && !member, me.Facilitates(territoryId), removal);
        return View("/Features/Moderation/_ListingModeration.cshtml", state);
    }
}

public sealed record OrganisationModerationState(Organisation Organisation, bool IsMember, bool CanReport, bool CanModerate);

/// The moderation block of an organisation page: report form, suspension notice, facilitator actions.
public sealed class OrganisationModerationViewComponent(CurrentActor actor) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Organisation organisation)
    {
        var me = await actor.GetAsync(HttpContext.RequestAborted);
        var member = me.IsMemberOf(organisation.Id);
        var state = new OrganisationModerationState(organisation, member, me.UserId is not null && !member, me.Facilitates(organisation.TerritoryId));
        return View("/Features/Moderation/_OrganisationModeration.cshtml", state);
    }
}
