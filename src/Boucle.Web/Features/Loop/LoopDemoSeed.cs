using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;
using nietras.SeparatedValues;

namespace Boucle.Web.Features.Loop;

/// The demo territory's organic loop (Data/Demo/loop/*.csv): three canteens, a composting platform,
/// a digester and four farms over a year. Rows go through the same checks as the pages.
public sealed class LoopDemoSeed(AppDbContext db, LoopWriter writer, ILogger<LoopDemoSeed> logger)
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Data", "Demo", "loop");

    /// The seed acts as an administrator would: every organisation's records may be written.
    private static readonly ActorInfo Seeder = new(null, "Démo", true, [], [], null);

    public async Task SeedAsync(CancellationToken ct)
    {
        var territoryId = await db.Territories.Where(t => t.Slug == DemoSeeder.TerritorySlug).Select(t => (int?)t.Id).SingleOrDefaultAsync(ct);
        if (territoryId is null || !Directory.Exists(Folder) || await db.Set<CanteenProfile>().AnyAsync(ct))
        {
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        var orgs = await db.Organisations.Where(o => o.TerritoryId == territoryId && o.ExternalKey != null)
            .ToDictionaryAsync(o => o.ExternalKey!, StringComparer.Ordinal, ct);
        string Id(string key) => orgs[key].Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        foreach (var row in Rows("canteens.csv"))
        {
            var org = orgs[row["organisation"]];
            var p = writer.Profile(org.Id, new CanteenProfileForm
            {
                Sector = row["sector"],
                MealsPerDay = row["meals_per_day"],
                MealsPerYear = row["meals_per_year"],
                Management = row["management"],
                Production = row["production"],
                MaCantineId = row["ma_cantine_id"],
                DiagnosisDate = row["diagnosis_date"],
                HasActionPlan = FieldReader.Yes(row["action_plan"]),
                HasDonationAgreement = FieldReader.Yes(row["donation_agreement"]),
                SortsBiowaste = FieldReader.Yes(row["sorts_biowaste"]),
                LastDeclaredYear = row["last_declared_year"],
            }, null);
            Add(p, "cantine " + org.Name);
        }

        await db.SaveChangesAsync(ct);
        foreach (var row in Rows("measurements.csv"))
        {
            var form = new MeasurementForm
            {
                PeriodStart = row["period_start_date"],
                PeriodEnd = row["period_end_date"],
                MealCount = row["meal_count"],
                TotalMass = row["total_mass"],
                PreparationTotal = row["preparation_total_mass"],
                PreparationSorted = row["preparation_is_sorted"],
                PreparationEdible = row["preparation_edible_mass"],
                PreparationInedible = row["preparation_inedible_mass"],
                UnservedTotal = row["unserved_total_mass"],
                UnservedSorted = row["unserved_is_sorted"],
                UnservedEdible = row["unserved_edible_mass"],
                UnservedInedible = row["unserved_inedible_mass"],
                LeftoversTotal = row["leftovers_total_mass"],
                LeftoversSorted = row["leftovers_is_sorted"],
                LeftoversEdible = row["leftovers_edible_mass"],
                LeftoversInedible = row["leftovers_inedible_mass"],
            };
            Add(await writer.MeasurementAsync(orgs[row["organisation"]].Id, form, [], ct), "pesée " + row["period_start_date"]);
            await db.SaveChangesAsync(ct);
        }

        foreach (var row in Rows("purchases.csv"))
        {
            var form = new PurchaseForm
            {
                Date = row["date"],
                Description = row["description"],
                Supplier = row["fournisseur"],
                PriceHt = row["prix_ht"],
                Family = row["famille_produits"],
                Labels = [row["categories_egalim"]],
                Origin = row["origine"],
                ShortCircuit = FieldReader.Yes(row["est_circuit_court"]),
                Local = FieldReader.Yes(row["est_local"]),
                LocalDefinition = row["definition_local"],
                QuantityKg = row["quantite_kg"],
                SupplierOrganisationId = row["supplier_organisation"] is { Length: > 0 } s ? Id(s) : null,
            };
            Add(await writer.PurchaseAsync(orgs[row["organisation"]], form, ct), "achat " + row["description"]);
        }

        await db.SaveChangesAsync(ct);
        foreach (var row in Rows("transfers.csv"))
        {
            var parsed = await writer.TransferAsync(new TransferForm
            {
                Date = row["date"],
                FromOrganisationId = Id(row["from"]),
                ToOrganisationId = Id(row["to"]),
                MassKg = row["masse_kg"],
                Weighed = FieldReader.Yes(row["pesee"]),
                Stream = row["flux"],
                Carrier = row["transporteur"],
                TransportMode = row["mode_transport"],
            }, Seeder, null, ct);
            if (parsed.Value is not { } t)
            {
                logger.LogWarning("Transfert de démonstration ignoré ({Date}) : {Errors}", row["date"], string.Join(" ", parsed.Errors.SelectMany(e => e.Value)));
                continue;
            }

            // The demo's exchanges.csv already holds some of these transfers: link them rather than count them twice.
            var existing = await db.Exchanges.Where(e => e.GiverOrganisationId == t.FromOrganisationId && e.TakerOrganisationId == t.ToOrganisationId && e.Date == t.Date && e.SupersededById == null)
                .Select(e => (int?)e.Id).FirstOrDefaultAsync(ct);
            if (existing is not null)
            {
                t.ExchangeId = existing;
                db.Set<BiowasteTransfer>().Add(t);
                await db.SaveChangesAsync(ct);
            }
            else
            {
                await writer.SaveTransferAsync(t, null, confirmedByBoth: true, ct);
            }
        }

        foreach (var row in Rows("outputs.csv"))
        {
            Add(await writer.OutputAsync(new OutputForm
            {
                SiteOrganisationId = Id(row["site"]),
                PeriodStart = row["period_start"],
                PeriodEnd = row["period_end"],
                InputT = row["input_t"],
                Product = row["product"],
                OutputT = row["output_t"],
                Standard = row["standard"],
                AnalysisReference = row["analysis_reference"],
            }, Seeder, ct), "production " + row["site"]);
        }

        foreach (var row in Rows("deliveries.csv"))
        {
            Add(await writer.DeliveryAsync(new DeliveryForm
            {
                Date = row["date"],
                FromOrganisationId = Id(row["from"]),
                ToOrganisationId = Id(row["to"]),
                Product = row["produit"] == "digestat" ? nameof(TreatmentProduct.Digestate) : nameof(TreatmentProduct.Compost),
                MassT = row["masse_t"],
                AreaHa = row["surface_ha"],
                Crop = row["culture"],
            }, Seeder, ct), "livraison " + row["date"]);
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Boucle organique de démonstration créée.");
    }

    private void Add<T>(Parsed<T> parsed, string what)
        where T : class
    {
        if (parsed.Value is null)
        {
            logger.LogWarning("Ligne de démonstration ignorée ({What}) : {Errors}", what, string.Join(" ", parsed.Errors.SelectMany(e => e.Value)));
            return;
        }

        if (db.Entry(parsed.Value).State == EntityState.Detached)
        {
            db.Set<T>().Add(parsed.Value);
        }
    }

    private static List<Dictionary<string, string>> Rows(string file)
    {
        using var reader = Sep.Reader(o => o with { Unescape = true }).FromFile(Path.Combine(Folder, file));
        var names = reader.Header.ColNames;
        var rows = new List<Dictionary<string, string>>();
        foreach (var row in reader)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < names.Count; i++)
            {
                values[names[i]] = row[i].ToString();
            }

            rows.Add(values);
        }

        return rows;
    }
}
