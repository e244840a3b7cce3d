using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Listings;
using Microsoft.AspNetCore.Mvc;

namespace Boucle.Web.Features.Messaging;

/// The "contact" block of a listing page: a first-message form, or the way to the existing conversation.
public sealed class ContactViewComponent(AppDbContext db, CurrentActor actor, MessagingService messaging) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(int listingId, int organisationId, string organisationName, ListingStatus status)
    {
        var state = await ContactState.ForAsync(db, actor, messaging, listingId, organisationId, organisationName, status, HttpContext.RequestAborted);
        return View("/Features/Messaging/_Contact.cshtml", state);
    }
}
