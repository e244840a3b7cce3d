using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Boucle.Web.Features.Impact;

/// "How is this computed": each figure's definition and the current factors, with value, unit, source and version.
public sealed class MethodModel(ImpactService impact) : PageModel
{
    public IReadOnlyList<ImpactFactor> Factors { get; private set; } = [];
    public IReadOnlyList<DensityFactor> Densities { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        await impact.SeedFactorsAsync(ct);
        var set = await impact.CurrentFactorsAsync(ct);
        Factors = [.. set.Factors.Values.OrderBy(f => f.Key, StringComparer.Ordinal)];
        Densities = [.. set.Densities.Values.OrderBy(d => d.CategoryCode, StringComparer.Ordinal).ThenBy(d => d.Unit)];
    }

    public IEnumerable<ImpactFactor> Prefixed(params string[] prefixes) => Factors.Where(f => prefixes.Any(p => f.Key.StartsWith(p, StringComparison.Ordinal)));
}
