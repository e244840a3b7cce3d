using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Territories;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Exchanges;

/// Every current exchange of the territory, for its facilitators.
[Authorize]
public sealed class TerritoryModel(AppDbContext db, CurrentActor actor) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Etat { get; set; } = "tous";
    public string TerritoryName { get; private set; } = "";
    public IReadOnlyList<ExchangeRow> Rows { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var me = await actor.GetAsync(ct);
        var main = await TerritoryQueries.MainAsync(db, ct);
        if (main is null || !me.Facilitates(main.Id))
        {
            return Forbid();
        }

        TerritoryName = main.Name;
        List<ExchangeRow> rows = [.. (await ExchangeQueries.Rows(db, x => x.TerritoryId == main.Id && x.SupersededById == null).ToListAsync(ct)).OrderByDescending(x => x.Date).ThenByDescending(x => x.Id)];
        Rows = Etat switch
        {
            "confirmes" => [.. rows.Where(r => r.Counts)],
            "en-attente" => [.. rows.Where(r => !r.Counts)],
            _ => rows,
        };
        return Page();
    }
}
