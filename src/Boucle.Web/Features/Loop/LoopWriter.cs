using System.Globalization;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Exchanges;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Reference;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Features.Loop;

public sealed record Parsed<T>(T? Value, Dictionary<string, string[]> Errors)
    where T : class
{
    public bool Ok => Value is not null && Errors.Count == 0;
}

/// Reads and checks each loop record (pages, CSV imports and the demo seed use the same rules),
/// and keeps the exchange that makes a biowaste transfer count.
public sealed class LoopWriter(AppDbContext db, TimeProvider time)
{
    /// ADEME: when edible and inedible parts are not separated, count 15 % inedible.
    public const double DefaultInedibleShare = 0.15;

    public static readonly string[] EgalimLabels = ["BIO", "LABEL_ROUGE", "AOCAOP", "IGP", "STG", "HVE", "PECHE_DURABLE", "RUP", "COMMERCE_EQUITABLE", "FERMIER", "EXTERNALITES", "PERFORMANCE"];
    public static readonly string[] LocalDefinitions = ["AUTOUR_SERVICE", "DEPARTEMENT", "REGION", "PAT", "AUTRE"];

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private DateOnly Today => DateOnly.FromDateTime(Now);

    public static CanteenProfileForm ToForm(CanteenProfile? p) => p is null ? new() : new()
    {
        Sector = p.Sector.ToString(),
        MealsPerDay = p.MealsPerDay.ToString(CultureInfo.InvariantCulture),
        MealsPerYear = p.MealsPerYear.ToString(CultureInfo.InvariantCulture),
        Management = p.Management.ToString(),
        Production = p.Production.ToString(),
        MaCantineId = p.MaCantineId,
        DiagnosisDate = p.DiagnosisDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        HasActionPlan = p.HasActionPlan,
        HasDonationAgreement = p.HasDonationAgreement,
        SortsBiowaste = p.SortsBiowaste,
        LastDeclaredYear = p.LastDeclaredYear?.ToString(CultureInfo.InvariantCulture),
    };

    public Parsed<CanteenProfile> Profile(int organisationId, CanteenProfileForm f, CanteenProfile? existing)
    {
        var r = new FieldReader([]);
        var sector = r.Enum<CanteenSector>(nameof(f.Sector), f.Sector, true, "scolaire, santé, social et médico-social, entreprise, autre");
        var perDay = r.Integer(nameof(f.MealsPerDay), f.MealsPerDay, true, 1, 1_000_000);
        var perYear = r.Integer(nameof(f.MealsPerYear), f.MealsPerYear, true, 1, 400_000_000);
        var management = r.Enum<CanteenManagement>(nameof(f.Management), f.Management, true, "directe ou concédée");
        var production = r.Enum<CanteenProduction>(nameof(f.Production), f.Production, true, "type de production");
        var diagnosis = r.Date(nameof(f.DiagnosisDate), f.DiagnosisDate, required: false);
        var declared = r.Integer(nameof(f.LastDeclaredYear), f.LastDeclaredYear, false, 2020, 2100);
        if (diagnosis > Today)
        {
            r.Add(nameof(f.DiagnosisDate), "La date du diagnostic ne peut pas être dans le futur.");
        }

        if (perDay is not null && perYear is not null && perYear < perDay)
        {
            r.Add(nameof(f.MealsPerYear), "Le nombre de repas par an ne peut pas être inférieur au nombre par jour.");
        }

        if (FieldReader.Clean(f.MaCantineId) is { Length: > 32 })
        {
            r.Add(nameof(f.MaCantineId), "L'identifiant ma cantine fait au plus 32 caractères.");
        }

        if (r.Errors.Count > 0)
        {
            return new(null, r.Errors);
        }

        var p = existing ?? new CanteenProfile { OrganisationId = organisationId };
        p.Sector = sector!.Value;
        p.MealsPerDay = perDay!.Value;
        p.MealsPerYear = perYear!.Value;
        p.Management = management!.Value;
        p.Production = production!.Value;
        p.MaCantineId = FieldReader.Clean(f.MaCantineId);
        p.DiagnosisDate = diagnosis;
        p.HasActionPlan = f.HasActionPlan;
        p.HasDonationAgreement = f.HasDonationAgreement;
        p.SortsBiowaste = f.SortsBiowaste;
        p.LastDeclaredYear = declared;
        p.UpdatedAt = Now;
        return new(p, r.Errors);
    }

    /// A weighing campaign. <paramref name="pending"/> holds periods of rows of the same import,
    /// which are not in the database yet but must not overlap either.
    public async Task<Parsed<WasteMeasurement>> MeasurementAsync(int canteenId, MeasurementForm f, IReadOnlyList<(DateOnly Start, DateOnly End)> pending, CancellationToken ct)
    {
        var r = new FieldReader([]);
        var start = r.Date(nameof(f.PeriodStart), f.PeriodStart);
        var end = r.Date(nameof(f.PeriodEnd), f.PeriodEnd);
        var meals = r.Integer(nameof(f.MealCount), f.MealCount, true, 1, 10_000_000);
        var total = r.Number(nameof(f.TotalMass), f.TotalMass, max: 10_000_000);
        (double? Total, double? Edible, double? Inedible, bool? Sorted) Stage(string prefix, string? t, string? e, string? i, string? s) =>
            (r.Number(prefix + "Total", t, max: 10_000_000), r.Number(prefix + "Edible", e, max: 10_000_000), r.Number(prefix + "Inedible", i, max: 10_000_000), FieldReader.YesNo(s));
        var prep = Stage("Preparation", f.PreparationTotal, f.PreparationEdible, f.PreparationInedible, f.PreparationSorted);
        var unserved = Stage("Unserved", f.UnservedTotal, f.UnservedEdible, f.UnservedInedible, f.UnservedSorted);
        var leftovers = Stage("Leftovers", f.LeftoversTotal, f.LeftoversEdible, f.LeftoversInedible, f.LeftoversSorted);

        if (start is not null && end is not null)
        {
            if (end <= start)
            {
                r.Add(nameof(f.PeriodEnd), "La date de fin doit être après la date de début.");
            }
            else if (end > Today)
            {
                r.Add(nameof(f.PeriodEnd), "La date de fin doit être dans le passé.");
            }
            else
            {
                // Periods of one canteen never overlap (ma-cantine's rule): bounds included.
                var clash = await db.Set<WasteMeasurement>().AsNoTracking()
                    .Where(m => m.CanteenOrganisationId == canteenId && m.PeriodStart <= end && m.PeriodEnd >= start)
                    .OrderBy(m => m.PeriodStart).Select(m => new { m.PeriodStart, m.PeriodEnd }).FirstOrDefaultAsync(ct);
                if (clash is not null)
                {
                    r.Add(nameof(f.PeriodStart), $"Cette période chevauche la campagne du {Fr(clash.PeriodStart)} au {Fr(clash.PeriodEnd)} : corrigez les dates ou modifiez la campagne existante.");
                }
                else if (pending.FirstOrDefault(p => p.Start <= end && p.End >= start) is var (ps, pe) && ps != default)
                {
                    r.Add(nameof(f.PeriodStart), $"Cette période chevauche une autre ligne du fichier (du {Fr(ps)} au {Fr(pe)}).");
                }
            }
        }

        foreach (var (name, stage) in new[] { ("Preparation", prep), ("Unserved", unserved), ("Leftovers", leftovers) })
        {
            if (stage.Total is { } t && (stage.Edible ?? 0) + (stage.Inedible ?? 0) > t + 0.01)
            {
                r.Add(name + "Total", "Les parts comestible et non comestible dépassent la masse totale de l'étape.");
            }
        }

        double? StageTotal((double? Total, double? Edible, double? Inedible, bool? Sorted) s) =>
            s.Total ?? (s.Edible is not null && s.Inedible is not null ? s.Edible + s.Inedible : s.Edible ?? s.Inedible);
        var stagesSum = new[] { StageTotal(prep), StageTotal(unserved), StageTotal(leftovers) }.Where(v => v is not null).Sum();
        var anyStage = new[] { StageTotal(prep), StageTotal(unserved), StageTotal(leftovers) }.Any(v => v is not null);
        if (total is null && !anyStage && !r.Errors.Keys.Any(k => k.EndsWith("Total", StringComparison.Ordinal)))
        {
            r.Add(nameof(f.TotalMass), "Indiquez la masse totale gaspillée ou la masse d'au moins une étape.");
        }
        else if (total is not null && anyStage && stagesSum > total + 0.01)
        {
            r.Add(nameof(f.TotalMass), $"La somme des étapes ({stagesSum!.Value.ToString("0.##", CultureInfo.GetCultureInfo("fr-FR"))} kg) dépasse la masse totale.");
        }

        if (r.Errors.Count > 0)
        {
            return new(null, r.Errors);
        }

        return new(new WasteMeasurement
        {
            CanteenOrganisationId = canteenId,
            PeriodStart = start!.Value,
            PeriodEnd = end!.Value,
            MealCount = meals!.Value,
            TotalMassKg = total ?? stagesSum,
            PreparationTotalKg = StageTotal(prep),
            PreparationEdibleKg = prep.Edible,
            PreparationInedibleKg = prep.Inedible,
            PreparationSorted = prep.Sorted ?? (prep.Edible is not null || prep.Inedible is not null ? true : null),
            UnservedTotalKg = StageTotal(unserved),
            UnservedEdibleKg = unserved.Edible,
            UnservedInedibleKg = unserved.Inedible,
            UnservedSorted = unserved.Sorted ?? (unserved.Edible is not null || unserved.Inedible is not null ? true : null),
            LeftoversTotalKg = StageTotal(leftovers),
            LeftoversEdibleKg = leftovers.Edible,
            LeftoversInedibleKg = leftovers.Inedible,
            LeftoversSorted = leftovers.Sorted ?? (leftovers.Edible is not null || leftovers.Inedible is not null ? true : null),
            CreatedAt = Now,
        }, r.Errors);
    }

    public async Task<Parsed<CanteenPurchase>> PurchaseAsync(Organisation canteen, PurchaseForm f, CancellationToken ct)
    {
        var r = new FieldReader([]);
        var date = r.Date(nameof(f.Date), f.Date);
        var description = FieldReader.Clean(f.Description);
        var supplier = FieldReader.Clean(f.Supplier);
        if (description is null)
        {
            r.Add(nameof(f.Description), "Décrivez l'achat (par exemple « Pommes de terre »).");
        }
        else if (description.Length > 300)
        {
            r.Add(nameof(f.Description), "La description fait au plus 300 caractères.");
        }

        if (supplier is null)
        {
            r.Add(nameof(f.Supplier), "Indiquez le fournisseur.");
        }
        else if (supplier.Length > 200)
        {
            r.Add(nameof(f.Supplier), "Le nom du fournisseur fait au plus 200 caractères.");
        }

        var price = r.Number(nameof(f.PriceHt), f.PriceHt, true, 0, 100_000_000);
        var family = r.Enum<ProductFamily>(nameof(f.Family), f.Family, true, string.Join(", ", Enum.GetNames<ProductFamily>()));
        var labels = new List<string>();
        foreach (var raw in f.Labels.SelectMany(l => (l ?? "").Split(',')).Select(l => l.Trim().ToUpperInvariant()).Where(l => l.Length > 0))
        {
            if (!EgalimLabels.Contains(raw))
            {
                r.Add(nameof(f.Labels), $"« {raw} » n'est pas une catégorie EGalim ({string.Join(", ", EgalimLabels)}).");
            }
            else if (!labels.Contains(raw))
            {
                labels.Add(raw);
            }
        }

        var origin = FieldReader.Clean(f.Origin)?.ToUpperInvariant();
        if (origin is not null and not "FRANCE" and not "EUROPE")
        {
            r.Add(nameof(f.Origin), "L'origine est FRANCE ou EUROPE (hors France).");
        }

        var localDefinition = FieldReader.Clean(f.LocalDefinition)?.ToUpperInvariant();
        if (localDefinition is not null && !LocalDefinitions.Contains(localDefinition))
        {
            r.Add(nameof(f.LocalDefinition), $"Définitions possibles : {string.Join(", ", LocalDefinitions)}.");
        }
        else if (f.Local && localDefinition is null)
        {
            r.Add(nameof(f.LocalDefinition), "Un achat local demande sa définition du local (ma cantine).");
        }

        var quantity = r.Number(nameof(f.QuantityKg), f.QuantityKg, false, 0, 100_000_000);
        int? supplierId = null;
        if (FieldReader.Clean(f.SupplierOrganisationId) is { } sid)
        {
            if (!int.TryParse(sid, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                || !await db.Organisations.AnyAsync(o => o.Id == id && o.TerritoryId == canteen.TerritoryId, ct))
            {
                r.Add(nameof(f.SupplierOrganisationId), "Ce fournisseur n'est pas une structure du territoire.");
            }
            else
            {
                supplierId = id;
            }
        }

        if (date > Today)
        {
            r.Add(nameof(f.Date), "La date de l'achat ne peut pas être dans le futur.");
        }

        if (r.Errors.Count > 0)
        {
            return new(null, r.Errors);
        }

        return new(new CanteenPurchase
        {
            CanteenOrganisationId = canteen.Id,
            Date = date!.Value,
            Description = description!,
            Supplier = supplier!,
            PriceHt = Math.Round((decimal)price!.Value, 2, MidpointRounding.ToEven),
            Family = family!.Value,
            Labels = string.Join(",", labels),
            Origin = origin,
            ShortCircuit = f.ShortCircuit,
            Local = f.Local,
            LocalDefinition = localDefinition,
            QuantityKg = quantity,
            SupplierOrganisationId = supplierId,
            CreatedAt = Now,
        }, r.Errors);
    }

    private async Task<Organisation?> OrganisationAsync(FieldReader r, string field, string? text, string label, CancellationToken ct)
    {
        if (!int.TryParse(FieldReader.Clean(text), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            r.Add(field, $"Choisissez {label}.");
            return null;
        }

        var o = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (o is null)
        {
            r.Add(field, $"Choisissez {label}.");
        }

        return o;
    }

    public static bool IsTreatmentSite(OrganisationKind k) => k is OrganisationKind.CompostingSite or OrganisationKind.Digester;

    public async Task<Parsed<BiowasteTransfer>> TransferAsync(TransferForm f, ActorInfo me, BiowasteTransfer? existing, CancellationToken ct)
    {
        var r = new FieldReader([]);
        var date = r.Date(nameof(f.Date), f.Date);
        var from = await OrganisationAsync(r, nameof(f.FromOrganisationId), f.FromOrganisationId, "la structure qui donne les biodéchets", ct);
        var to = await OrganisationAsync(r, nameof(f.ToOrganisationId), f.ToOrganisationId, "le site qui les reçoit", ct);
        var mass = r.Number(nameof(f.MassKg), f.MassKg, true, 0.001, 100_000_000);
        var stream = r.Enum<BiowasteStream>(nameof(f.Stream), f.Stream, true, "KitchenWaste, UnsuitableProduce, GreenWaste");
        var mode = r.Enum<TransportMode>(nameof(f.TransportMode), f.TransportMode, false, string.Join(", ", Enum.GetNames<TransportMode>())) ?? TransportMode.Truck;
        var distance = r.Number(nameof(f.DistanceKm), f.DistanceKm, false, 0, 5000);
        var carrier = FieldReader.Clean(f.Carrier);
        if (carrier is { Length: > 200 })
        {
            r.Add(nameof(f.Carrier), "Le nom du transporteur fait au plus 200 caractères.");
        }

        if (date > Today)
        {
            r.Add(nameof(f.Date), "La date ne peut pas être dans le futur.");
        }

        if (to is not null && !IsTreatmentSite(to.Kind) && to.Kind != OrganisationKind.Collector)
        {
            r.Add(nameof(f.ToOrganisationId), "Le destinataire doit être une plateforme de compostage, un méthaniseur ou un collecteur.");
        }

        if (from is not null && to is not null)
        {
            if (from.Id == to.Id)
            {
                r.Add(nameof(f.ToOrganisationId), "Le destinataire doit être une autre structure.");
            }
            else if (from.TerritoryId != to.TerritoryId)
            {
                r.Add(nameof(f.ToOrganisationId), "Les deux structures doivent être du même territoire.");
            }
            else if (!LoopAccess.CanEdit(me, from) && !LoopAccess.CanEdit(me, to))
            {
                r.Add(nameof(f.FromOrganisationId), "Vous n'agissez ni pour le producteur ni pour le site : seuls eux et l'animation du territoire enregistrent ce transfert.");
            }
        }

        if (r.Errors.Count > 0)
        {
            return new(null, r.Errors);
        }

        var t = existing ?? new BiowasteTransfer { CreatedAt = Now };
        t.TerritoryId = from!.TerritoryId;
        t.Date = date!.Value;
        t.FromOrganisationId = from.Id;
        t.ToOrganisationId = to!.Id;
        t.MassKg = mass!.Value;
        t.Weighed = f.Weighed;
        t.Stream = stream!.Value;
        t.Carrier = carrier;
        t.TransportMode = mode;
        t.DistanceKm = distance ?? (from.Latitude is { } a && to.Latitude is { } b ? Math.Round(Geo.DistanceKm(a, from.Longitude!.Value, b, to.Longitude!.Value), 1) : null);
        return new(t, r.Errors);
    }

    public async Task<Parsed<TreatmentOutput>> OutputAsync(OutputForm f, ActorInfo me, CancellationToken ct)
    {
        var r = new FieldReader([]);
        var site = await OrganisationAsync(r, nameof(f.SiteOrganisationId), f.SiteOrganisationId, "le site de traitement", ct);
        var start = r.Date(nameof(f.PeriodStart), f.PeriodStart);
        var end = r.Date(nameof(f.PeriodEnd), f.PeriodEnd);
        var input = r.Number(nameof(f.InputT), f.InputT, true, 0.001, 10_000_000);
        var product = r.Enum<TreatmentProduct>(nameof(f.Product), f.Product, true, "Compost, Digestate");
        var output = r.Number(nameof(f.OutputT), f.OutputT, true, 0, 10_000_000);
        var standard = r.Enum<ProductStandard>(nameof(f.Standard), f.Standard, false, "None, NfU44051, NfU44095") ?? ProductStandard.None;
        var analysis = FieldReader.Clean(f.AnalysisReference);
        if (analysis is { Length: > 100 })
        {
            r.Add(nameof(f.AnalysisReference), "La référence d'analyse fait au plus 100 caractères.");
        }

        if (site is not null && !IsTreatmentSite(site.Kind))
        {
            r.Add(nameof(f.SiteOrganisationId), "Le site doit être une plateforme de compostage ou un méthaniseur.");
        }
        else if (site is not null && !LoopAccess.CanEdit(me, site))
        {
            r.Add(nameof(f.SiteOrganisationId), "Seuls les membres du site et l'animation du territoire enregistrent sa production.");
        }

        if (start is not null && end is not null && end < start)
        {
            r.Add(nameof(f.PeriodEnd), "La fin de la période doit suivre son début.");
        }

        if (input is not null && output is not null && output > input)
        {
            r.Add(nameof(f.OutputT), "La masse produite ne peut pas dépasser la masse entrée.");
        }

        if (r.Errors.Count > 0)
        {
            return new(null, r.Errors);
        }

        return new(new TreatmentOutput
        {
            SiteOrganisationId = site!.Id,
            PeriodStart = start!.Value,
            PeriodEnd = end!.Value,
            InputT = input!.Value,
            Product = product!.Value,
            OutputT = output!.Value,
            Standard = standard,
            AnalysisReference = analysis,
            CreatedAt = Now,
        }, r.Errors);
    }

    public async Task<Parsed<FarmDelivery>> DeliveryAsync(DeliveryForm f, ActorInfo me, CancellationToken ct)
    {
        var r = new FieldReader([]);
        var date = r.Date(nameof(f.Date), f.Date);
        var from = await OrganisationAsync(r, nameof(f.FromOrganisationId), f.FromOrganisationId, "le site qui livre", ct);
        var to = await OrganisationAsync(r, nameof(f.ToOrganisationId), f.ToOrganisationId, "la ferme qui reçoit", ct);
        var product = r.Enum<TreatmentProduct>(nameof(f.Product), f.Product, true, "Compost, Digestate");
        var mass = r.Number(nameof(f.MassT), f.MassT, true, 0.001, 1_000_000);
        var area = r.Number(nameof(f.AreaHa), f.AreaHa, true, 0.001, 100_000);
        var crop = FieldReader.Clean(f.Crop);
        if (crop is { Length: > 100 })
        {
            r.Add(nameof(f.Crop), "La culture fait au plus 100 caractères.");
        }

        if (date > Today)
        {
            r.Add(nameof(f.Date), "La date ne peut pas être dans le futur.");
        }

        if (from is not null && !IsTreatmentSite(from.Kind))
        {
            r.Add(nameof(f.FromOrganisationId), "Le site qui livre doit être une plateforme de compostage ou un méthaniseur.");
        }

        if (from is not null && to is not null)
        {
            if (from.Id == to.Id)
            {
                r.Add(nameof(f.ToOrganisationId), "Le destinataire doit être une autre structure.");
            }
            else if (!LoopAccess.CanEdit(me, from) && !LoopAccess.CanEdit(me, to))
            {
                r.Add(nameof(f.FromOrganisationId), "Vous n'agissez ni pour le site ni pour la ferme : seuls eux et l'animation du territoire enregistrent cette livraison.");
            }
        }

        if (r.Errors.Count > 0)
        {
            return new(null, r.Errors);
        }

        return new(new FarmDelivery
        {
            Date = date!.Value,
            FromOrganisationId = from!.Id,
            ToOrganisationId = to!.Id,
            Product = product!.Value,
            MassT = mass!.Value,
            AreaHa = area!.Value,
            Crop = crop,
            CreatedAt = Now,
        }, r.Errors);
    }

    /// Saves a new or corrected transfer and its exchange: a correction becomes a new version of the
    /// exchange (the previous one stays, superseded). The recorder's side is confirmed; a facilitator
    /// recording for the parties makes it count at once, as the exchanges' rule says.
    public async Task SaveTransferAsync(BiowasteTransfer t, ActorInfo? me, bool confirmedByBoth, CancellationToken ct)
    {
        if (t.Id == 0)
        {
            db.Set<BiowasteTransfer>().Add(t);
            await db.SaveChangesAsync(ct);
        }

        var to = await db.Organisations.AsNoTracking().Where(o => o.Id == t.ToOrganisationId).Select(o => o.Kind).SingleAsync(ct);
        var now = Now;
        var previous = t.ExchangeId is { } eid ? await db.Exchanges.SingleOrDefaultAsync(e => e.Id == eid, ct) : null;
        var giverSide = confirmedByBoth || (me?.IsMemberOf(t.FromOrganisationId) ?? false);
        var takerSide = confirmedByBoth || (me?.IsMemberOf(t.ToOrganisationId) ?? false);
        var byFacilitator = !confirmedByBoth && me is not null && !giverSide && !takerSide;
        var exchange = new Exchange
        {
            TerritoryId = t.TerritoryId,
            GiverOrganisationId = t.FromOrganisationId,
            TakerOrganisationId = t.ToOrganisationId,
            CategoryCode = Category(t.Stream),
            WasteCode = WasteCode(t.Stream),
            Quantity = t.MassKg,
            Unit = Listings.QuantityUnit.Kg,
            QuantityTonnes = t.MassKg / 1000,
            Date = t.Date,
            Operation = to switch
            {
                OrganisationKind.CompostingSite => "composting",
                OrganisationKind.Digester => "digestion",
                _ => "R13",
            },
            TransportMode = t.TransportMode,
            DistanceKm = t.DistanceKm,
            Note = $"Transfert de biodéchets de la boucle organique ({(t.Weighed ? "pesé" : "estimé")}{(t.Carrier is null ? "" : ", transporteur : " + t.Carrier)}).",
            ExternalKey = $"loop-transfer-{t.Id}",
            CreatedAt = now,
            RecordedByUserId = me?.UserId,
            RecordedByFacilitator = byFacilitator,
            GiverConfirmedAt = giverSide ? now : null,
            TakerConfirmedAt = takerSide ? now : null,
            Version = (previous?.Version ?? 0) + 1,
            OriginalId = previous is null ? null : previous.OriginalId ?? previous.Id,
        };
        db.Exchanges.Add(exchange);
        await db.SaveChangesAsync(ct);
        if (previous is not null)
        {
            previous.SupersededById = exchange.Id;
        }

        t.ExchangeId = exchange.Id;
        await db.SaveChangesAsync(ct);
    }

    /// The other party confirms the transfer on its side (the exchange then counts).
    public async Task<bool> ConfirmTransferAsync(BiowasteTransfer t, ActorInfo me, CancellationToken ct)
    {
        var exchange = t.ExchangeId is { } id ? await db.Exchanges.SingleOrDefaultAsync(e => e.Id == id, ct) : null;
        if (exchange is null)
        {
            return false;
        }

        var changed = false;
        if (me.IsMemberOf(t.FromOrganisationId) && exchange.GiverConfirmedAt is null)
        {
            exchange.GiverConfirmedAt = Now;
            changed = true;
        }

        if (me.IsMemberOf(t.ToOrganisationId) && exchange.TakerConfirmedAt is null)
        {
            exchange.TakerConfirmedAt = Now;
            changed = true;
        }

        await db.SaveChangesAsync(ct);
        return changed;
    }

    public static string WasteCode(BiowasteStream s) => s switch
    {
        BiowasteStream.KitchenWaste => "20 01 08",
        BiowasteStream.UnsuitableProduce => "02 03 04",
        _ => "20 02 01",
    };

    public static string Category(BiowasteStream s) => s switch
    {
        BiowasteStream.KitchenWaste => "biowaste.kitchen",
        BiowasteStream.UnsuitableProduce => "biowaste.produce",
        _ => "greenwaste",
    };

    private static string Fr(DateOnly d) => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
}

/// Who may see and change loop records: an organisation's records belong to its members and to
/// the facilitators of its territory (and administrators). Aggregates are public.
public static class LoopAccess
{
    public static bool CanEdit(ActorInfo me, Organisation o) => me.IsMemberOf(o.Id) || me.Facilitates(o.TerritoryId);

    public static bool CanEdit(ActorInfo me, int organisationId, int territoryId) => me.IsMemberOf(organisationId) || me.Facilitates(territoryId);
}
