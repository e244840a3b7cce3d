using System.Globalization;
using Boucle.Web.Data;
using Boucle.Web.Features.Exchanges;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Territories;
using Microsoft.EntityFrameworkCore;
using nietras.SeparatedValues;

namespace Boucle.Web.Features.Impact;

public static class ImpactServices
{
    public static IServiceCollection AddImpact(this IServiceCollection services)
    {
        services.AddScoped<ImpactService>();
        return services;
    }
}

/// One counted exchange with its parties and its computed impact.
public sealed record ImpactRow(
    int ExchangeId, DateOnly Date, string? CategoryCode, string CategoryLabel, string Operation, double Quantity, QuantityUnit Unit, string? WasteCode,
    double? DistanceKm, Party Giver, Party Taker, ExchangeImpact Impact);

public sealed record Party(int Id, string Name, OrganisationKind Kind, string? Naf, string? Siret, double? Latitude, double? Longitude);

/// Sums of a set of exchanges. CO2e induced and avoided stay apart.
public sealed record ImpactTotals(
    int Exchanges, int ExchangesWithoutTonnes, double Tonnes, double TonnesDiverted,
    double Co2eTreatmentT, double Co2eTransportT, double Co2eAvoidedVirginT, double Co2eAvoidedDisposalT,
    double EurDisposalAvoided, double EurPurchasesAvoided, double VirginMaterialT, double HazardousReusedT)
{
    public double Co2eInducedT => Co2eTreatmentT + Co2eTransportT;
    public double Co2eAvoidedT => Co2eAvoidedVirginT + Co2eAvoidedDisposalT;
    public double EurosSaved => EurDisposalAvoided + EurPurchasesAvoided;

    public static ImpactTotals Of(IEnumerable<ImpactRow> rows)
    {
        var list = rows as IReadOnlyCollection<ImpactRow> ?? [.. rows];
        return new ImpactTotals(
            list.Count,
            list.Count(r => r.Impact.Tonnes is null),
            list.Sum(r => r.Impact.Tonnes ?? 0),
            list.Sum(r => r.Impact.TonnesDiverted),
            list.Sum(r => r.Impact.Co2eTreatmentKg) / 1000,
            list.Sum(r => r.Impact.Co2eTransportKg) / 1000,
            list.Sum(r => r.Impact.Co2eAvoidedVirginKg) / 1000,
            list.Sum(r => r.Impact.Co2eAvoidedDisposalKg) / 1000,
            list.Sum(r => r.Impact.EurDisposalAvoided),
            list.Sum(r => r.Impact.EurPurchasesAvoided),
            list.Sum(r => r.Impact.VirginMaterialTonnes),
            list.Sum(r => r.Impact.HazardousReusedTonnes));
    }
}

public sealed record ImpactGroup(string Key, string Label, ImpactTotals Totals);

public sealed record ImpactQuery(TerritorySummary Territory, DateOnly? From, DateOnly? To, int? OrganisationId);

/// Factors, densities and the per-exchange impacts: seeded from Data/Reference, computed lazily, summed here.
public sealed class ImpactService(AppDbContext db, TimeProvider time, ILogger<ImpactService> logger)
{
    private static string Reference(string file) => Path.Combine(AppContext.BaseDirectory, "Data", "Reference", file);

    public static readonly DateOnly SeedValidFrom = new(2025, 1, 1);

    /// Seeds version 1 of every factor and density once per database.
    public async Task SeedFactorsAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (!await db.Set<ImpactFactor>().AnyAsync(ct))
        {
            var emission = new Dictionary<string, (double Value, string Unit, string Source)>(StringComparer.Ordinal);
            using (var reader = Sep.Reader(o => o with { Unescape = true }).FromFile(Reference("emission_factors.csv")))
            {
                foreach (var row in reader)
                {
                    emission[row["material_or_process"].ToString()] = (row["factor"].Parse<double>(), row["unit"].ToString(),
                        $"{row["source"]} ; ligne « {row["material_or_process"]} » ({row["source_ref"]}) ; {row["notes"]}");
                }
            }

            using var map = Sep.Reader(o => o with { Unescape = true }).FromFile(Reference("impact_factors.csv"));
            foreach (var row in map)
            {
                var name = row["emission_factors_row"].ToString();
                double value;
                string unit, source;
                if (name.Length > 0)
                {
                    var e = emission[name];
                    // The team's file mixes kg/kg (ADEME) and kg/t (DESNZ); Boucle stores per tonne.
                    (value, unit) = e.Unit switch
                    {
                        "kgCO2e/kg" => (e.Value * 1000, "kg CO2e/t"),
                        "kgCO2e/t" => (e.Value, "kg CO2e/t"),
                        "kgCO2e/t.km" => (e.Value, "kg CO2e/t.km"),
                        _ => throw new InvalidOperationException($"Unité inattendue {e.Unit} pour {name}."),
                    };
                    source = e.Unit == "kgCO2e/kg" ? $"{e.Source} (valeur d'origine {e.Value.ToString(CultureInfo.InvariantCulture)} kg CO2e/kg × 1 000)" : e.Source;
                }
                else
                {
                    value = row["value"].Parse<double>();
                    unit = row["unit"].ToString();
                    source = row["source"].ToString();
                }

                db.Set<ImpactFactor>().Add(new ImpactFactor
                {
                    Key = row["key"].ToString(),
                    Label = row["label_fr"].ToString(),
                    Value = Math.Round(value, 5),
                    Unit = unit,
                    Source = source.Length > 1000 ? source[..1000] : source,
                    Version = 1,
                    ValidFrom = SeedValidFrom,
                    CreatedAt = now,
                });
            }

            await db.SaveChangesAsync(ct);
        }

        if (!await db.Set<DensityFactor>().AnyAsync(ct))
        {
            using var reader = Sep.Reader(o => o with { Unescape = true }).FromFile(Reference("densities.csv"));
            foreach (var row in reader)
            {
                db.Set<DensityFactor>().Add(new DensityFactor
                {
                    CategoryCode = row["category_code"].ToString(),
                    Unit = Enum.Parse<QuantityUnit>(row["unit"].ToString()),
                    TonnesPerUnit = row["tonnes_per_unit"].Parse<double>(),
                    Source = row["source"].ToString(),
                    Version = 1,
                    ValidFrom = SeedValidFrom,
                    CreatedAt = now,
                });
            }

            await db.SaveChangesAsync(ct);
        }
    }

    public async Task<FactorSet> CurrentFactorsAsync(CancellationToken ct)
    {
        var factors = await db.Set<ImpactFactor>().AsNoTracking().ToListAsync(ct);
        var densities = await db.Set<DensityFactor>().AsNoTracking().ToListAsync(ct);
        return new FactorSet(
            factors.GroupBy(f => f.Key).ToDictionary(g => g.Key, g => g.MaxBy(f => f.Version)!, StringComparer.Ordinal),
            densities.GroupBy(d => (d.CategoryCode, d.Unit)).ToDictionary(g => g.Key, g => g.MaxBy(d => d.Version)!));
    }

    /// Computes the impact of every counted exchange that has none yet. Idempotent; two requests racing
    /// insert the same primary key, and the loser simply finds the rows there.
    public async Task EnsureComputedAsync(CancellationToken ct)
    {
        var missing = await db.Exchanges.AsNoTracking().Where(Exchange.Counts)
            .Where(x => !db.Set<ExchangeImpact>().Any(i => i.ExchangeId == x.Id))
            .ToListAsync(ct);
        if (missing.Count == 0)
        {
            return;
        }

        await SeedFactorsAsync(ct);
        var factors = await CurrentFactorsAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var x in missing)
        {
            db.Set<ExchangeImpact>().Add(ImpactCalculator.Compute(x, factors, now));
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e)
        {
            logger.LogInformation(e, "Impacts déjà calculés par une autre requête.");
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// The territory named by id or slug; null when none matches.
    public Task<TerritorySummary?> TerritoryAsync(string idOrSlug, CancellationToken ct)
    {
        if (!TerritoryQueries.CanBeSlug(idOrSlug))
        {
            return Task.FromResult<TerritorySummary?>(null);
        }

        var byId = int.TryParse(idOrSlug, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1;
        return db.Territories.AsNoTracking().Where(t => t.Id == byId || t.Slug == idOrSlug)
            .Select(t => new TerritorySummary(t.Id, t.Slug, t.Name, t.CenterLatitude, t.CenterLongitude, t.DefaultRadiusKm))
            .FirstOrDefaultAsync(ct);
    }

    /// Counted exchanges of a territory (and optionally of one organisation, as giver or taker) in a period, with their impact.
    public async Task<IReadOnlyList<ImpactRow>> RowsAsync(ImpactQuery q, CancellationToken ct)
    {
        await EnsureComputedAsync(ct);
        var exchanges = db.Exchanges.AsNoTracking().Where(Exchange.Counts).Where(x => x.TerritoryId == q.Territory.Id);
        if (q.From is { } from)
        {
            exchanges = exchanges.Where(x => x.Date >= from);
        }

        if (q.To is { } to)
        {
            exchanges = exchanges.Where(x => x.Date <= to);
        }

        if (q.OrganisationId is { } org)
        {
            exchanges = exchanges.Where(x => x.GiverOrganisationId == org || x.TakerOrganisationId == org);
        }

        var list = await (from x in exchanges
                          join i in db.Set<ExchangeImpact>() on x.Id equals i.ExchangeId
                          select new { x.Id, x.Date, x.CategoryCode, x.Operation, x.Quantity, x.Unit, x.WasteCode, x.DistanceKm, x.GiverOrganisationId, x.TakerOrganisationId, Impact = i })
            .ToListAsync(ct);
        var orgIds = list.SelectMany(r => new[] { r.GiverOrganisationId, r.TakerOrganisationId }).Distinct().ToList();
        var parties = await db.Organisations.AsNoTracking().Where(o => orgIds.Contains(o.Id))
            .Select(o => new Party(o.Id, o.Name, o.Kind, o.NafCode, o.Siret, o.Latitude, o.Longitude)).ToDictionaryAsync(p => p.Id, ct);
        var labels = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Code, c => c.LabelFr, ct);
        return [.. list.OrderBy(r => r.Date).ThenBy(r => r.Id).Select(r => new ImpactRow(
            r.Id, r.Date, r.CategoryCode, r.CategoryCode is null ? "Sans catégorie" : labels.GetValueOrDefault(r.CategoryCode, r.CategoryCode), r.Operation,
            r.Quantity, r.Unit, r.WasteCode, r.DistanceKm, parties[r.GiverOrganisationId], parties[r.TakerOrganisationId], r.Impact))];
    }

    public static IReadOnlyList<ImpactGroup> ByCategory(IEnumerable<ImpactRow> rows) =>
        [.. rows.GroupBy(r => (r.CategoryCode ?? "", r.CategoryLabel)).Select(g => new ImpactGroup(g.Key.Item1, g.Key.CategoryLabel, ImpactTotals.Of(g)))
            .OrderByDescending(g => g.Totals.Tonnes).ThenBy(g => g.Label, StringComparer.Ordinal)];

    public static IReadOnlyList<ImpactGroup> ByOperation(IEnumerable<ImpactRow> rows) =>
        [.. rows.GroupBy(r => ImpactCalculator.OperationLabel(r.Operation)).Select(g => new ImpactGroup(g.Key, g.Key, ImpactTotals.Of(g)))
            .OrderByDescending(g => g.Totals.Tonnes).ThenBy(g => g.Label, StringComparer.Ordinal)];

    public static IReadOnlyList<ImpactGroup> ByMonth(IEnumerable<ImpactRow> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            return [];
        }

        // Every month of the span appears, empty ones too, so the time series has no gaps.
        var groups = list.ToLookup(r => new DateOnly(r.Date.Year, r.Date.Month, 1));
        var result = new List<ImpactGroup>();
        for (var m = groups.Min(g => g.Key); m <= groups.Max(g => g.Key); m = m.AddMonths(1))
        {
            var key = m.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            result.Add(new ImpactGroup(key, m.ToString("MMM yyyy", CultureInfo.GetCultureInfo("fr-FR")), ImpactTotals.Of(groups[m])));
        }

        return result;
    }

    /// Each organisation's exchanges as giver or taker: an exchange counts for both parties, so these rows do not add up to the total.
    public static IReadOnlyList<ImpactGroup> ByOrganisation(IEnumerable<ImpactRow> rows)
    {
        var list = rows.ToList();
        return [.. list.SelectMany(r => new[] { r.Giver, r.Taker }).DistinctBy(p => p.Id)
            .Select(p => new ImpactGroup(p.Id.ToString(CultureInfo.InvariantCulture), p.Name, ImpactTotals.Of(list.Where(r => r.Giver.Id == p.Id || r.Taker.Id == p.Id))))
            .OrderByDescending(g => g.Totals.Tonnes).ThenBy(g => g.Label, StringComparer.Ordinal)];
    }

    /// Tonnes flowing from one kind of organisation to another (givers on the left, takers on the right).
    public static IReadOnlyList<(string From, string To, double Tonnes, int Exchanges)> FlowsByKind(IEnumerable<ImpactRow> rows) =>
        [.. rows.GroupBy(r => (OrganisationLabels.Fr(r.Giver.Kind), OrganisationLabels.Fr(r.Taker.Kind)))
            .Select(g => (g.Key.Item1, g.Key.Item2, g.Sum(r => r.Impact.Tonnes ?? 0), g.Count()))
            .OrderByDescending(f => f.Item3)];

    /// The three families funders ask about, from the organisation kind and, for canteens and others, the SIREN:
    /// legal persons under public law have a SIREN starting with 1 or 2.
    public static string Sector(Party p) => p.Kind switch
    {
        OrganisationKind.PublicBody => "Public",
        OrganisationKind.Association => "Économie sociale et solidaire",
        _ when p.Siret is { Length: > 0 } s && (s[0] == '1' || s[0] == '2') => "Public",
        _ => "Privé",
    };
}
