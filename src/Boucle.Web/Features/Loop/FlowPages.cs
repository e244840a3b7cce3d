using System.Globalization;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Organisations;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Loop;

/// What the transfer, production and delivery forms share: the territory's organisations to choose from.
public abstract class FlowPageModel(AppDbContext db, CurrentActor actor) : PageModel
{
    protected AppDbContext Db => db;

    protected ActorInfo Me { get; private set; } = ActorInfo.Anonymous;

    public IReadOnlyList<OrganisationOption> Everyone { get; private set; } = [];
    public IReadOnlyList<OrganisationOption> Sites { get; private set; } = [];
    public IReadOnlyList<OrganisationOption> Receivers { get; private set; } = [];

    protected async Task LoadOptionsAsync(CancellationToken ct)
    {
        Me = await actor.GetAsync(ct);
        var territory = await LoopScope.TerritoryAsync(db, Me, ct);
        var orgs = await db.Organisations.AsNoTracking().Where(o => o.TerritoryId == territory && !o.Suspended)
            .OrderBy(o => o.Name).Select(o => new { o.Id, o.Name, o.Kind }).ToListAsync(ct);
        Everyone = [.. orgs.Select(o => new OrganisationOption(o.Id, o.Name))];
        Sites = [.. orgs.Where(o => LoopWriter.IsTreatmentSite(o.Kind)).Select(o => new OrganisationOption(o.Id, o.Name))];
        Receivers = [.. orgs.Where(o => LoopWriter.IsTreatmentSite(o.Kind) || o.Kind == OrganisationKind.Collector).Select(o => new OrganisationOption(o.Id, o.Name))];
    }

    protected void AddErrors(Dictionary<string, string[]> errors)
    {
        ModelState.Clear();
        foreach (var (key, messages) in errors)
        {
            foreach (var m in messages)
            {
                ModelState.AddModelError($"Input.{key}", m);
            }
        }
    }

    protected static string Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
