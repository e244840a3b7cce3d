using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Listings;

[Authorize]
public sealed class EditModel(AppDbContext db, CurrentActor actor, ListingWriter writer) : PageModel
{
    [BindProperty] public ListingForm Input { get; set; } = new();
    public int Id { get; private set; }
    public int Version { get; private set; }
    public IReadOnlyList<Category> Categories { get; private set; } = [];
    public ListingFormView FormView => new(Input, Categories);

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var listing = await OwnListingAsync(id, ct);
        if (listing is null)
        {
            return NotFound();
        }

        Input = ListingForm.From(listing);
        await LoadAsync(listing, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, int version, CancellationToken ct)
    {
        var listing = await OwnListingAsync(id, ct);
        if (listing is null)
        {
            return NotFound();
        }

        if (listing.Version != version)
        {
            ModelState.AddModelError(string.Empty, "L'annonce a été modifiée entre-temps : rechargez la page pour voir la dernière version.");
        }

        var input = Input.ToInput(ModelState);
        foreach (var (key, messages) in await writer.ValidateAsync(input, ct))
        {
            foreach (var m in messages)
            {
                ModelState.AddModelError($"Input.{key}", m);
            }
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(listing, ct);
            return Page();
        }

        var organisation = await db.Organisations.SingleAsync(o => o.Id == listing.OrganisationId, ct);
        // The location stays where it was (the organisation's site or the listing's own point).
        input = input with { Latitude = listing.Latitude, Longitude = listing.Longitude, OpenToNeighbours = listing.OpenToNeighbours };
        await writer.ApplyAsync(listing, organisation, input, listing.Status, ct);
        return Redirect($"/annonces/{id}");
    }

    /// Members of the listing's organisation only; anyone else gets the same 404 as for a missing listing.
    private async Task<Listing?> OwnListingAsync(int id, CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        var listing = await db.Listings.SingleOrDefaultAsync(l => l.Id == id, ct);
        return listing is not null && me.IsMemberOf(listing.OrganisationId) ? listing : null;
    }

    private async Task LoadAsync(Listing listing, CancellationToken ct)
    {
        Id = listing.Id;
        Version = listing.Version;
        Categories = await db.Categories.AsNoTracking().OrderBy(c => c.SortOrder).ThenBy(c => c.Code).ToListAsync(ct);
    }
}
