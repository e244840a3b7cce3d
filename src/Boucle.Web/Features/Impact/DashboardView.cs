using System.Globalization;
using System.Text.Json;

namespace Boucle.Web.Features.Impact;

/// What a dashboard shows; the territory and organisation dashboards share one partial.
public sealed record DashboardView(
    string Title,
    ImpactTotals Totals,
    IReadOnlyList<ImpactGroup> ByMonth,
    IReadOnlyList<ImpactGroup> ByCategory,
    IReadOnlyList<ImpactGroup> ByOperation,
    IReadOnlyList<(string From, string To, double Tonnes, int Exchanges)> Flows,
    IReadOnlyList<ImpactGroup>? ByOrganisation,
    IReadOnlyList<ImpactRow>? Exchanges,
    string? ExportQuery,
    string? FlowsUrl,
    double CenterLatitude,
    double CenterLongitude)
{
    private static readonly CultureInfo Fr = CultureInfo.GetCultureInfo("fr-FR");

    public static DashboardView Build(string title, IReadOnlyList<ImpactRow> rows, bool details, string? exportQuery, double lat, double lon) => new(
        title, ImpactTotals.Of(rows), ImpactService.ByMonth(rows), ImpactService.ByCategory(rows), ImpactService.ByOperation(rows),
        ImpactService.FlowsByKind(rows), details ? ImpactService.ByOrganisation(rows) : null, details ? rows : null,
        exportQuery, exportQuery is null ? null : "/impact/export/flux.geojson?" + exportQuery, lat, lon);

    public static string T(double value) => value.ToString(Math.Abs(value) >= 100 ? "#,##0" : Math.Abs(value) >= 10 ? "#,##0.0" : "0.##", Fr);

    public static string Eur(double value) => value.ToString("#,##0", Fr) + " €";

    // Chart data for wwwroot/js/impact.js, in data attributes (no inline script under the CSP).
    public string MonthChart => JsonSerializer.Serialize(new
    {
        kind = "months",
        labels = ByMonth.Select(m => m.Label),
        series = new object[]
        {
            new { name = "Tonnes détournées", type = "bar", data = ByMonth.Select(m => Math.Round(m.Totals.TonnesDiverted, 2)) },
            new { name = "t CO2e induites", type = "line", data = ByMonth.Select(m => Math.Round(m.Totals.Co2eInducedT, 2)) },
            new { name = "t CO2e évitées", type = "line", data = ByMonth.Select(m => Math.Round(m.Totals.Co2eAvoidedT, 2)) },
        },
    });

    public string CategoryChart => Bars(ByCategory);

    public string OperationChart => Bars(ByOperation);

    private static string Bars(IReadOnlyList<ImpactGroup> groups) => JsonSerializer.Serialize(new
    {
        kind = "bars",
        labels = groups.Select(g => g.Label),
        series = new object[]
        {
            new { name = "Tonnes", type = "bar", data = groups.Select(g => Math.Round(g.Totals.Tonnes, 2)) },
            new { name = "t CO2e induites", type = "bar", data = groups.Select(g => Math.Round(g.Totals.Co2eInducedT, 2)) },
            new { name = "t CO2e évitées", type = "bar", data = groups.Select(g => Math.Round(g.Totals.Co2eAvoidedT, 2)) },
        },
    });

    // Givers on the left, takers on the right: the same kind on both sides stays two nodes, so the diagram has no cycle.
    // Only nodes with a flow in tonnes: ECharts' Sankey cannot lay out a node without links (its view throws).
    public string SankeyChart
    {
        get
        {
            var weighed = Flows.Where(f => Math.Round(f.Tonnes, 2) > 0).ToList();
            return JsonSerializer.Serialize(new
            {
                kind = "sankey",
                nodes = weighed.Select(f => f.From + " (donne)").Concat(weighed.Select(f => f.To + " (reçoit)")).Distinct().Select(n => new { name = n }),
                links = weighed.Select(f => new { source = f.From + " (donne)", target = f.To + " (reçoit)", value = Math.Round(f.Tonnes, 2) }),
            });
        }
    }
}

public sealed record PeriodFormModel(string? Du, string? Au, Dictionary<string, string[]> Errors, string? Hidden, string? HiddenValue);
