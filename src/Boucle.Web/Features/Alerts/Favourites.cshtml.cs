using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Listings;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Alerts;

[Authorize]
public sealed class FavouritesModel(AppDbContext db, CurrentActor actor, TimeProvider time) : PageModel
{
    public IReadOnlyList<ListingSummary> Listings { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        var userId = me.UserId!;
        var ids = await db.Set<Favourite>().Where(f => f.UserId == userId).OrderByDescending(f => f.CreatedAt).Select(f => f.ListingId).ToListAsync(ct);
        var summaries = await db.Listings.AsNoTracking().Where(l => ids.Contains(l.Id)).Select(ListingQueries.Summary).ToListAsync(ct);
        // Only what the person may still see: a listing back in draft stays hidden, even starred.
        Listings = [.. ids.Select(id => summaries.FirstOrDefault(s => s.Id == id))
            .OfType<ListingSummary>()
            .Where(s => ListingLabels.PubliclyVisible(s.Status) || me.IsMemberOf(s.OrganisationId))
            .Select(s => me.IsMemberOf(s.OrganisationId) ? s : ListingSearch.Blur(s))];
    }

    /// Stars or unstars a listing the person can see, then goes back where the form was.
    public async Task<IActionResult> OnPostToggleAsync(int listingId, string? returnUrl, CancellationToken ct)
    {
        var userId = actor.UserId!;
        if (await ListingQueries.FindVisibleAsync(db, actor, listingId, ct) is null)
        {
            return NotFound();
        }

        var existing = await db.Set<Favourite>().SingleOrDefaultAsync(f => f.UserId == userId && f.ListingId == listingId, ct);
        if (existing is null)
        {
            db.Set<Favourite>().Add(new Favourite { UserId = userId, ListingId = listingId, CreatedAt = time.GetUtcNow().UtcDateTime });
            TempData["FavouriteMessage"] = "Annonce ajoutée à vos favoris.";
        }
        else
        {
            db.Set<Favourite>().Remove(existing);
            TempData["FavouriteMessage"] = "Annonce retirée de vos favoris.";
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A double click: the first post already did it.
        }

        return LocalRedirect(Shared.ReturnAddress.Local(returnUrl) ?? "/favoris");
    }
}

/// Whether the signed-in person starred a listing, for the toggle on the listing page.
public sealed class FavouriteState(AppDbContext db, CurrentActor actor)
{
    public async Task<bool?> IsFavouriteAsync(int listingId)
    {
        var userId = actor.UserId;
        return userId is null ? null : await db.Set<Favourite>().AnyAsync(f => f.UserId == userId && f.ListingId == listingId);
    }
}
