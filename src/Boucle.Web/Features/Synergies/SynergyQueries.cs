using System.Linq.Expressions;
using Boucle.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Synergies;

public sealed record SynergyRow(
    int Id, int TerritoryId, string Flow, int GiverId, string GiverName, int TakerId, string TakerName, string? CategoryCode,
    SynergyStage Stage, DateTime StageSince, string? AbandonReason, int Version, DateTime CreatedAt);

/// One stage of the funnel: how many synergies are there now, how many ever reached it, the share of
/// those that went on to the next stage, and the median days spent in it (moves out of it only).
public sealed record StageFigures(SynergyStage Stage, int Now, int Reached, double? ConversionToNext, double? MedianDays, int MedianOf);

public static class SynergyQueries
{
    public static IQueryable<SynergyRow> Rows(AppDbContext db, Expression<Func<Synergy, bool>> filter) =>
        from s in db.Set<Synergy>().AsNoTracking().Where(filter)
        join g in db.Organisations on s.GiverOrganisationId equals g.Id
        join t in db.Organisations on s.TakerOrganisationId equals t.Id
        select new SynergyRow(s.Id, s.TerritoryId, s.Flow, g.Id, g.Name, t.Id, t.Name, s.CategoryCode, s.Stage, s.StageSince, s.AbandonReason, s.Version, s.CreatedAt);

    public static IReadOnlyList<StageFigures> Figures(IReadOnlyCollection<(int Id, SynergyStage Stage)> synergies, IEnumerable<SynergyStep> steps)
    {
        var bySynergy = steps.GroupBy(s => s.SynergyId).ToDictionary(g => g.Key, g => g.OrderBy(s => s.At).ThenBy(s => s.Id).ToList());
        var furthest = synergies.ToDictionary(s => s.Id, s =>
        {
            var reached = bySynergy.GetValueOrDefault(s.Id)?.Select(x => Array.IndexOf(SynergyFunnel.Chain, x.ToStage)).DefaultIfEmpty(0).Max() ?? 0;
            return Math.Max(reached, Array.IndexOf(SynergyFunnel.Chain, s.Stage));
        });
        var durations = new Dictionary<SynergyStage, List<double>>();
        foreach (var list in bySynergy.Values)
        {
            for (var i = 0; i + 1 < list.Count; i++)
            {
                if (!durations.TryGetValue(list[i].ToStage, out var days))
                {
                    durations[list[i].ToStage] = days = [];
                }

                days.Add((list[i + 1].At - list[i].At).TotalDays);
            }
        }

        var result = new List<StageFigures>();
        foreach (var stage in Enum.GetValues<SynergyStage>())
        {
            var index = Array.IndexOf(SynergyFunnel.Chain, stage);
            var reached = index < 0 ? synergies.Count(s => s.Stage == stage) : furthest.Values.Count(f => f >= index);
            var next = index >= 0 && index + 1 < SynergyFunnel.Chain.Length ? furthest.Values.Count(f => f >= index + 1) : (int?)null;
            var days = durations.GetValueOrDefault(stage) ?? [];
            result.Add(new StageFigures(stage, synergies.Count(s => s.Stage == stage), reached,
                next is { } n && reached > 0 ? (double)n / reached : null, Median(days), days.Count));
        }

        return result;
    }

    public static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        var mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
