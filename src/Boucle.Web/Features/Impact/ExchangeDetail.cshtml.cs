using System.Globalization;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Exchanges;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Impact;

/// How one exchange's figures were computed: the factor versions it kept and the arithmetic.
[Authorize]
public sealed class ExchangeDetailModel(AppDbContext db, ImpactService impact, CurrentActor actor) : PageModel
{
    public Exchange? Exchange { get; private set; }
    public ExchangeImpact? Impact { get; private set; }
    public string Giver { get; private set; } = "";
    public string Taker { get; private set; } = "";
    public IReadOnlyList<ImpactFactor> Factors { get; private set; } = [];
    public IReadOnlyList<DensityFactor> Densities { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        Exchange = await db.Exchanges.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (Exchange is null)
        {
            return NotFound();
        }

        var info = await actor.GetAsync(ct);
        if (!info.IsMemberOf(Exchange.GiverOrganisationId) && !info.IsMemberOf(Exchange.TakerOrganisationId) && !info.Facilitates(Exchange.TerritoryId))
        {
            return Forbid();
        }

        await impact.EnsureComputedAsync(ct);
        Impact = await db.Set<ExchangeImpact>().AsNoTracking().FirstOrDefaultAsync(i => i.ExchangeId == id, ct);
        var names = await db.Organisations.AsNoTracking().Where(o => o.Id == Exchange.GiverOrganisationId || o.Id == Exchange.TakerOrganisationId).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        (Giver, Taker) = (names[Exchange.GiverOrganisationId], names[Exchange.TakerOrganisationId]);
        if (Impact is not null)
        {
            var ids = Impact.FactorIds.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var f = ids.Where(i => i[0] == 'f').Select(i => int.Parse(i[1..], CultureInfo.InvariantCulture)).ToList();
            var d = ids.Where(i => i[0] == 'd').Select(i => int.Parse(i[1..], CultureInfo.InvariantCulture)).ToList();
            Factors = await db.Set<ImpactFactor>().AsNoTracking().Where(x => f.Contains(x.Id)).OrderBy(x => x.Key).ToListAsync(ct);
            Densities = await db.Set<DensityFactor>().AsNoTracking().Where(x => d.Contains(x.Id)).ToListAsync(ct);
        }

        return Page();
    }
}
