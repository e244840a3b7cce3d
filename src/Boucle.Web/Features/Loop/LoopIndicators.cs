using Boucle.Web.Data;
using Boucle.Web.Features.Exchanges;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Loop;

public sealed record StageFigures(double? TotalKg, double? EdibleKg, double? InedibleKg, bool InedibleEstimated, double? GramsPerMeal);

public sealed record CampaignFigures(
    int Id, DateOnly Start, DateOnly End, int Meals, double TotalKg, double GramsPerMeal,
    StageFigures Preparation, StageFigures Unserved, StageFigures Leftovers);

/// EGalim shares as ma-cantine computes them (api/views/purchase.py, simple_diag_data and misc_totals):
/// a purchase counts once, under its best label, in the order organic, SIQO (Label Rouge, AOC/AOP,
/// IGP, STG), other EGalim labels, then externalities/performance.
public sealed record EgalimFigures(
    int Year, decimal TotalHt, decimal BioHt, decimal SiqoHt, decimal OtherEgalimHt, decimal ExternalitiesHt,
    decimal MeatHt, decimal MeatEgalimHt, decimal FishHt, decimal FishEgalimHt)
{
    public decimal EgalimHt => BioHt + SiqoHt + OtherEgalimHt + ExternalitiesHt;

    public double? BioShare => Share(BioHt, TotalHt);

    public double? EgalimShare => Share(EgalimHt, TotalHt);

    public double? MeatEgalimShare => Share(MeatEgalimHt, MeatHt);

    public double? FishEgalimShare => Share(FishEgalimHt, FishHt);

    private static double? Share(decimal part, decimal total) => total > 0 ? (double)(part / total) : null;
}

public enum ObligationState
{
    Done,
    Missing,
    NotRequired,
}

public sealed record Obligation(string Label, ObligationState State, string Detail);

public sealed record CanteenFigures(
    CanteenProfile Profile,
    double ReferenceGramsPerMeal,
    IReadOnlyList<CampaignFigures> Campaigns,
    double? ChangeSinceFirst,
    double? TargetGramsPerMeal,
    double? AnnualEstimateT,
    EgalimFigures? Egalim,
    IReadOnlyList<Obligation> Obligations);

public sealed record LoopNode(string Id, string Name, string Column);

public sealed record LoopLink(string Source, string Target, double Tonnes, string Kind);

public sealed record LoopFigures(
    int Canteens, long Meals, double? WasteGramsPerMeal, double BiowasteT, double ReturnedToSoilT, double CompostToFarmsT,
    double? BiowasteToSoil, double? CompostToSupplyingFarms, double? PurchasesFromLoopFarmsEur, double? PurchasesFromLoopFarmsKg,
    IReadOnlyList<LoopNode> Nodes, IReadOnlyList<LoopLink> Links);

public sealed class LoopIndicators(AppDbContext db, TimeProvider time)
{
    /// ADEME 2024, food waste in French collective catering, grams per cover and meal (PRODUCT.md).
    public static double SectorReference(CanteenSector s) => s switch
    {
        CanteenSector.School => 100,
        CanteenSector.Health => 120,
        CanteenSector.Company => 95,
        _ => 100,
    };

    /// ADEME 2024: 5 % preparation, 34 % prepared but not served, 60 % plate leftovers.
    public static (double Preparation, double Unserved, double Leftovers) StageReference(CanteenSector s)
    {
        var r = SectorReference(s);
        return (r * 0.05, r * 0.34, r * 0.60);
    }

    /// The French law's target: halve food waste (against the first measurement).
    public const double ReductionTarget = 0.5;

    /// EGalim: donation agreement above 3,000 meals a day.
    public const int DonationThresholdMealsPerDay = 3000;

    public static StageFigures Stage(double? total, double? edible, double? inedible, int meals)
    {
        total ??= edible is not null && inedible is not null ? edible + inedible : null;
        double? g = total is null || meals <= 0 ? null : total * 1000 / meals;
        if (total is null)
        {
            return new(null, edible, inedible, false, g);
        }

        if (edible is not null || inedible is not null)
        {
            return new(total, edible ?? total - inedible, inedible ?? total - edible, false, g);
        }

        return new(total, total * (1 - LoopWriter.DefaultInedibleShare), total * LoopWriter.DefaultInedibleShare, true, g);
    }

    public static CampaignFigures Campaign(WasteMeasurement m)
    {
        var prep = Stage(m.PreparationTotalKg, m.PreparationEdibleKg, m.PreparationInedibleKg, m.MealCount);
        var unserved = Stage(m.UnservedTotalKg, m.UnservedEdibleKg, m.UnservedInedibleKg, m.MealCount);
        var left = Stage(m.LeftoversTotalKg, m.LeftoversEdibleKg, m.LeftoversInedibleKg, m.MealCount);
        var total = m.TotalMassKg ?? ((prep.TotalKg ?? 0) + (unserved.TotalKg ?? 0) + (left.TotalKg ?? 0));
        return new(m.Id, m.PeriodStart, m.PeriodEnd, m.MealCount, total, m.MealCount > 0 ? total * 1000 / m.MealCount : 0, prep, unserved, left);
    }

    public static EgalimFigures Egalim(int year, IEnumerable<CanteenPurchase> purchases)
    {
        string[] siqo = ["LABEL_ROUGE", "AOCAOP", "IGP", "STG"];
        string[] others = ["HVE", "PECHE_DURABLE", "RUP", "FERMIER", "COMMERCE_EQUITABLE"];
        string[] externalities = ["EXTERNALITES", "PERFORMANCE"];
        decimal total = 0, bio = 0, siqoHt = 0, otherHt = 0, extHt = 0, meat = 0, meatEgalim = 0, fish = 0, fishEgalim = 0;
        foreach (var p in purchases.Where(p => p.Date.Year == year))
        {
            var labels = p.Labels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            total += p.PriceHt;
            if (labels.Contains("BIO"))
            {
                bio += p.PriceHt;
            }
            else if (labels.Any(siqo.Contains))
            {
                siqoHt += p.PriceHt;
            }
            else if (labels.Any(others.Contains))
            {
                otherHt += p.PriceHt;
            }
            else if (labels.Any(externalities.Contains))
            {
                extHt += p.PriceHt;
            }

            var egalim = labels.Any(LoopWriter.EgalimLabels.Contains);
            if (p.Family == ProductFamily.VIANDES_VOLAILLES)
            {
                meat += p.PriceHt;
                meatEgalim += egalim ? p.PriceHt : 0;
            }
            else if (p.Family == ProductFamily.PRODUITS_DE_LA_MER)
            {
                fish += p.PriceHt;
                fishEgalim += egalim ? p.PriceHt : 0;
            }
        }

        return new(year, total, bio, siqoHt, otherHt, extHt, meat, meatEgalim, fish, fishEgalim);
    }

    public async Task<CanteenFigures?> CanteenAsync(int organisationId, int? year, CancellationToken ct)
    {
        var profile = await db.Set<CanteenProfile>().AsNoTracking().SingleOrDefaultAsync(p => p.OrganisationId == organisationId, ct);
        if (profile is null)
        {
            return null;
        }

        var campaigns = (await db.Set<WasteMeasurement>().AsNoTracking().Where(m => m.CanteenOrganisationId == organisationId).ToListAsync(ct))
            .OrderBy(m => m.PeriodStart).Select(Campaign).ToList();
        var purchases = await db.Set<CanteenPurchase>().AsNoTracking().Where(p => p.CanteenOrganisationId == organisationId).ToListAsync(ct);
        var purchaseYear = year ?? (purchases.Count > 0 ? purchases.Max(p => p.Date.Year) : null);
        var first = campaigns.FirstOrDefault();
        var last = campaigns.LastOrDefault();
        double? change = first is not null && last is not null && campaigns.Count > 1 && first.GramsPerMeal > 0 ? (last.GramsPerMeal / first.GramsPerMeal) - 1 : null;
        double? annual = last is null ? null : last.GramsPerMeal * profile.MealsPerYear / 1_000_000;
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var transfersThisYear = await db.Set<BiowasteTransfer>().AsNoTracking()
            .AnyAsync(t => t.FromOrganisationId == organisationId && t.Date > today.AddYears(-1), ct);

        var obligations = new List<Obligation>
        {
            profile.DiagnosisDate is { } d
                ? new("Diagnostic anti-gaspillage", ObligationState.Done, $"réalisé le {d:dd/MM/yyyy}")
                : campaigns.Count > 0
                    ? new("Diagnostic anti-gaspillage", ObligationState.Missing, "des pesées existent : consignez la date du diagnostic")
                    : new("Diagnostic anti-gaspillage", ObligationState.Missing, "aucune pesée ni diagnostic enregistré"),
            new("Plan d'action contre le gaspillage", profile.HasActionPlan ? ObligationState.Done : ObligationState.Missing, profile.HasActionPlan ? "en place" : "à établir après le diagnostic"),
            profile.MealsPerDay > DonationThresholdMealsPerDay
                ? new("Convention de don alimentaire", profile.HasDonationAgreement ? ObligationState.Done : ObligationState.Missing, $"obligatoire au-delà de {DonationThresholdMealsPerDay:N0} repas par jour ({profile.MealsPerDay:N0})")
                : new("Convention de don alimentaire", ObligationState.NotRequired, $"non obligatoire à {profile.MealsPerDay:N0} repas par jour (seuil : {DonationThresholdMealsPerDay:N0})"),
            new("Tri à la source des biodéchets", profile.SortsBiowaste || transfersThisYear ? ObligationState.Done : ObligationState.Missing,
                transfersThisYear ? "des transferts de biodéchets sont enregistrés sur les douze derniers mois" : profile.SortsBiowaste ? "déclaré" : "obligatoire depuis le 1er janvier 2024"),
            new("Déclaration annuelle sur ma cantine", profile.LastDeclaredYear >= today.Year - 1 ? ObligationState.Done : ObligationState.Missing,
                profile.LastDeclaredYear is { } y ? $"dernière année déclarée : {y}" : $"déclarez les achats {today.Year - 1}"),
        };

        return new(profile, SectorReference(profile.Sector), campaigns, change,
            first is null ? null : first.GramsPerMeal * (1 - ReductionTarget), annual,
            purchaseYear is { } py ? Egalim(py, purchases) : null, obligations);
    }

    /// The territory's loop. Transfers count under the exchanges' rule; treatment outputs and
    /// measurements count when their period overlaps [from, to]. See README.md for the arithmetic.
    public async Task<LoopFigures> TerritoryAsync(int territoryId, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var start = from ?? DateOnly.MinValue;
        var end = to ?? DateOnly.MaxValue;
        var orgs = await db.Organisations.AsNoTracking().Where(o => o.TerritoryId == territoryId)
            .Select(o => new { o.Id, o.Name, o.Kind }).ToDictionaryAsync(o => o.Id, ct);
        var orgIds = orgs.Keys.ToList();
        var canteenIds = await db.Set<CanteenProfile>().AsNoTracking().Where(p => orgIds.Contains(p.OrganisationId))
            .Select(p => p.OrganisationId).ToListAsync(ct);
        var canteens = canteenIds.ToHashSet();
        var measurements = await db.Set<WasteMeasurement>().AsNoTracking()
            .Where(m => canteenIds.Contains(m.CanteenOrganisationId) && m.PeriodStart <= end && m.PeriodEnd >= start).ToListAsync(ct);
        var counted = db.Exchanges.Where(Exchange.Counts).Select(e => e.Id);
        var transfers = await db.Set<BiowasteTransfer>().AsNoTracking()
            .Where(t => t.TerritoryId == territoryId && t.Date >= start && t.Date <= end && t.ExchangeId != null && counted.Contains(t.ExchangeId.Value))
            .Select(t => new { t.FromOrganisationId, t.ToOrganisationId, t.MassKg }).ToListAsync(ct);
        var siteIds = transfers.Where(t => canteens.Contains(t.FromOrganisationId)).Select(t => t.ToOrganisationId).Distinct().ToList();
        var outputs = await db.Set<TreatmentOutput>().AsNoTracking()
            .Where(o => siteIds.Contains(o.SiteOrganisationId) && o.PeriodStart <= end && o.PeriodEnd >= start)
            .Select(o => new { o.SiteOrganisationId, o.InputT, o.OutputT }).ToListAsync(ct);
        var deliveries = await db.Set<FarmDelivery>().AsNoTracking()
            .Where(d => siteIds.Contains(d.FromOrganisationId) && d.Date >= start && d.Date <= end && orgIds.Contains(d.ToOrganisationId))
            .Select(d => new { d.FromOrganisationId, d.ToOrganisationId, d.MassT }).ToListAsync(ct);
        var purchases = await db.Set<CanteenPurchase>().AsNoTracking()
            .Where(p => canteenIds.Contains(p.CanteenOrganisationId) && p.Date >= start && p.Date <= end)
            .Select(p => new { p.CanteenOrganisationId, p.SupplierOrganisationId, p.Family, p.PriceHt, p.QuantityKg }).ToListAsync(ct);

        var meals = measurements.Sum(m => (long)m.MealCount);
        var wasteKg = measurements.Select(Campaign).Sum(c => c.TotalKg);
        var canteenTransfers = transfers.Where(t => canteens.Contains(t.FromOrganisationId)).ToList();
        var biowasteT = canteenTransfers.Sum(t => t.MassKg) / 1000;
        var supplyingFarms = purchases.Where(p => p.SupplierOrganisationId is not null).Select(p => p.SupplierOrganisationId!.Value).ToHashSet();

        double returned = 0, compostToFarms = 0, compostToSupplying = 0;
        var siteShares = new Dictionary<int, double>();
        foreach (var site in siteIds)
        {
            var canteenIn = canteenTransfers.Where(t => t.ToOrganisationId == site).Sum(t => t.MassKg) / 1000;
            var allIn = transfers.Where(t => t.ToOrganisationId == site).Sum(t => t.MassKg) / 1000;
            var recordedIn = outputs.Where(o => o.SiteOrganisationId == site).Sum(o => o.InputT);
            var totalIn = Math.Max(allIn, recordedIn);
            var produced = outputs.Where(o => o.SiteOrganisationId == site).Sum(o => o.OutputT);
            var delivered = deliveries.Where(d => d.FromOrganisationId == site).Sum(d => d.MassT);
            var toSupplying = deliveries.Where(d => d.FromOrganisationId == site && supplyingFarms.Contains(d.ToOrganisationId)).Sum(d => d.MassT);
            // The canteens' part of what the site received is their part of what it produced and delivered.
            var share = totalIn > 0 ? canteenIn / totalIn : 0;
            siteShares[site] = share;
            var spreadFraction = produced > 0 ? Math.Min(1, delivered / produced) : 0;
            returned += canteenIn * spreadFraction;
            compostToFarms += delivered * share;
            compostToSupplying += toSupplying * share;
        }

        var loopFarms = deliveries.Select(d => d.ToOrganisationId).ToHashSet();
        var fruitVeg = purchases.Where(p => p.Family == ProductFamily.FRUITS_ET_LEGUMES).ToList();
        var fvEur = fruitVeg.Sum(p => p.PriceHt);
        var fvLoopEur = fruitVeg.Where(p => p.SupplierOrganisationId is { } s && loopFarms.Contains(s)).Sum(p => p.PriceHt);
        var fvKg = fruitVeg.Where(p => p.QuantityKg is not null).Sum(p => p.QuantityKg!.Value);
        var fvLoopKg = fruitVeg.Where(p => p.QuantityKg is not null && p.SupplierOrganisationId is { } s && loopFarms.Contains(s)).Sum(p => p.QuantityKg!.Value);

        // Sankey: canteens → sites → farms → canteens (their purchases from those farms, in tonnes).
        var nodes = new List<LoopNode>();
        var links = new List<LoopLink>();
        string Name(int id) => orgs.TryGetValue(id, out var o) ? o.Name : $"#{id}";
        foreach (var c in canteenTransfers.Select(t => t.FromOrganisationId).Distinct().OrderBy(Name))
        {
            nodes.Add(new($"c{c}", Name(c), "Cantines"));
        }

        foreach (var s in siteIds.OrderBy(Name))
        {
            nodes.Add(new($"s{s}", Name(s), "Sites de traitement"));
        }

        foreach (var f in loopFarms.OrderBy(Name))
        {
            nodes.Add(new($"f{f}", Name(f), "Fermes"));
        }

        foreach (var g in canteenTransfers.GroupBy(t => (t.FromOrganisationId, t.ToOrganisationId)).OrderBy(g => Name(g.Key.FromOrganisationId)).ThenBy(g => Name(g.Key.ToOrganisationId)))
        {
            links.Add(new($"c{g.Key.FromOrganisationId}", $"s{g.Key.ToOrganisationId}", Math.Round(g.Sum(t => t.MassKg) / 1000, 3), "Biodéchets"));
        }

        foreach (var g in deliveries.GroupBy(d => (d.FromOrganisationId, d.ToOrganisationId)).OrderBy(g => Name(g.Key.FromOrganisationId)).ThenBy(g => Name(g.Key.ToOrganisationId)))
        {
            links.Add(new($"s{g.Key.FromOrganisationId}", $"f{g.Key.ToOrganisationId}", Math.Round(g.Sum(d => d.MassT) * siteShares[g.Key.FromOrganisationId], 3), "Compost et digestat (part des cantines)"));
        }

        var buyers = purchases.Where(p => p.SupplierOrganisationId is { } s && loopFarms.Contains(s) && p.QuantityKg is > 0)
            .GroupBy(p => (Farm: p.SupplierOrganisationId!.Value, p.CanteenOrganisationId)).ToList();
        foreach (var c in buyers.Select(g => g.Key.CanteenOrganisationId).Distinct().OrderBy(Name))
        {
            nodes.Add(new($"a{c}", Name(c) + " (achats)", "Cantines (achats)"));
        }

        foreach (var g in buyers.OrderBy(g => Name(g.Key.Farm)).ThenBy(g => Name(g.Key.CanteenOrganisationId)))
        {
            links.Add(new($"f{g.Key.Farm}", $"a{g.Key.CanteenOrganisationId}", Math.Round(g.Sum(p => p.QuantityKg!.Value) / 1000, 3), "Denrées achetées"));
        }

        static double? Share(double part, double total) => total > 0 ? Math.Clamp(part / total, 0, 1) : null;
        return new(canteens.Count, meals, meals > 0 ? wasteKg * 1000 / meals : null, biowasteT, returned, compostToFarms,
            Share(returned, biowasteT), Share(compostToSupplying, compostToFarms),
            fvEur > 0 ? Math.Clamp((double)(fvLoopEur / fvEur), 0, 1) : null, Share(fvLoopKg, fvKg), nodes, links);
    }
}
