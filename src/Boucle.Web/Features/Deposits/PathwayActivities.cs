namespace Boucle.Web.Features.Deposits;

/// Which economic activities (NAF rév. 2 classes) take up what a valorisation pathway produces: the
/// organisations already doing them are the first people to call when a flow finds no taker.
/// Written for Boucle from the NAF rév. 2 labels (INSEE, Data/Reference/naf_rev2.csv); keyed by the
/// pathway's target category, a category inheriting its parent's activities when it has none of its own.
public static class PathwayActivities
{
    private static readonly Dictionary<string, string[]> ByTarget = new(StringComparer.Ordinal)
    {
        ["use.upcycling"] = ["31.09B", "16.29Z", "43.32A"],
        ["use.reuse"] = ["16.24Z", "47.79Z"],
        ["wood.offcuts"] = ["16.23Z", "31.09B", "43.32A"],
        ["energy.biomass_fuel"] = ["16.29Z", "35.30Z", "16.10A"],
        ["energy.heat"] = ["35.30Z"],
        ["use.energy_recovery"] = ["35.11Z", "35.30Z", "38.21Z"],
        ["use.composting"] = ["38.21Z"],
        ["use.anaerobic_digestion"] = ["35.21Z", "38.21Z"],
        ["use.animal_feed"] = ["01.41Z", "01.42Z", "01.45Z", "01.46Z", "01.47Z", "10.91Z"],
        ["use.animal_bedding"] = ["01.41Z", "01.42Z", "01.43Z", "01.45Z", "01.47Z"],
        ["use.mulch"] = ["01.13Z", "01.19Z", "01.30Z", "81.30Z"],
        ["use.mushroom_substrate"] = ["01.13Z"],
        ["use.recycling"] = ["38.32Z", "38.21Z"],
        ["use.packing"] = ["82.92Z"],
        ["use.insulation"] = ["43.29A"],
        ["use.food_aid"] = ["88.99B"],
        ["use.food_processing"] = ["10.39B", "10.89Z"],
        ["use.biofuel"] = ["20.14Z"],
        ["use.distillation"] = ["11.01Z"],
        ["use.hazardous_treatment"] = ["38.22Z"],
        ["soil"] = ["01.11Z", "01.13Z", "01.21Z", "01.61Z"],
        ["inert.aggregates"] = ["08.12Z", "23.63Z", "43.12A"],
        ["textiles.rags"] = ["13.99Z"],
        ["paper.paper"] = ["17.12Z"],
        ["greenwaste.chips"] = ["81.30Z", "02.40Z"],
        ["agrifood.grain"] = ["01.11Z"],
    };

    /// The NAF classes for a pathway's target category code (its own, else its nearest ancestor's).
    public static IReadOnlyList<string> For(string toCategory)
    {
        for (var code = toCategory; !string.IsNullOrEmpty(code); code = code.Contains('.', StringComparison.Ordinal) ? code[..code.LastIndexOf('.')] : null)
        {
            if (ByTarget.TryGetValue(code, out var naf))
            {
                return naf;
            }
        }

        return [];
    }
}
