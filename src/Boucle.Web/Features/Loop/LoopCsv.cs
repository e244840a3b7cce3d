using System.Globalization;
using System.Text;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Organisations;
using Microsoft.EntityFrameworkCore;
using nietras.SeparatedValues;

namespace Boucle.Web.Features.Loop;

public sealed record ImportError(int Line, string Message);

public sealed record ImportResult(int Imported, IReadOnlyList<ImportError> Errors)
{
    public bool Ok => Errors.Count == 0;
}

/// CSV import and export of loop records. A file is read whole and checked row by row; any error
/// refuses the whole file (errors listed by line), otherwise every row is written in one transaction.
public sealed class LoopCsv(AppDbContext db, LoopWriter writer)
{
    /// ma-cantine's purchase import, Table Schema data/schemas/imports/achats_siret_2026.json
    /// (github.com/betagouv/ma-cantine), in its column order; Boucle adds two optional columns.
    public static readonly string[] PurchaseColumns = ["siret", "description", "fournisseur", "date", "prix_ht", "famille_produits", "categories_egalim", "origine", "est_circuit_court", "est_local", "definition_local"];
    public static readonly string[] PurchaseExtraColumns = ["quantite_kg", "siret_fournisseur"];

    /// ma-cantine's WasteMeasurement field names (data/models/wastemeasurement.py), masses in kg.
    public static readonly string[] MeasurementColumns =
    [
        "period_start_date", "period_end_date", "meal_count", "total_mass",
        "preparation_total_mass", "preparation_is_sorted", "preparation_edible_mass", "preparation_inedible_mass",
        "unserved_total_mass", "unserved_is_sorted", "unserved_edible_mass", "unserved_inedible_mass",
        "leftovers_total_mass", "leftovers_is_sorted", "leftovers_edible_mass", "leftovers_inedible_mass",
    ];

    public static readonly string[] TransferColumns = ["date", "siret_origine", "nom_origine", "siret_destination", "nom_destination", "masse_kg", "pesee", "flux", "transporteur", "mode_transport", "distance_km"];
    public static readonly string[] DeliveryColumns = ["date", "siret_origine", "nom_origine", "siret_destination", "nom_destination", "produit", "masse_t", "surface_ha", "culture", "dose_t_ha"];

    private static readonly Dictionary<string, string> PurchaseFieldColumns = new()
    {
        [nameof(PurchaseForm.Date)] = "date",
        [nameof(PurchaseForm.Description)] = "description",
        [nameof(PurchaseForm.Supplier)] = "fournisseur",
        [nameof(PurchaseForm.PriceHt)] = "prix_ht",
        [nameof(PurchaseForm.Family)] = "famille_produits",
        [nameof(PurchaseForm.Labels)] = "categories_egalim",
        [nameof(PurchaseForm.Origin)] = "origine",
        [nameof(PurchaseForm.LocalDefinition)] = "definition_local",
        [nameof(PurchaseForm.QuantityKg)] = "quantite_kg",
        [nameof(PurchaseForm.SupplierOrganisationId)] = "siret_fournisseur",
    };

    private static readonly Dictionary<string, string> MeasurementFieldColumns = new()
    {
        [nameof(MeasurementForm.PeriodStart)] = "period_start_date",
        [nameof(MeasurementForm.PeriodEnd)] = "period_end_date",
        [nameof(MeasurementForm.MealCount)] = "meal_count",
        [nameof(MeasurementForm.TotalMass)] = "total_mass",
        ["PreparationTotal"] = "preparation_total_mass",
        ["PreparationEdible"] = "preparation_edible_mass",
        ["PreparationInedible"] = "preparation_inedible_mass",
        ["UnservedTotal"] = "unserved_total_mass",
        ["UnservedEdible"] = "unserved_edible_mass",
        ["UnservedInedible"] = "unserved_inedible_mass",
        ["LeftoversTotal"] = "leftovers_total_mass",
        ["LeftoversEdible"] = "leftovers_edible_mass",
        ["LeftoversInedible"] = "leftovers_inedible_mass",
    };

    private static readonly Dictionary<string, string> TransferFieldColumns = new()
    {
        [nameof(TransferForm.Date)] = "date",
        [nameof(TransferForm.FromOrganisationId)] = "siret_origine",
        [nameof(TransferForm.ToOrganisationId)] = "siret_destination",
        [nameof(TransferForm.MassKg)] = "masse_kg",
        [nameof(TransferForm.Stream)] = "flux",
        [nameof(TransferForm.Carrier)] = "transporteur",
        [nameof(TransferForm.TransportMode)] = "mode_transport",
        [nameof(TransferForm.DistanceKm)] = "distance_km",
    };

    private static readonly Dictionary<string, string> DeliveryFieldColumns = new()
    {
        [nameof(DeliveryForm.Date)] = "date",
        [nameof(DeliveryForm.FromOrganisationId)] = "siret_origine",
        [nameof(DeliveryForm.ToOrganisationId)] = "siret_destination",
        [nameof(DeliveryForm.Product)] = "produit",
        [nameof(DeliveryForm.MassT)] = "masse_t",
        [nameof(DeliveryForm.AreaHa)] = "surface_ha",
        [nameof(DeliveryForm.Crop)] = "culture",
    };

    /// Rows as dictionaries (line number, values), or the file-level error.
    public static (List<(int Line, Dictionary<string, string> Values)> Rows, ImportError? Error) Read(Stream stream, string[] required)
    {
        var rows = new List<(int, Dictionary<string, string>)>();
        try
        {
            using var reader = Sep.Reader(o => o with { Unescape = true, DisableColCountCheck = true, Trim = SepTrim.All }).From(stream);
            var names = reader.Header.ColNames.Select(n => n.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
            var missing = required.Where(r => !names.Contains(r)).ToList();
            if (names.Count == 0 || missing.Count > 0)
            {
                return (rows, new ImportError(1, $"En-tête incomplet : colonnes attendues {string.Join(", ", required)} ; manquantes : {string.Join(", ", missing)}."));
            }

            foreach (var row in reader)
            {
                var values = new Dictionary<string, string>(StringComparer.Ordinal);
                var blank = true;
                for (var i = 0; i < names.Count; i++)
                {
                    var v = i < row.ColCount ? row[i].ToString() : "";
                    values[names[i]] = v;
                    blank &= string.IsNullOrWhiteSpace(v);
                }

                if (!blank)
                {
                    rows.Add((row.LineNumberFrom, values));
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or DecoderFallbackException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            return (rows, new ImportError(0, "Le fichier n'est pas un CSV lisible (UTF-8, séparateur virgule ou point-virgule)."));
        }

        return rows.Count == 0 ? (rows, new ImportError(2, "Le fichier ne contient aucune ligne de données.")) : (rows, null);
    }

    private static string Get(Dictionary<string, string> row, string column) => row.TryGetValue(column, out var v) ? v : "";

    private static void Collect(List<ImportError> errors, int line, Dictionary<string, string[]> fieldErrors, Dictionary<string, string> columns)
    {
        foreach (var (field, messages) in fieldErrors)
        {
            var column = columns.TryGetValue(field, out var c) ? c : field;
            foreach (var m in messages)
            {
                errors.Add(new(line, $"{column} : {m}"));
            }
        }
    }

    public async Task<ImportResult> ImportPurchasesAsync(Organisation canteen, Stream stream, CancellationToken ct)
    {
        var (rows, fileError) = Read(stream, PurchaseColumns);
        if (fileError is not null)
        {
            return new(0, [fileError]);
        }

        var errors = new List<ImportError>();
        var parsed = new List<CanteenPurchase>();
        var territoryOrgs = await db.Organisations.AsNoTracking().Where(o => o.TerritoryId == canteen.TerritoryId)
            .Select(o => new { o.Id, o.Siret, o.Name }).ToListAsync(ct);
        foreach (var (line, row) in rows)
        {
            var siret = Get(row, "siret").Replace(" ", "", StringComparison.Ordinal);
            if (canteen.Siret is not null && siret != canteen.Siret)
            {
                errors.Add(new(line, $"siret : « {siret} » n'est pas le SIRET de {canteen.Name} ({canteen.Siret})."));
            }

            string? supplierId = null;
            var supplierSiret = Get(row, "siret_fournisseur").Replace(" ", "", StringComparison.Ordinal);
            if (supplierSiret.Length > 0)
            {
                var match = territoryOrgs.FirstOrDefault(o => o.Siret == supplierSiret);
                if (match is null)
                {
                    errors.Add(new(line, $"siret_fournisseur : aucune structure du territoire n'a le SIRET « {supplierSiret} »."));
                }

                supplierId = match?.Id.ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                // A supplier written exactly as its organisation's name on Boucle is linked to it.
                supplierId = territoryOrgs.FirstOrDefault(o => string.Equals(o.Name, Get(row, "fournisseur").Trim(), StringComparison.OrdinalIgnoreCase))?.Id.ToString(CultureInfo.InvariantCulture);
            }

            var form = new PurchaseForm
            {
                Date = Get(row, "date"),
                Description = Get(row, "description"),
                Supplier = Get(row, "fournisseur"),
                PriceHt = Get(row, "prix_ht"),
                Family = Get(row, "famille_produits"),
                Labels = [Get(row, "categories_egalim")],
                Origin = Get(row, "origine"),
                ShortCircuit = FieldReader.Yes(Get(row, "est_circuit_court")),
                Local = FieldReader.Yes(Get(row, "est_local")),
                LocalDefinition = Get(row, "definition_local"),
                QuantityKg = Get(row, "quantite_kg"),
                SupplierOrganisationId = supplierId,
            };
            var result = await writer.PurchaseAsync(canteen, form, ct);
            Collect(errors, line, result.Errors, PurchaseFieldColumns);
            if (result.Value is not null)
            {
                parsed.Add(result.Value);
            }
        }

        return await SaveAllAsync(errors, parsed);
    }

    public async Task<ImportResult> ImportMeasurementsAsync(Organisation canteen, Stream stream, CancellationToken ct)
    {
        var (rows, fileError) = Read(stream, ["period_start_date", "period_end_date", "meal_count"]);
        if (fileError is not null)
        {
            return new(0, [fileError]);
        }

        var errors = new List<ImportError>();
        var parsed = new List<WasteMeasurement>();
        foreach (var (line, row) in rows)
        {
            var form = new MeasurementForm
            {
                PeriodStart = Get(row, "period_start_date"),
                PeriodEnd = Get(row, "period_end_date"),
                MealCount = Get(row, "meal_count"),
                TotalMass = Get(row, "total_mass"),
                PreparationTotal = Get(row, "preparation_total_mass"),
                PreparationEdible = Get(row, "preparation_edible_mass"),
                PreparationInedible = Get(row, "preparation_inedible_mass"),
                PreparationSorted = Get(row, "preparation_is_sorted"),
                UnservedTotal = Get(row, "unserved_total_mass"),
                UnservedEdible = Get(row, "unserved_edible_mass"),
                UnservedInedible = Get(row, "unserved_inedible_mass"),
                UnservedSorted = Get(row, "unserved_is_sorted"),
                LeftoversTotal = Get(row, "leftovers_total_mass"),
                LeftoversEdible = Get(row, "leftovers_edible_mass"),
                LeftoversInedible = Get(row, "leftovers_inedible_mass"),
                LeftoversSorted = Get(row, "leftovers_is_sorted"),
            };
            var result = await writer.MeasurementAsync(canteen.Id, form, [.. parsed.Select(m => (m.PeriodStart, m.PeriodEnd))], ct);
            Collect(errors, line, result.Errors, MeasurementFieldColumns);
            if (result.Value is not null)
            {
                parsed.Add(result.Value);
            }
        }

        return await SaveAllAsync(errors, parsed);
    }

    private async Task<string?> ResolveAsync(List<ImportError> errors, int line, int territoryId, string siret, string name, string column, CancellationToken ct)
    {
        siret = siret.Replace(" ", "", StringComparison.Ordinal);
        name = name.Trim();
        var id = siret.Length > 0
            ? await db.Organisations.Where(o => o.TerritoryId == territoryId && o.Siret == siret).Select(o => (int?)o.Id).FirstOrDefaultAsync(ct)
            : name.Length > 0 ? await db.Organisations.Where(o => o.TerritoryId == territoryId && o.Name == name).Select(o => (int?)o.Id).FirstOrDefaultAsync(ct) : null;
        if (id is null)
        {
            errors.Add(new(line, siret.Length > 0 ? $"{column} : aucune structure du territoire n'a le SIRET « {siret} »." : $"{column} : indiquez le SIRET de la structure (ou son nom exact sur Boucle)."));
        }

        return id?.ToString(CultureInfo.InvariantCulture);
    }

    public async Task<ImportResult> ImportTransfersAsync(int territoryId, ActorInfo me, Stream stream, CancellationToken ct)
    {
        var (rows, fileError) = Read(stream, ["date", "siret_origine", "siret_destination", "masse_kg"]);
        if (fileError is not null)
        {
            return new(0, [fileError]);
        }

        var errors = new List<ImportError>();
        var parsed = new List<BiowasteTransfer>();
        foreach (var (line, row) in rows)
        {
            var before = errors.Count;
            var from = await ResolveAsync(errors, line, territoryId, Get(row, "siret_origine"), Get(row, "nom_origine"), "siret_origine", ct);
            var to = await ResolveAsync(errors, line, territoryId, Get(row, "siret_destination"), Get(row, "nom_destination"), "siret_destination", ct);
            if (errors.Count > before)
            {
                continue;
            }

            var form = new TransferForm
            {
                Date = Get(row, "date"),
                FromOrganisationId = from,
                ToOrganisationId = to,
                MassKg = Get(row, "masse_kg"),
                Weighed = FieldReader.Yes(Get(row, "pesee")),
                Stream = FieldReader.Clean(Get(row, "flux")) ?? nameof(BiowasteStream.KitchenWaste),
                Carrier = Get(row, "transporteur"),
                TransportMode = Get(row, "mode_transport"),
                DistanceKm = Get(row, "distance_km"),
            };
            var result = await writer.TransferAsync(form, me, null, ct);
            Collect(errors, line, result.Errors, TransferFieldColumns);
            if (result.Value is not null)
            {
                parsed.Add(result.Value);
            }
        }

        if (errors.Count > 0)
        {
            return new(0, errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var t in parsed)
        {
            await writer.SaveTransferAsync(t, me, confirmedByBoth: false, ct);
        }

        await transaction.CommitAsync(ct);
        return new(parsed.Count, []);
    }

    public async Task<ImportResult> ImportDeliveriesAsync(int territoryId, ActorInfo me, Stream stream, CancellationToken ct)
    {
        var (rows, fileError) = Read(stream, ["date", "siret_origine", "siret_destination", "produit", "masse_t", "surface_ha"]);
        if (fileError is not null)
        {
            return new(0, [fileError]);
        }

        var errors = new List<ImportError>();
        var parsed = new List<FarmDelivery>();
        foreach (var (line, row) in rows)
        {
            var before = errors.Count;
            var from = await ResolveAsync(errors, line, territoryId, Get(row, "siret_origine"), Get(row, "nom_origine"), "siret_origine", ct);
            var to = await ResolveAsync(errors, line, territoryId, Get(row, "siret_destination"), Get(row, "nom_destination"), "siret_destination", ct);
            if (errors.Count > before)
            {
                continue;
            }

            var product = Get(row, "produit").Trim().ToLowerInvariant() switch
            {
                "digestat" => nameof(TreatmentProduct.Digestate),
                "compost" => nameof(TreatmentProduct.Compost),
                var other => other,
            };
            var form = new DeliveryForm
            {
                Date = Get(row, "date"),
                FromOrganisationId = from,
                ToOrganisationId = to,
                Product = product,
                MassT = Get(row, "masse_t"),
                AreaHa = Get(row, "surface_ha"),
                Crop = Get(row, "culture"),
            };
            var result = await writer.DeliveryAsync(form, me, ct);
            Collect(errors, line, result.Errors, DeliveryFieldColumns);
            if (result.Value is not null)
            {
                parsed.Add(result.Value);
            }
        }

        return await SaveAllAsync(errors, parsed);
    }

    private async Task<ImportResult> SaveAllAsync<T>(List<ImportError> errors, List<T> parsed)
        where T : class
    {
        if (errors.Count > 0)
        {
            return new(0, errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        db.Set<T>().AddRange(parsed);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return new(parsed.Count, []);
    }

    public static string Csv(IEnumerable<string> header, IEnumerable<IEnumerable<string?>> rows)
    {
        using var writer = Sep.Writer(o => o with { Sep = new Sep(','), Escape = true }).ToText();
        var columns = header.ToArray();
        writer.Header.Add(columns);
        var any = false;
        foreach (var r in rows)
        {
            using var row = writer.NewRow();
            var values = r.ToArray();
            any = true;
            for (var i = 0; i < columns.Length; i++)
            {
                row[columns[i]].Set(values[i] ?? "");
            }
        }

        if (!any)
        {
            writer.Header.Write();
        }

        writer.Flush();
        return writer.ToString();
    }

    public static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    public async Task<string> ExportTransfersAsync(IReadOnlyCollection<int> organisations, int territoryId, bool wholeTerritory, CancellationToken ct)
    {
        var names = await db.Organisations.AsNoTracking().Where(o => o.TerritoryId == territoryId).ToDictionaryAsync(o => o.Id, o => (o.Siret, o.Name), ct);
        var rows = await db.Set<BiowasteTransfer>().AsNoTracking()
            .Where(t => t.TerritoryId == territoryId && (wholeTerritory || organisations.Contains(t.FromOrganisationId) || organisations.Contains(t.ToOrganisationId)))
            .OrderBy(t => t.Date).ThenBy(t => t.Id).ToListAsync(ct);
        return Csv(TransferColumns, rows.Select(t => new[]
        {
            t.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), names.GetValueOrDefault(t.FromOrganisationId).Siret, names.GetValueOrDefault(t.FromOrganisationId).Name,
            names.GetValueOrDefault(t.ToOrganisationId).Siret, names.GetValueOrDefault(t.ToOrganisationId).Name, Num(t.MassKg), t.Weighed ? "oui" : "non",
            t.Stream.ToString(), t.Carrier, t.TransportMode.ToString(), t.DistanceKm is { } d ? Num(d) : "",
        }));
    }

    public async Task<string> ExportDeliveriesAsync(IReadOnlyCollection<int> organisations, int territoryId, bool wholeTerritory, CancellationToken ct)
    {
        var names = await db.Organisations.AsNoTracking().Where(o => o.TerritoryId == territoryId).ToDictionaryAsync(o => o.Id, o => (o.Siret, o.Name), ct);
        var ids = names.Keys.ToList();
        var rows = await db.Set<FarmDelivery>().AsNoTracking()
            .Where(d => ids.Contains(d.FromOrganisationId) && (wholeTerritory || organisations.Contains(d.FromOrganisationId) || organisations.Contains(d.ToOrganisationId)))
            .OrderBy(d => d.Date).ThenBy(d => d.Id).ToListAsync(ct);
        return Csv(DeliveryColumns, rows.Select(d => new[]
        {
            d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), names.GetValueOrDefault(d.FromOrganisationId).Siret, names.GetValueOrDefault(d.FromOrganisationId).Name,
            names.GetValueOrDefault(d.ToOrganisationId).Siret, names.GetValueOrDefault(d.ToOrganisationId).Name, d.Product == TreatmentProduct.Digestate ? "digestat" : "compost",
            Num(d.MassT), Num(d.AreaHa), d.Crop, Num(Math.Round(d.DoseTPerHa, 2)),
        }));
    }
}
