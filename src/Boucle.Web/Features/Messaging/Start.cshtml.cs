using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Listings;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Messaging;

/// Starts (or continues) the conversation of the acting organisation about a listing of another one.
[Authorize]
public sealed class StartModel(AppDbContext db, CurrentActor actor, MessagingService messaging) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "annonce")] public int ListingId { get; set; }
    [BindProperty] public string? Body { get; set; }
    public ContactState Contact { get; private set; } = null!;
    public string ListingTitle { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        return Contact.ConversationId is { } existing ? Redirect($"/messages/{existing}") : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        var me = await actor.GetAsync(ct);
        if (Contact.Refusal is { } refusal)
        {
            ModelState.AddModelError(nameof(Body), refusal);
            return Page();
        }

        var body = MessagingService.Normalise(Body);
        if (MessagingService.BodyError(body) is { } error)
        {
            ModelState.AddModelError(nameof(Body), error);
            return Page();
        }

        if (await messaging.IsRateLimitedAsync(me.UserId!, ct))
        {
            ModelState.AddModelError(nameof(Body), MessagingService.RateLimitMessage);
            return Page();
        }

        var asker = me.Current!.OrganisationId;
        var conversation = await db.Set<Conversation>().SingleOrDefaultAsync(c => c.ListingId == ListingId && c.AskerOrganisationId == asker, ct);
        if (conversation is null)
        {
            conversation = new Conversation
            {
                ListingId = ListingId,
                OwnerOrganisationId = Contact.OrganisationId,
                AskerOrganisationId = asker,
                StartedByUserId = me.UserId!,
            };
            db.Set<Conversation>().Add(conversation);
        }

        var message = await messaging.SendAsync(conversation, me, asker, body, $"{Request.Scheme}://{Request.Host}", ct);
        return Redirect($"/messages/{conversation.Id}#message-{message.Id}");
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var listing = await ListingQueries.FindVisibleAsync(db, actor, ListingId, ct);
        if (listing is null)
        {
            return false;
        }

        ListingTitle = listing.Title;
        Contact = await ContactState.ForAsync(db, actor, messaging, listing.Id, listing.OrganisationId, listing.OrganisationName, listing.Status, ct);
        return true;
    }
}

/// What the acting person may do about contacting a listing's organisation.
public sealed record ContactState(int ListingId, int OrganisationId, string OrganisationName, int? ConversationId, string? Refusal, bool NeedsOrganisation)
{
    public static async Task<ContactState> ForAsync(AppDbContext db, CurrentActor actor, MessagingService messaging,
        int listingId, int organisationId, string organisationName, ListingStatus status, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        if (me.Current is null)
        {
            return new(listingId, organisationId, organisationName, null, "Créez ou rejoignez une structure pour contacter une autre structure.", true);
        }

        var asker = me.Current.OrganisationId;
        if (asker == organisationId)
        {
            return new(listingId, organisationId, organisationName, null, "Cette annonce est celle de votre structure.", false);
        }

        var existing = await db.Set<Conversation>().Where(c => c.ListingId == listingId && c.AskerOrganisationId == asker).Select(c => (int?)c.Id).SingleOrDefaultAsync(ct);
        var block = await messaging.BlockStateAsync(asker, organisationId, ct);
        string? refusal = block != BlockState.None ? MessagingService.BlockText(block, organisationName)
            : existing is null && status is not (ListingStatus.Published or ListingStatus.Reserved) ? "Cette annonce n'est plus disponible : on ne peut plus ouvrir de conversation à son sujet."
            : null;
        return new(listingId, organisationId, organisationName, existing, refusal, false);
    }
}
