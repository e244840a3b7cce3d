using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Synergies;
using Boucle.Web.Features.Territories;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Impact;

public sealed record StageCount(string Stage, int Count);

/// The funder report for a period, printed to PDF from the browser (print stylesheet in site.css).
[Authorize]
public sealed class ReportModel(AppDbContext db, ImpactService impact, CurrentActor actor, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Territoire { get; set; }
    [BindProperty(SupportsGet = true)] public string? Du { get; set; }
    [BindProperty(SupportsGet = true)] public string? Au { get; set; }
    public Dictionary<string, string[]> Errors { get; } = [];
    public PeriodFormModel PeriodForm => new(Du, Au, Errors, Territoire is null ? null : "territoire", Territoire);
    public TerritorySummary? Territory { get; private set; }
    public DateOnly From { get; private set; }
    public DateOnly To { get; private set; }
    public ImpactTotals Totals { get; private set; } = ImpactTotals.Of([]);
    public IReadOnlyList<ImpactGroup> ByCategory { get; private set; } = [];
    public IReadOnlyList<(string Sector, int Count)> OrganisationsBySector { get; private set; } = [];
    public IReadOnlyList<StageCount> Decisions { get; private set; } = [];
    public IReadOnlyList<StageCount> Stages { get; private set; } = [];
    public IReadOnlyList<ImpactRow> Largest { get; private set; } = [];
    public IReadOnlyList<ImpactRow> NewPathways { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Territory = string.IsNullOrWhiteSpace(Territoire) ? await TerritoryQueries.MainAsync(db, ct) : await impact.TerritoryAsync(Territoire, ct);
        if (Territory is null)
        {
            return NotFound();
        }

        if (!(await actor.GetAsync(ct)).Facilitates(Territory.Id))
        {
            return Forbid();
        }

        // Default period: the last twelve months up to today.
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var (from, to) = ImpactEndpoints.Period(Du, Au, Errors);
        if (Errors.Count > 0)
        {
            (from, to) = (null, null);
        }

        To = to ?? today;
        From = from ?? To.AddYears(-1).AddDays(1);
        var all = await impact.RowsAsync(new ImpactQuery(Territory, null, To, null), ct);
        var rows = all.Where(r => r.Date >= From).ToList();
        Totals = ImpactTotals.Of(rows);
        ByCategory = ImpactService.ByCategory(rows);
        OrganisationsBySector = [.. rows.SelectMany(r => new[] { r.Giver, r.Taker }).DistinctBy(p => p.Id)
            .GroupBy(ImpactService.Sector).Select(g => (g.Key, g.Count())).OrderBy(g => g.Key, StringComparer.Ordinal)];
        var start = From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = To.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var decisions = await db.Set<SynergyDecision>().AsNoTracking()
            .Where(d => d.TerritoryId == Territory.Id && d.DecidedAt >= start && d.DecidedAt < end)
            .GroupBy(d => d.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        Decisions = [new("Paires retenues par l'équipe d'animation", decisions.FirstOrDefault(d => d.Key == DecisionStatus.Accepted)?.Count ?? 0),
            new("Paires écartées (avec une raison)", decisions.FirstOrDefault(d => d.Key == DecisionStatus.Dismissed)?.Count ?? 0)];
        Stages = await SynergiesByStageAsync(Territory.Id, From, To, ct);
        Largest = [.. rows.Where(r => r.Impact.Tonnes is not null).OrderByDescending(r => r.Impact.Tonnes).ThenBy(r => r.ExchangeId).Take(5)];
        // A new pathway: a category going to a kind of organisation by an operation never seen before the period.
        var before = all.Where(r => r.Date < From).Select(PathwayKey).ToHashSet();
        NewPathways = [.. rows.GroupBy(PathwayKey).Where(g => !before.Contains(g.Key)).Select(g => g.First())];
        return Page();
    }

    private static (string?, Organisations.OrganisationKind, string) PathwayKey(ImpactRow r) => (r.CategoryCode, r.Taker.Kind, ImpactCalculator.OperationLabel(r.Operation));

    /// Synergies by the stage they stood at on the period's last day, counting those that moved during the
    /// period (created, advanced or abandoned in it) or were still open then: the funnel as the funder saw it.
    private async Task<IReadOnlyList<StageCount>> SynergiesByStageAsync(int territoryId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var steps = await db.Set<SynergyStep>().AsNoTracking()
            .Where(st => st.At < end && db.Set<Synergy>().Any(s => s.Id == st.SynergyId && s.TerritoryId == territoryId))
            .Select(st => new { st.SynergyId, st.ToStage, st.At, st.Id })
            .ToListAsync(ct);
        var stages = steps.GroupBy(st => st.SynergyId)
            .Select(g => (Last: g.OrderBy(st => st.At).ThenBy(st => st.Id).Last(), Moved: g.Any(st => st.At >= start)))
            .Where(x => x.Moved || x.Last.ToStage is not SynergyStage.Abandoned)
            .GroupBy(x => x.Last.ToStage)
            .ToDictionary(g => g.Key, g => g.Count());
        return stages.Count == 0
            ? []
            : [.. SynergyFunnel.Chain.Append(SynergyStage.Abandoned).Select(st => new StageCount(SynergyFunnel.Label(st), stages.GetValueOrDefault(st)))];
    }
}
