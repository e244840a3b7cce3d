using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Listings;

public sealed class DetailsModel(AppDbContext db, CurrentActor actor, WasteCodes wasteCodes, TimeProvider time, Synergies.SynergyService synergies, Synergies.ListingChanges changes, Synergies.SynergyDigest digest, Moderation.ModerationGate gate) : PageModel
{
    public ListingSummary Listing { get; private set; } = null!;
    public IReadOnlyList<ListingPhoto> Photos { get; private set; } = [];
    public WasteCode? Waste { get; private set; }
    public bool CanEdit { get; private set; }
    public bool SignedIn { get; private set; }
    public int Version { get; private set; }
    public string? Message { get; private set; }
    public IReadOnlyList<(ListingStatus Status, string Label)> NextStatuses { get; private set; } = [];
    public IReadOnlyList<Synergies.SynergyMatch> Matches { get; private set; } = [];
    public DateTime? ExpiresAt { get; private set; }
    public bool CanRenew { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    /// "Prolonger": a published listing close to its end stays up for another period.
    public async Task<IActionResult> OnPostRenewAsync(int id, int version, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        var listing = await db.Listings.AsNoTracking().SingleOrDefaultAsync(l => l.Id == id, ct);
        if (listing is null || !me.IsMemberOf(listing.OrganisationId))
        {
            return NotFound();
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (listing.Status != ListingStatus.Published || listing.ExpiresAt is not { } expires || expires - now > ListingExpiry.RenewWindow)
        {
            Message = "Une annonce se prolonge dans les 14 jours qui précèdent sa fin.";
        }
        else
        {
            var days = await db.Territories.Where(t => t.Id == listing.TerritoryId).Select(t => t.ListingExpiryDays).SingleAsync(ct);
            var changed = await db.Listings.Where(l => l.Id == id && l.Version == version)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, now.AddDays(days))
                    .SetProperty(l => l.RenewalReminderSentAt, (DateTime?)null)
                    .SetProperty(l => l.Version, l => l.Version + 1), ct);
            Message = changed == 1 ? $"Annonce prolongée jusqu'au {now.AddDays(days):d MMMM yyyy}." : "L'annonce a changé entre-temps : rechargez la page.";
        }

        await LoadAsync(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostStatusAsync(int id, ListingStatus status, int version, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        var listing = await db.Listings.SingleOrDefaultAsync(l => l.Id == id, ct);
        if (listing is null || !me.IsMemberOf(listing.OrganisationId))
        {
            // Same answer whether the listing exists or not: nothing to learn about others' drafts.
            return NotFound();
        }

        if (listing.Version != version)
        {
            // Someone changed it since the page was shown (another member reserved it first, for instance).
            Message = "L'annonce a changé entre-temps : rechargez la page et recommencez.";
        }
        else if (!Allowed(listing.Status).Any(s => s.Status == status))
        {
            ModelState.AddModelError(string.Empty, "Ce changement d'état n'est pas possible.");
            Message = "Ce changement d'état n'est pas possible.";
        }
        else if (status == ListingStatus.Published && listing.Status is ListingStatus.Expired or ListingStatus.Withdrawn
            && listing.PublishedAt is { } last && time.GetUtcNow().UtcDateTime - last < ListingExpiry.RepublishInterval)
        {
            // Republishing puts a listing back on top of the board: once a day at most.
            Message = "Une annonce ne peut être republiée qu'une fois par jour.";
        }
        else if (await gate.ActiveRemovalAsync(id, ct) is not null)
        {
            Message = "Cette annonce a été retirée par l'équipe d'animation : elle ne peut pas être remise en ligne sans un appel accepté.";
        }
        else
        {
            status = await gate.StatusToSaveAsync(id, listing.Status, listing.TerritoryId, status, ct);
            var now = time.GetUtcNow().UtcDateTime;
            var days = await db.Territories.Where(t => t.Id == listing.TerritoryId).Select(t => t.ListingExpiryDays).SingleAsync(ct);
            var publishing = status == ListingStatus.Published && listing.Status != ListingStatus.Reserved;
            // Optimistic concurrency: the update only applies to the version the person saw.
            var changed = await db.Listings.Where(l => l.Id == id && l.Version == version)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.Status, status)
                    .SetProperty(l => l.Version, l => l.Version + 1)
                    .SetProperty(l => l.UpdatedAt, now)
                    .SetProperty(l => l.PublishedAt, l => publishing ? now : l.PublishedAt)
                    .SetProperty(l => l.ExpiresAt, l => publishing ? now.AddDays(days) : l.ExpiresAt)
                    .SetProperty(l => l.RenewalReminderSentAt, l => publishing ? null : l.RenewalReminderSentAt), ct);
            if (changed == 1)
            {
                changes.Bump();
                if (status == ListingStatus.Published)
                {
                    await digest.NotifyAsync(id, $"{Request.Scheme}://{Request.Host}", ct);
                }
            }

            Message = changed == 1
                ? $"L'annonce est maintenant {ListingLabels.Fr(status)}."
                : "L'annonce a changé entre-temps : rechargez la page et recommencez.";
        }

        await LoadAsync(id, ct);
        return Page();
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var listing = await ListingQueries.FindVisibleAsync(db, actor, id, ct);
        if (listing is null)
        {
            return false;
        }

        var me = await actor.GetAsync(ct);
        Listing = listing;
        SignedIn = me.UserId is not null;
        CanEdit = me.IsMemberOf(listing.OrganisationId);
        Photos = await db.ListingPhotos.AsNoTracking().Where(p => p.ListingId == id).OrderBy(p => p.SortOrder).ToListAsync(ct);
        Waste = wasteCodes.Find(listing.WasteCode);
        var state = await db.Listings.Where(l => l.Id == id).Select(l => new { l.Version, l.ExpiresAt }).SingleAsync(ct);
        Version = state.Version;
        ExpiresAt = state.ExpiresAt;
        CanRenew = listing.Status == ListingStatus.Published && state.ExpiresAt is { } e && e - time.GetUtcNow().UtcDateTime <= ListingExpiry.RenewWindow;
        NextStatuses = await gate.ActiveRemovalAsync(id, ct) is null ? Allowed(listing.Status) : [];
        Matches = await synergies.MatchesForAsync(db, id, 8, ct);
        return true;
    }

    /// The lifecycle: draft → published → reserved → exchanged, withdrawn from any open state.
    public static IReadOnlyList<(ListingStatus Status, string Label)> Allowed(ListingStatus current) => current switch
    {
        ListingStatus.Draft => [(ListingStatus.Published, "Publier"), (ListingStatus.Withdrawn, "Retirer")],
        ListingStatus.Published => [(ListingStatus.Reserved, "Marquer réservée"), (ListingStatus.Exchanged, "Marquer échangée"), (ListingStatus.Withdrawn, "Retirer")],
        ListingStatus.Reserved => [(ListingStatus.Exchanged, "Marquer échangée"), (ListingStatus.Published, "Remettre en ligne"), (ListingStatus.Withdrawn, "Retirer")],
        ListingStatus.Withdrawn or ListingStatus.Expired => [(ListingStatus.Published, "Republier")],
        ListingStatus.PendingReview => [(ListingStatus.Withdrawn, "Retirer")],
        _ => [],
    };
}
