using System.Globalization;
using System.Text;
using Boucle.Matching.Knowledge;
using Boucle.Web.Features.Exchanges;
using Boucle.Web.Features.Listings;

namespace Boucle.Web.Features.Impact;

public enum OperationFamily
{
    Reuse,
    Recycling,
    Composting,
    Digestion,
    Spreading,
    EnergyRecovery,
    OtherRecovery,
}

/// The current factors, as loaded from the database when an impact is computed.
public sealed record FactorSet(IReadOnlyDictionary<string, ImpactFactor> Factors, IReadOnlyDictionary<(string Category, QuantityUnit Unit), DensityFactor> Densities)
{
    public ImpactFactor? Factor(string key) => Factors.GetValueOrDefault(key);
}

/// How one counted exchange turns into figures. Pure: the same exchange and factors give the same row.
/// The method (which factor applies when) is explained to people on /impact/calcul; keep them in step.
public static class ImpactCalculator
{
    private static readonly CultureInfo Fr = CultureInfo.GetCultureInfo("fr-FR");

    /// Top-level categories that are products or services rather than waste: nothing is diverted from disposal.
    private static readonly HashSet<string> ProductRoots = ["soil", "energy", "space", "skills", "transport", "water", "gases", "equipment", "goods", "use"];

    public static OperationFamily Family(string? operation) => (operation ?? "").Trim().ToUpperInvariant() switch
    {
        "R0" => OperationFamily.Reuse,
        "R2" or "R3" or "R4" or "R5" or "R6" or "R7" or "R8" or "R9" => OperationFamily.Recycling,
        "COMPOSTING" or "COMPOSTAGE" => OperationFamily.Composting,
        "DIGESTION" or "METHANISATION" or "MÉTHANISATION" => OperationFamily.Digestion,
        "R10" => OperationFamily.Spreading,
        "R1" => OperationFamily.EnergyRecovery,
        _ => OperationFamily.OtherRecovery,
    };

    public static string OperationLabel(string? operation) => Family(operation) switch
    {
        OperationFamily.Reuse => "Réemploi (R0)",
        OperationFamily.Recycling => $"Recyclage ({operation})",
        OperationFamily.Composting => "Compostage",
        OperationFamily.Digestion => "Méthanisation",
        OperationFamily.Spreading => "Épandage (R10)",
        OperationFamily.EnergyRecovery => "Valorisation énergétique (R1)",
        _ => $"Autre valorisation ({operation})",
    };

    /// The material family whose factors apply to a category ("biowaste.coffee" → organic).
    public static string Material(string? categoryCode)
    {
        if (string.IsNullOrEmpty(categoryCode))
        {
            return "other";
        }

        if (categoryCode == "wood.treated")
        {
            return "hazardous";
        }

        if (categoryCode == "energy.biomass_fuel")
        {
            return "wood";
        }

        var root = categoryCode.Split('.')[0];
        return root switch
        {
            "wood" => "wood",
            "paper" => "paper",
            "plastics" or "packaging" => "plastics",
            "metals" => "metals",
            "glass" => "glass",
            "textiles" => "textiles",
            "inert" or "ash" => "inert",
            "rubber" => "tyres",
            "biowaste" or "agrifood" or "greenwaste" or "fats" or "sludge" or "soil" => "organic",
            "weee" => "weee",
            "hazardous" => "hazardous",
            _ => "other",
        };
    }

    public static bool IsHazardous(string? categoryCode, string? wasteCode) =>
        ListOfWaste.Find(wasteCode)?.Hazardous == true || Taxonomy.Default.Find(categoryCode)?.Hazardous == true;

    public static ExchangeImpact Compute(Exchange x, FactorSet factors, DateTime now)
    {
        var used = new List<string>();
        var text = new StringBuilder();
        var op = Family(x.Operation);
        var material = Material(x.CategoryCode);

        // 1. Tonnes.
        double? tonnes = null;
        switch (x.Unit)
        {
            case QuantityUnit.T:
                tonnes = x.Quantity;
                text.AppendLine($"Masse : {N(x.Quantity)} t.");
                break;
            case QuantityUnit.Kg:
                tonnes = x.Quantity / 1000;
                text.AppendLine($"Masse : {N(x.Quantity)} kg ÷ 1 000 = {N(tonnes.Value)} t.");
                break;
            default:
                if (x.QuantityTonnes is { } declared)
                {
                    tonnes = declared;
                    text.AppendLine($"Masse : {N(declared)} t, déclarée avec l'échange ({N(x.Quantity)} {UnitLabel(x.Unit)}).");
                }
                else if (Density(factors, x.CategoryCode, x.Unit) is { } density)
                {
                    tonnes = x.Quantity * density.TonnesPerUnit;
                    used.Add("d" + density.Id.ToString(CultureInfo.InvariantCulture));
                    text.AppendLine($"Masse : {N(x.Quantity)} {UnitLabel(x.Unit)} × {N(density.TonnesPerUnit)} t par {UnitLabel(density.Unit, one: true)} (densité « {density.CategoryCode} », version {density.Version}) = {N(tonnes.Value)} t.");
                }
                else
                {
                    text.AppendLine($"Masse : non comptée. {N(x.Quantity)} {UnitLabel(x.Unit)} ne se convertit pas en tonnes (aucune densité pour cette catégorie et cette unité) : l'échange est compté dans le nombre d'échanges, pas dans les tonnes ni le CO2e.");
                }

                break;
        }

        var impact = new ExchangeImpact { ExchangeId = x.Id, ComputedAt = now, FactorIds = "", Arithmetic = "", Tonnes = tonnes };
        if (tonnes is not { } t || t <= 0)
        {
            impact.Arithmetic = text.ToString().Trim();
            return impact;
        }

        // Compost and digestate are outputs of a treatment whose input was already counted as diverted: counting them
        // again would count the same tonnes twice, waste code or not.
        var root = (x.CategoryCode ?? "").Split('.')[0];
        var isProduct = root == "soil" || (ProductRoots.Contains(root) && string.IsNullOrEmpty(x.WasteCode));
        var hazardous = IsHazardous(x.CategoryCode, x.WasteCode);

        // 2. Induced by treatment.
        var treatmentKey = op switch
        {
            OperationFamily.Composting => "treatment.composting",
            OperationFamily.Digestion => "treatment.digestion",
            OperationFamily.EnergyRecovery => "incineration." + material,
            _ => null,
        };
        if (treatmentKey is not null && factors.Factor(treatmentKey) is null && op == OperationFamily.EnergyRecovery)
        {
            treatmentKey = "incineration.other";
        }

        if (treatmentKey is not null && Use(factors, treatmentKey, used) is { } treatment)
        {
            impact.Co2eTreatmentKg = t * treatment.Value;
            text.AppendLine($"CO2e induit par le traitement : {N(t)} t × {N(treatment.Value)} kg CO2e/t ({treatment.Label}, v{treatment.Version}) = {N(impact.Co2eTreatmentKg)} kg.");
        }
        else
        {
            text.AppendLine(op switch
            {
                OperationFamily.Reuse => "CO2e induit par le traitement : 0 (réemploi : pas de traitement).",
                OperationFamily.Recycling => "CO2e induit par le traitement : compté dans la production de la matière de remplacement (ci-dessous), pas ici.",
                OperationFamily.Spreading => "CO2e induit par le traitement : 0 (épandage : émissions au champ non modélisées).",
                _ => "CO2e induit par le traitement : aucun facteur pour cette opération.",
            });
        }

        // 3. Induced by transport.
        var transportKey = x.TransportMode switch
        {
            TransportMode.Car => "transport.car",
            TransportMode.Van => "transport.van",
            TransportMode.Truck => "transport.truck",
            TransportMode.TruckRefrigerated => "transport.truck_refrigerated",
            TransportMode.Tractor => "transport.tractor",
            _ => null,
        };
        if (transportKey is not null && x.DistanceKm is { } km && Use(factors, transportKey, used) is { } transport)
        {
            impact.Co2eTransportKg = t * km * transport.Value;
            text.AppendLine($"CO2e induit par le transport : {N(t)} t × {N(km)} km × {N(transport.Value)} kg CO2e/t.km ({transport.Label}, v{transport.Version}) = {N(impact.Co2eTransportKg)} kg.");
        }
        else
        {
            text.AppendLine(x.TransportMode is TransportMode.None or TransportMode.Bike
                ? "CO2e induit par le transport : 0 (sans transport motorisé)."
                : "CO2e induit par le transport : non compté (distance inconnue).");
        }

        // 4. Avoided: disposal.
        if (!isProduct)
        {
            impact.TonnesDiverted = t;
            var landfill = Use(factors, "landfill." + material, used) ?? Use(factors, "landfill.other", used);
            if (landfill is not null)
            {
                impact.Co2eAvoidedDisposalKg = t * landfill.Value;
                text.AppendLine($"CO2e évité (élimination évitée, hypothèse : stockage) : {N(t)} t × {N(landfill.Value)} kg CO2e/t ({landfill.Label}, v{landfill.Version}) = {N(impact.Co2eAvoidedDisposalKg)} kg.");
            }
        }
        else
        {
            text.AppendLine("Détourné de l'élimination : non (produit, service, ou compost et digestat déjà comptés à l'entrée du traitement) ; pas de CO2e d'élimination évitée.");
        }

        // 5. Avoided: virgin material, for reuse and recycling.
        var substitutes = op == OperationFamily.Reuse || (op == OperationFamily.Recycling && material != "organic");
        if (substitutes && Use(factors, "virgin." + material, used) is { } virgin)
        {
            var secondary = Use(factors, "secondary." + material, used);
            var net = virgin.Value - (secondary?.Value ?? 0);
            impact.Co2eAvoidedVirginKg = t * net;
            impact.VirginMaterialTonnes = t;
            text.AppendLine(secondary is null
                ? $"CO2e évité (matière neuve) : {N(t)} t × {N(virgin.Value)} kg CO2e/t ({virgin.Label}, v{virgin.Version}) = {N(impact.Co2eAvoidedVirginKg)} kg."
                : $"CO2e évité (matière neuve) : {N(t)} t × ({N(virgin.Value)} − {N(secondary.Value)}) kg CO2e/t ({virgin.Label}, v{virgin.Version} ; {secondary.Label}, v{secondary.Version}) = {N(impact.Co2eAvoidedVirginKg)} kg.");
            text.AppendLine($"Matière neuve économisée : {N(t)} t.");
        }
        else
        {
            text.AppendLine("CO2e évité (matière neuve) : 0 (pas de substitution de matière neuve modélisée pour cette opération et cette matière).");
        }

        // 6. Euros.
        if (x.AvoidedCostEur is { } declaredEur)
        {
            if (string.IsNullOrEmpty(x.WasteCode))
            {
                impact.EurPurchasesAvoided = declaredEur;
                text.AppendLine($"Euros économisés (achats évités) : {N(declaredEur)} €, déclarés avec l'échange.");
            }
            else
            {
                impact.EurDisposalAvoided = declaredEur;
                text.AppendLine($"Euros économisés (élimination évitée) : {N(declaredEur)} €, déclarés avec l'échange.");
            }
        }
        else if (!string.IsNullOrEmpty(x.WasteCode) && !isProduct && Use(factors, "eur.landfill_tax", used) is { } tax)
        {
            impact.EurDisposalAvoided = t * tax.Value;
            text.AppendLine($"Euros économisés (élimination évitée, par défaut) : {N(t)} t × {N(tax.Value)} €/t ({tax.Label}, v{tax.Version}) = {N(impact.EurDisposalAvoided)} €.");
        }
        else
        {
            text.AppendLine("Euros économisés : aucun montant déclaré.");
        }

        // 7. Hazardous waste reused or recycled.
        if (hazardous && op is OperationFamily.Reuse or OperationFamily.Recycling)
        {
            impact.HazardousReusedTonnes = t;
            text.AppendLine($"Déchets dangereux réemployés ou recyclés : {N(t)} t.");
        }

        impact.FactorIds = string.Join(' ', used.Distinct());
        impact.Arithmetic = text.ToString().Trim();
        return impact;
    }

    private static ImpactFactor? Use(FactorSet factors, string key, List<string> used)
    {
        var f = factors.Factor(key);
        if (f is not null)
        {
            used.Add("f" + f.Id.ToString(CultureInfo.InvariantCulture));
        }

        return f;
    }

    /// The density of the category or its nearest ancestor; pallets fall back to pieces.
    private static DensityFactor? Density(FactorSet factors, string? categoryCode, QuantityUnit unit)
    {
        for (var code = categoryCode; !string.IsNullOrEmpty(code); code = code.Contains('.', StringComparison.Ordinal) ? code[..code.LastIndexOf('.')] : null)
        {
            if (factors.Densities.TryGetValue((code, unit), out var d) || (unit == QuantityUnit.Pallets && factors.Densities.TryGetValue((code, QuantityUnit.Pieces), out d)))
            {
                return d;
            }
        }

        return null;
    }

    public static string UnitLabel(QuantityUnit unit, bool one = false) => unit switch
    {
        QuantityUnit.Kg => "kg",
        QuantityUnit.T => "t",
        QuantityUnit.L => one ? "litre" : "L",
        QuantityUnit.M3 => "m³",
        QuantityUnit.M2 => "m²",
        QuantityUnit.Pieces => one ? "pièce" : "pièces",
        QuantityUnit.Pallets => one ? "palette" : "palettes",
        QuantityUnit.Hours => "h",
        QuantityUnit.Days => one ? "jour" : "jours",
        QuantityUnit.KW => "kW",
        QuantityUnit.KWh => "kWh",
        _ => unit.ToString(),
    };

    public static string N(double value) => value.ToString(Math.Abs(value) >= 100 ? "#,##0.##" : "0.####", Fr);
}
