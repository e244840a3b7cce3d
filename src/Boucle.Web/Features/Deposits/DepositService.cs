using System.Globalization;
using Boucle.Matching.Knowledge;
using Boucle.Web.Data;
using Boucle.Web.Features.Exchanges;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Reference;
using Boucle.Web.Features.Synergies;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Deposits;

/// An organisation already doing an activity that could use a deposit.
public sealed record NearbyActivity(string Name, string NafCode, string NafLabel, string? Commune, double DistanceKm);

/// One amount per measure: tonnes, cubic metres, or the listings' own unit (pallets, pieces...).
public sealed record Amount(string Unit, double PerYear);

/// Unmatched offers (or unmet needs) of one category across a territory.
public sealed record DepositGroup(
    ListingType Type,
    string CategoryCode,
    string CategoryLabel,
    IReadOnlyList<Amount> Amounts,
    int Organisations,
    int Listings,
    int WithoutQuantity,
    double RadiusKm,
    int OldestDays,
    double CenterLatitude,
    double CenterLongitude,
    IReadOnlyList<string> Pathways,
    IReadOnlyList<NearbyActivity> Nearby)
{
    public double Tonnes => Amounts.Where(a => a.Unit == "t").Sum(a => a.PerYear);

    public string AmountText => Amounts.Count == 0 ? "quantité non précisée" : string.Join(" + ", Amounts.Select(a => DepositService.Number(a.PerYear) + " " + a.Unit + "/an"));

    /// "120 t/an de palettes issues de 14 structures dans un rayon de 20 km, sans preneur".
    public string Phrase
    {
        get
        {
            var structures = Organisations == 1 ? "1 structure" : $"{Organisations} structures";
            var where = RadiusKm < 1 ? "en un même lieu" : $"dans un rayon de {RadiusKm.ToString("0", CultureInfo.InvariantCulture)} km";
            var what = Amounts.Count == 0 ? CategoryLabel + " (quantité non précisée)" : AmountText + " de « " + CategoryLabel.ToLower(CultureInfo.GetCultureInfo("fr-FR")) + " »";
            return Type == ListingType.Offer
                ? $"{what} issus de {structures} {where}, sans preneur"
                : $"{what} recherchés par {structures} {where}, sans fournisseur";
        }
    }
}

/// A square of the map grid with what lies unmatched in it.
public sealed record DepositCell(double South, double West, double North, double East, ListingType Type, int Listings, int Organisations, double Tonnes);

public sealed record DepositReport(int TerritoryId, string TerritoryName, int ThresholdPercent, double ReachKm, IReadOnlyList<DepositGroup> Groups, IReadOnlyList<DepositCell> Cells);

/// Adds up the flows nobody takes. A published listing of the territory is in a deposit when:
/// it is not part of an accepted synergy nor of a recorded exchange, and the engine proposes no
/// counterpart scoring at least the threshold within the territory's reach (its default search radius);
/// see docs/decisions/0008-workshops-and-deposits.md.
public sealed class DepositService(AppDbContext db, SynergyService synergies, CategoryCatalogue catalogue, ReferenceData reference, TimeProvider time)
{
    /// Square size of the map grid, in degrees (about 11 km north–south, 8 km east–west at 45° N).
    public const double CellDegrees = 0.1;

    /// How far from a deposit's centre an organisation counts as "nearby", beyond the deposit's own radius.
    public const double NearbyKm = 50;

    /// Counterparts asked of the engine per listing before the threshold and reach filters.
    private const int Candidates = 20;

    private sealed record Row(int Id, ListingType Type, int OrganisationId, string Title, string? Description, string? CategoryCode, double? AnnualQuantity,
        QuantityUnit? Unit, double Latitude, double Longitude, DateTime? PublishedAt, DateTime CreatedAt);

    public async Task<DepositReport?> ComputeAsync(int territoryId, int thresholdPercent, CancellationToken ct)
    {
        var territory = await db.Territories.AsNoTracking().Where(t => t.Id == territoryId).Select(t => new { t.Name, t.DefaultRadiusKm }).SingleOrDefaultAsync(ct);
        if (territory is null)
        {
            return null;
        }

        var threshold = thresholdPercent / 100.0;
        var rows = await db.Listings.AsNoTracking()
            .Where(l => l.TerritoryId == territoryId && l.Status == ListingStatus.Published && !l.Organisation!.Suspended)
            .OrderBy(l => l.Id)
            .Select(l => new Row(l.Id, l.Type, l.OrganisationId, l.Title, l.Description, l.CategoryCode, l.AnnualQuantity, l.Unit, l.Latitude, l.Longitude, l.PublishedAt, l.CreatedAt))
            .ToListAsync(ct);
        var accepted = await db.Set<SynergyDecision>().AsNoTracking().Where(d => d.Status == DecisionStatus.Accepted)
            .Select(d => new[] { d.OfferListingId, d.NeedListingId }).ToListAsync(ct);
        var exchanged = await db.Set<Exchange>().AsNoTracking().Where(Exchange.Counts)
            .Select(x => new[] { x.OfferListingId, x.NeedListingId }).ToListAsync(ct);
        var taken = accepted.SelectMany(a => a).Concat(exchanged.SelectMany(x => x).OfType<int>()).ToHashSet();

        var unmatched = new List<Row>();
        foreach (var row in rows.Where(r => !taken.Contains(r.Id)))
        {
            var matches = await synergies.MatchesForAsync(db, row.Id, Candidates, ct);
            if (!matches.Any(m => m.Score >= threshold && (m.DistanceKm is null || m.DistanceKm <= territory.DefaultRadiusKm)))
            {
                unmatched.Add(row);
            }
        }

        var labels = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Code, c => c.LabelFr, ct);
        var taxonomy = Taxonomy.Default.WithPathways(await db.Set<CustomPathway>().AsNoTracking()
            .Select(p => new ValorisationPathway(p.FromCategory, p.ToCategory, p.Operation, p.Rank, p.LabelFr, p.Source)).ToListAsync(ct));
        var now = time.GetUtcNow().UtcDateTime;
        var organisationsWithActivity = await db.Organisations.AsNoTracking()
            .Where(o => !o.Suspended && o.NafCode != null && o.Latitude != null && o.Longitude != null)
            .Select(o => new { o.Id, o.Name, o.NafCode, o.CommuneName, o.Latitude, o.Longitude }).ToListAsync(ct);

        var groups = new List<DepositGroup>();
        foreach (var g in unmatched.GroupBy(r => (r.Type, Category: r.CategoryCode ?? catalogue.Suggest(r.Title, r.Description)?.Code ?? "")))
        {
            var list = g.ToList();
            var lat = list.Average(r => r.Latitude);
            var lon = list.Average(r => r.Longitude);
            var radius = list.Max(r => Geo.DistanceKm(lat, lon, r.Latitude, r.Longitude));
            var amounts = list.Where(r => r.AnnualQuantity is not null && r.Unit is not null)
                .Select(r => Measure(r.AnnualQuantity!.Value, r.Unit!.Value))
                .GroupBy(a => a.Unit).Select(a => new Amount(a.Key, a.Sum(x => x.PerYear)))
                .OrderByDescending(a => a.Unit == "t").ThenBy(a => a.Unit, StringComparer.Ordinal).ToList();
            var pathways = Pathways(taxonomy, g.Key.Type, g.Key.Category);
            var organisations = list.Select(r => r.OrganisationId).ToHashSet();
            var naf = g.Key.Type == ListingType.Offer
                ? pathways.SelectMany(p => PathwayActivities.For(p.To)).ToHashSet(StringComparer.Ordinal)
                : [];
            var nearby = organisationsWithActivity
                .Where(o => naf.Contains(o.NafCode!) && !organisations.Contains(o.Id))
                .Select(o => new NearbyActivity(o.Name, o.NafCode!, reference.Naf(o.NafCode)?.Label ?? o.NafCode!, o.CommuneName, Geo.DistanceKm(lat, lon, o.Latitude!.Value, o.Longitude!.Value)))
                .Where(o => o.DistanceKm <= radius + NearbyKm)
                .OrderBy(o => o.DistanceKm).ThenBy(o => o.Name, StringComparer.Ordinal).Take(8).ToList();
            groups.Add(new DepositGroup(g.Key.Type, g.Key.Category, labels.GetValueOrDefault(g.Key.Category) ?? "Non classé", amounts, organisations.Count, list.Count,
                list.Count(r => r.AnnualQuantity is null || r.Unit is null), Math.Ceiling(radius), (int)Math.Floor((now - list.Min(r => r.PublishedAt ?? r.CreatedAt)).TotalDays),
                lat, lon, [.. pathways.Select(p => p.Fr).Distinct()], nearby));
        }

        var cells = unmatched.GroupBy(r => (r.Type, Lat: CellIndex(r.Latitude), Lon: CellIndex(r.Longitude)))
            .Select(c => new DepositCell(c.Key.Lat * CellDegrees, c.Key.Lon * CellDegrees, (c.Key.Lat + 1) * CellDegrees, (c.Key.Lon + 1) * CellDegrees, c.Key.Type,
                c.Count(), c.Select(r => r.OrganisationId).Distinct().Count(),
                c.Where(r => r.AnnualQuantity is not null && r.Unit is QuantityUnit.Kg or QuantityUnit.T).Sum(r => Measure(r.AnnualQuantity!.Value, r.Unit!.Value).PerYear)))
            .OrderBy(c => c.Type).ThenBy(c => c.South).ThenBy(c => c.West).ToList();

        // Most tonnes first, then the flows shared by the most organisations.
        var ranked = groups.OrderByDescending(g => g.Tonnes).ThenByDescending(g => g.Organisations).ThenByDescending(g => g.Listings)
            .ThenBy(g => g.Type).ThenBy(g => g.CategoryCode, StringComparer.Ordinal).ToList();
        return new DepositReport(territoryId, territory.Name, thresholdPercent, territory.DefaultRadiusKm, ranked, cells);
    }

    // 0.3 / 0.1 is 2.9999999999999996 in binary floating point: round first, so that a point on a line falls in the cell it starts.
    private static double CellIndex(double degrees) => Math.Floor(Math.Round(degrees / CellDegrees, 6));

    private static List<ValorisationPathway> Pathways(Taxonomy taxonomy, ListingType type, string category)
    {
        if (category.Length == 0)
        {
            return [];
        }

        // A pathway from "wood" serves pallets too: it applies to the category and its descendants.
        bool Covers(string pathwayCategory) => category == pathwayCategory || category.StartsWith(pathwayCategory + ".", StringComparison.Ordinal);
        return [.. taxonomy.Pathways.Where(p => type == ListingType.Offer ? Covers(p.From) : Covers(p.To)).OrderBy(p => p.Rank).ThenBy(p => p.Fr, StringComparer.Ordinal)];
    }

    /// Mass in tonnes, volume in cubic metres, anything else in its own unit.
    public static Amount Measure(double annual, QuantityUnit unit) => unit switch
    {
        QuantityUnit.Kg => new Amount("t", annual / 1000),
        QuantityUnit.T => new Amount("t", annual),
        QuantityUnit.L => new Amount("m³", annual / 1000),
        QuantityUnit.M3 => new Amount("m³", annual),
        _ => new Amount(ListingLabels.Fr(unit), annual),
    };

    public static string Number(double value) => value >= 100
        ? Math.Round(value).ToString("#,##0", CultureInfo.GetCultureInfo("fr-FR"))
        : value.ToString("0.#", CultureInfo.GetCultureInfo("fr-FR"));

    public static string Csv(DepositReport report, bool withNames)
    {
        var text = new System.Text.StringBuilder();
        text.Append(Workshops.CsvText.Line("type", "categorie", "libelle", "quantite_par_an", "structures", "annonces", "annonces_sans_quantite", "rayon_km",
            "anciennete_jours", "centre_lat", "centre_lon", "voies_de_valorisation", withNames ? "structures_proches_ayant_l_activite" : "nombre_structures_proches", "phrase"));
        foreach (var g in report.Groups)
        {
            text.Append(Workshops.CsvText.Line(g.Type == ListingType.Offer ? "offre" : "besoin", g.CategoryCode, g.CategoryLabel,
                string.Join(" + ", g.Amounts.Select(a => a.PerYear.ToString("0.###", CultureInfo.InvariantCulture) + " " + a.Unit)), g.Organisations, g.Listings,
                g.WithoutQuantity, g.RadiusKm, g.OldestDays, Math.Round(g.CenterLatitude, 2), Math.Round(g.CenterLongitude, 2), string.Join(" ; ", g.Pathways),
                withNames ? string.Join(" ; ", g.Nearby.Select(n => $"{n.Name} ({n.NafCode}, {n.DistanceKm:0} km)")) : g.Nearby.Count.ToString(CultureInfo.InvariantCulture),
                g.Phrase));
        }

        return text.ToString();
    }
}

public static class DepositServices
{
    public static IServiceCollection AddDeposits(this IServiceCollection services) => services.AddScoped<DepositService>();
}
