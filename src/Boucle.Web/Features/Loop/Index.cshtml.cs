using System.Globalization;
using System.Text.Json;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Territories;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Loop;

public sealed record CanteenLink(int OrganisationId, string Name, bool CanOpen);

/// The territory's organic loop, public: aggregates and the flows between organisations.
public sealed class IndexModel(AppDbContext db, LoopIndicators indicators, CurrentActor actor) : PageModel
{
    [FromQuery(Name = "du")] public string? From { get; set; }
    [FromQuery(Name = "au")] public string? To { get; set; }
    [FromQuery(Name = "territoire")] public string? Territory { get; set; }

    public TerritorySummary? Summary { get; private set; }
    public LoopFigures? Figures { get; private set; }
    public string SankeyJson { get; private set; } = "{}";
    public IReadOnlyList<CanteenLink> Canteens { get; private set; } = [];
    public bool CanRecord { get; private set; }
    public string? PeriodError { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Summary = string.IsNullOrWhiteSpace(Territory)
            ? await TerritoryQueries.MainAsync(db, ct)
            : !TerritoryQueries.CanBeSlug(Territory) ? null
            : await db.Territories.AsNoTracking().Where(t => t.Slug == Territory)
                .Select(t => new TerritorySummary(t.Id, t.Slug, t.Name, t.CenterLatitude, t.CenterLongitude, t.DefaultRadiusKm)).SingleOrDefaultAsync(ct);
        if (Summary is null)
        {
            return NotFound();
        }

        DateOnly? Parse(string? text) => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        var from = Parse(From);
        var to = Parse(To);
        if ((!string.IsNullOrWhiteSpace(From) && from is null) || (!string.IsNullOrWhiteSpace(To) && to is null))
        {
            PeriodError = "Les dates s'écrivent AAAA-MM-JJ ; la période entière est affichée.";
            from = to = null;
        }
        else if (from > to)
        {
            PeriodError = "La fin de la période précède son début ; la période entière est affichée.";
            from = to = null;
        }

        Figures = await indicators.TerritoryAsync(Summary.Id, from, to, ct);
        var nodeNames = Figures.Nodes.ToDictionary(n => n.Id, n => n.Name);
        SankeyJson = JsonSerializer.Serialize(new
        {
            nodes = Figures.Nodes.Select(n => new { name = n.Name, column = n.Column }),
            links = Figures.Links.Where(l => l.Tonnes > 0).Select(l => new { source = nodeNames[l.Source], target = nodeNames[l.Target], value = l.Tonnes }),
        });
        var me = await actor.GetAsync(ct);
        CanRecord = me.UserId is not null;
        var rows = await db.Set<CanteenProfile>().AsNoTracking()
            .Join(db.Organisations.Where(o => o.TerritoryId == Summary.Id), p => p.OrganisationId, o => o.Id, (p, o) => new { o.Id, o.Name, o.TerritoryId })
            .OrderBy(o => o.Name).ToListAsync(ct);
        Canteens = [.. rows.Select(r => new CanteenLink(r.Id, r.Name, LoopAccess.CanEdit(me, r.Id, r.TerritoryId)))];
        return Page();
    }

    public string NodeName(string id) => Figures!.Nodes.FirstOrDefault(n => n.Id == id)?.Name ?? id;

    public static string Pct(double? v) => v is null ? "—" : (v.Value * 100).ToString("0", CultureInfo.GetCultureInfo("fr-FR")) + " %";

    public static string T(double v) => v.ToString("N1", CultureInfo.GetCultureInfo("fr-FR")) + " t";
}
