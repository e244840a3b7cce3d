using Boucle.Web.Data;
using Boucle.Web.Features.Listings;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Exchanges;

public sealed record Choice(int Id, string Label);

/// What the shared fields partial needs: the form and its choices.
public sealed record ExchangeFormView(ExchangeForm Input, IReadOnlyList<Choice> Organisations, IReadOnlyList<Choice> Offers, IReadOnlyList<Choice> Needs, IReadOnlyList<Category> Categories)
{
    public static async Task<ExchangeFormView> LoadAsync(AppDbContext db, ExchangeForm input, int territoryId, CancellationToken ct)
    {
        var organisations = await db.Organisations.AsNoTracking().Where(o => o.TerritoryId == territoryId).OrderBy(o => o.Name)
            .Select(o => new Choice(o.Id, o.Name)).ToListAsync(ct);
        var listings = await (from l in db.Listings.AsNoTracking()
                              join o in db.Organisations on l.OrganisationId equals o.Id
                              where l.TerritoryId == territoryId && l.Status != ListingStatus.Draft
                              orderby o.Name, l.Title
                              select new { l.Id, l.Type, Label = o.Name + " — " + l.Title }).ToListAsync(ct);
        var categories = await db.Categories.AsNoTracking().OrderBy(c => c.SortOrder).ThenBy(c => c.Code).ToListAsync(ct);
        return new ExchangeFormView(input, organisations,
            [.. listings.Where(l => l.Type == ListingType.Offer).Select(l => new Choice(l.Id, l.Label))],
            [.. listings.Where(l => l.Type == ListingType.Need).Select(l => new Choice(l.Id, l.Label))],
            categories);
    }
}
