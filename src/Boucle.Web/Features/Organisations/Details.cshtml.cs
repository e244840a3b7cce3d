using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Reference;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Organisations;

public sealed class DetailsModel(AppDbContext db, CurrentActor actor, ListingSearch search, ReferenceData reference) : PageModel
{
    public Organisation Organisation { get; private set; } = null!;
    public string? NafLabel { get; private set; }
    public bool IsMember { get; private set; }
    public IReadOnlyList<ListingSummary> Listings { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var organisation = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        var me = await actor.GetAsync(ct);
        if (organisation is null || (organisation.Suspended && !me.Facilitates(organisation.TerritoryId) && !me.IsMemberOf(id)))
        {
            return NotFound();
        }

        Organisation = organisation;
        NafLabel = reference.Naf(organisation.NafCode)?.Label;
        IsMember = me.IsMemberOf(id);
        Listings = (await search.SearchAsync(new ListingQuery { OrganisationId = id, Sort = ListingSort.Date, PageSize = 50 }, ct)).Items;
        return Page();
    }
}
