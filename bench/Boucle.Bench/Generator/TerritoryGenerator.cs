using System.Globalization;
using Boucle.Matching.Knowledge;

namespace Boucle.Bench.Generator;

/// <summary>An organisation of a generated territory.</summary>
/// <param name="Key">Unique key ("org-00042").</param>
/// <param name="Name">French name ("Menuiserie Dupuy", "GAEC des Coteaux").</param>
/// <param name="Kind">company, farm, canteen, public_body, association, collector, composting_site or digester.</param>
/// <param name="Latitude">WGS84 latitude of its site.</param>
/// <param name="Longitude">WGS84 longitude of its site.</param>
/// <param name="HazardousAuthorised">True for the few collectors authorised to take hazardous waste.</param>
public sealed record GeneratedOrganisation(string Key, string Name, string Kind, double Latitude, double Longitude, bool HazardousAuthorised);

/// <summary>A generated listing, shaped like a row of the listings CSV contract.</summary>
/// <param name="Id">Unique id ("L000042").</param>
/// <param name="OrganisationKey">Key of the publishing <see cref="GeneratedOrganisation"/>.</param>
/// <param name="IsOffer">True for an offer ("j'ai"), false for a need ("je cherche").</param>
/// <param name="Title">French title.</param>
/// <param name="Description">French description (one to four sentences).</param>
/// <param name="Quantity">Quantity per occurrence, when given.</param>
/// <param name="Unit">kg, t, L, m3, m2, pieces, pallets, hours, days, kW or kWh.</param>
/// <param name="Frequency">once, daily, weekly, monthly, quarterly, yearly or continuous.</param>
/// <param name="Latitude">WGS84 latitude (the organisation's site, sometimes a second site nearby).</param>
/// <param name="Longitude">WGS84 longitude.</param>
/// <param name="CategoryCode">Category chosen by the publisher, when they chose one.</param>
/// <param name="WasteCode">List of Waste code ("13 02 05*" for hazardous), when given.</param>
/// <param name="AvailableFrom">Start of the availability window, when given.</param>
/// <param name="AvailableTo">End of the availability window, when given (a few are already over).</param>
public sealed record GeneratedListing(string Id, string OrganisationKey, bool IsOffer, string Title, string Description,
    double? Quantity, string? Unit, string Frequency, double Latitude, double Longitude,
    string? CategoryCode, string? WasteCode, DateOnly? AvailableFrom, DateOnly? AvailableTo);

/// <summary>
/// Generates a synthetic but realistic territory for benchmarks: organisations clustered around a few towns, and
/// offers and needs written in natural French from the engine's taxonomy (keywords, labels, purposes), with varied
/// templates, conditions, quantities, frequencies and availability windows, so that texts are diverse (thousands of
/// distinct titles). Deterministic for a seed.
/// </summary>
public static class TerritoryGenerator
{
    private static readonly (string Kind, double Weight)[] OrgKinds =
    [
        ("company", 45), ("farm", 18), ("canteen", 10), ("public_body", 7), ("association", 8),
        ("collector", 5), ("composting_site", 4), ("digester", 3),
    ];

    // Category code prefixes each kind of organisation mostly publishes about (the rest is drawn from anywhere).
    private static readonly Dictionary<string, string[]> Profiles = new(StringComparer.Ordinal)
    {
        ["company"] = ["wood", "paper", "plastics", "metals", "glass", "textiles", "inert", "rubber", "packaging", "equipment",
            "space", "transport", "energy", "water", "gases", "skills", "weee", "furniture", "ash", "fats", "sludge", "goods", "hazardous"],
        ["farm"] = ["agrifood", "greenwaste", "soil", "equipment.agri", "plastics.agri", "space.land", "biowaste.produce",
            "wood.pallets", "packaging.sacks", "transport.bulk", "agrifood.manure", "agrifood.straw"],
        ["canteen"] = ["biowaste", "fats.cooking_oil", "packaging", "paper.cardboard", "glass.bottles", "equipment.kitchen", "metals.cans"],
        ["public_body"] = ["greenwaste", "space", "furniture", "weee.it", "goods.office", "paper", "inert", "sludge", "water", "hazardous.lamps"],
        ["association"] = ["textiles", "furniture", "goods", "weee", "skills", "wood.offcuts", "biowaste.food_surplus", "equipment.tools"],
        ["collector"] = ["metals", "paper", "plastics", "hazardous", "weee", "rubber.tyres", "textiles", "glass", "fats.cooking_oil", "packaging.drums"],
        ["composting_site"] = ["greenwaste", "biowaste", "soil.compost", "wood.sawdust", "greenwaste.chips"],
        ["digester"] = ["agrifood", "biowaste", "soil.digestate", "energy.heat", "fats.grease_trap", "sludge"],
    };

    // What a need may say a resource is for, by category code prefix (longest prefix wins).
    private static readonly (string Prefix, string[] Purposes)[] Purposes =
    [
        ("wood.sawdust", ["litière", "litière pour chevaux", "culture de pleurotes", "compostage"]),
        ("wood.pallets", ["fabrication de mobilier", "réemploi", "chauffage au bois"]),
        ("wood", ["fabrication de mobilier", "réemploi", "bois de chauffage", "créations en bois"]),
        ("paper.cardboard", ["calage de colis", "déménagement", "compostage", "recyclage"]),
        ("paper", ["recyclage", "compostage", "isolation en ouate"]),
        ("plastics", ["recyclage", "réemploi", "création d'objets"]),
        ("metals", ["recyclage", "ferronnerie", "réemploi"]),
        ("glass.bottles", ["réemploi", "conditionnement de jus", "conserverie"]),
        ("glass", ["recyclage", "réemploi"]),
        ("textiles", ["couture", "upcycling", "chiffons d'essuyage", "isolation"]),
        ("inert", ["remblai", "réemploi sur chantier", "aménagement paysager"]),
        ("rubber", ["recyclage", "aménagement d'aires de jeux", "réemploi"]),
        ("biowaste.bread", ["alimentation animale", "méthanisation", "fabrication de bière"]),
        ("biowaste.food_surplus", ["aide alimentaire", "épicerie solidaire", "alimentation animale"]),
        ("biowaste.coffee", ["culture de champignons", "compostage", "paillage"]),
        ("biowaste", ["compostage", "méthanisation", "alimentation animale", "lombricompostage"]),
        ("agrifood.grape_marc", ["distillation", "méthanisation", "compostage"]),
        ("agrifood.straw", ["litière", "paillage", "construction paille", "alimentation animale"]),
        ("agrifood.manure", ["fertiliser nos parcelles", "méthanisation", "compostage"]),
        ("agrifood", ["alimentation animale", "méthanisation", "compostage"]),
        ("greenwaste", ["paillage", "compostage", "méthanisation", "bois énergie"]),
        ("fats.cooking_oil", ["biocarburant", "fabrication de biodiesel", "méthanisation"]),
        ("fats", ["méthanisation", "savonnerie"]),
        ("ash", ["amendement des sols", "abrasif", "sablage"]),
        ("sludge", ["épandage", "méthanisation", "compostage"]),
        ("soil", ["fertiliser nos cultures", "maraîchage", "espaces verts"]),
        ("hazardous", ["traitement en filière agréée", "régénération", "élimination conforme"]),
        ("weee", ["réemploi", "reconditionnement", "recyclage"]),
        ("furniture", ["équiper nos locaux", "ressourcerie", "réemploi"]),
        ("packaging", ["conditionnement", "stockage", "réemploi"]),
        ("equipment", ["notre atelier", "notre chantier d'insertion", "un usage ponctuel"]),
        ("goods", ["ressourcerie", "dons aux familles", "notre atelier"]),
        ("space", ["stocker du matériel", "notre activité", "des formations"]),
        ("transport", ["livrer nos clients", "une tournée commune", "un déménagement"]),
        ("energy", ["chauffer nos serres", "notre process", "séchage de fourrage"]),
        ("water", ["irrigation", "lavage", "notre process"]),
        ("gases", ["nos serres", "gazéification de boissons"]),
        ("skills", ["notre projet", "une mission courte", "former nos équipes"]),
    ];

    private static readonly string[] Conditions =
    [
        "en bon état", "non traité", "propre", "en vrac", "trié", "sur palettes", "en big bag", "déclassé", "sans emballage",
        "de qualité", "prêt à enlever", "hors standard", "légèrement abîmé", "sec", "à enlever sur place", "stocké sous abri",
        "en lots", "de fin de série", "issu de production locale", "conditionné en caisses",
    ];

    private static readonly string[] EquipmentConditions =
        ["en bon état", "fonctionnel", "révisé", "à réparer", "peu servi", "complet", "avec notice", "à enlever sur place"];

    private static readonly string[] ServiceConditions =
        ["disponible rapidement", "à proximité", "ponctuellement", "sur le secteur", "de façon régulière", "à partager", "à mutualiser"];

    private static readonly string[] Storage = ["sous abri", "en extérieur", "en benne", "en cuve", "dans notre entrepôt", "sur palettes", "en caisses-palettes"];

    private static readonly string[] Surnames =
    [
        "Dupuy", "Lagrange", "Martin", "Bernard", "Lacoste", "Delmas", "Faure", "Roux", "Chassagne", "Veyssière", "Laborie",
        "Mazeau", "Peyrou", "Lafon", "Boisseau", "Castang", "Brousse", "Gauthier", "Teyssier", "Vidal", "Marty", "Bonnet",
        "Lacombe", "Rigal", "Fournier", "Laval", "Borie", "Couderc", "Delpech", "Fargues", "Garrigue", "Lapeyre", "Mounet",
        "Pradier", "Sicard", "Tessier", "Vergne", "Andrieux", "Bouyssou", "Cluzel",
    ];

    private static readonly string[] TownNames =
    [
        "Bergerac", "Lalinde", "Mussidan", "Eymet", "Sainte-Foy-la-Grande", "Issigeac", "Le Buisson", "Villeréal",
        "Castillonnès", "Monpazier", "Ribérac", "Vergt", "Sigoulès", "Saint-Astier", "Beaumont", "Duras", "Miramont",
        "Le Fleix", "Creysse", "Prigonrieux", "Gardonne", "Montpon", "Villamblard", "Lamonzie",
    ];

    private static readonly string[] Trades =
    [
        "Menuiserie", "Scierie", "Imprimerie", "Garage", "Carrosserie", "Boulangerie", "Brasserie", "Cave", "Conserverie",
        "Fromagerie", "Tonnellerie", "Serrurerie", "Métallerie", "Plasturgie", "Maçonnerie", "Transports", "Laboratoire",
        "Torréfaction", "Atelier", "Négoce", "Jardinerie", "Papeterie", "Chaudronnerie", "Pépinière",
    ];

    private static readonly string[] Places = ["Coteaux", "Vignes", "Prés", "Chênes", "Bories", "Fontaines", "Granges", "Landes", "Moulins", "Pins"];

    /// <summary>Generates a territory.</summary>
    /// <param name="listings">Number of listings.</param>
    /// <param name="seed">Random seed (same seed, same territory).</param>
    /// <param name="centerLatitude">Latitude of the territory's centre.</param>
    /// <param name="centerLongitude">Longitude of the territory's centre.</param>
    /// <param name="radiusKm">Every point lies within this distance of the centre.</param>
    public static (IReadOnlyList<GeneratedOrganisation> Organisations, IReadOnlyList<GeneratedListing> Listings) Generate(
        int listings, int seed = 42, double centerLatitude = 44.85, double centerLongitude = 0.48, double radiusKm = 60)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(listings);
        var rng = new Random(seed);
        var categories = Taxonomy.Default.Categories;
        var resourceCats = Enumerable.Range(0, categories.Count).Where(i => categories[i].Kind != CategoryKind.Use).ToArray();

        // Towns: the main one at the centre, the others spread inside the radius, with Zipf-like weights.
        var townCount = Math.Min(TownNames.Length, 12);
        var towns = new (string Name, double Lat, double Lon, double Weight)[townCount];
        for (var t = 0; t < townCount; t++)
        {
            var (lat, lon) = t == 0 ? (centerLatitude, centerLongitude) : Offset(rng, centerLatitude, centerLongitude, radiusKm * 0.85);
            towns[t] = (TownNames[t], lat, lon, 1.0 / (t + 1));
        }

        var orgCount = Math.Max(1, (int)Math.Round(listings / 8.0));
        var orgs = new List<GeneratedOrganisation>(orgCount);
        var orgTown = new string[orgCount];
        var usedNames = new HashSet<string>(StringComparer.Ordinal);
        for (var o = 0; o < orgCount; o++)
        {
            var kind = Pick(rng, OrgKinds);
            var town = Pick(rng, towns.Select(t => (t, t.Weight)).ToArray());
            // Sites are spread around the town (σ ≈ 4 km), some farther out in the countryside; always inside the radius.
            var spread = kind is "farm" or "composting_site" or "digester" ? 9.0 : 4.0;
            double lat, lon;
            do
            {
                lat = town.Lat + (Gaussian(rng) * spread / 111.2);
                lon = town.Lon + (Gaussian(rng) * spread / (111.2 * Math.Cos(town.Lat * Math.PI / 180)));
            }
            while (Km(centerLatitude, centerLongitude, lat, lon) > radiusKm);

            var name = OrgName(rng, kind, town.Name);
            for (var n = 2; !usedNames.Add(name); n++)
            {
                name = OrgName(rng, kind, town.Name) + (n > 4 ? " " + n.ToString(CultureInfo.InvariantCulture) : string.Empty);
            }

            var authorised = kind == "collector" && rng.NextDouble() < 0.4;
            orgs.Add(new GeneratedOrganisation($"org-{o + 1:D5}", name, kind, Math.Round(lat, 5), Math.Round(lon, 5), authorised));
            orgTown[o] = town.Name;
        }

        // Organisations publish unevenly: a few are very active (cumulative weights for a binary-search draw).
        var orgCumulative = new double[orgCount];
        double cumulated = 0;
        for (var o = 0; o < orgCount; o++)
        {
            cumulated += 0.3 + (rng.NextDouble() * rng.NextDouble() * 3);
            orgCumulative[o] = cumulated;
        }

        var profileCats = Profiles.ToDictionary(
            kv => kv.Key,
            kv => resourceCats.Where(c => kv.Value.Any(p => categories[c].Code == p || categories[c].Code.StartsWith(p + ".", StringComparison.Ordinal))).ToArray(),
            StringComparer.Ordinal);
        var baseDate = new DateOnly(2026, 3, 1);
        var result = new List<GeneratedListing>(listings);
        for (var l = 0; l < listings; l++)
        {
            var oi = PickCumulative(rng, orgCumulative);
            var org = orgs[oi];
            var takes = org.Kind is "collector" or "composting_site" or "digester";
            var isOffer = rng.NextDouble() < (takes ? 0.3 : 0.6);
            int cat;
            var attempts = 0;
            do
            {
                var pool = rng.NextDouble() < 0.8 ? profileCats[org.Kind] : resourceCats;
                cat = pool[rng.Next(pool.Length)];
                attempts++;
            }
            // Hazardous waste is offered by producers and sought by collectors only, and stays rare.
            while (attempts < 20 && categories[cat].Hazardous &&
                   (isOffer ? org.Kind is "collector" or "association" || rng.NextDouble() < 0.6 : org.Kind != "collector"));

            var category = categories[cat];
            var keyword = Keyword(rng, category);
            var frequency = Frequency(rng, category);
            var (quantity, unit) = Quantity(rng, category);
            var purpose = PurposeFor(rng, category.Code);
            var title = isOffer ? OfferTitle(rng, category, keyword, frequency, quantity, unit) : NeedTitle(rng, category, keyword, purpose, org);
            var description = Description(rng, isOffer, category, keyword, purpose, frequency, quantity, unit, orgTown[oi], org.Kind);

            string? categoryCode = rng.NextDouble() < 0.3 ? category.Code : null;
            string? wasteCode = null;
            if (category.WasteCodes.Count > 0 && (category.Hazardous ? rng.NextDouble() < 0.7 : rng.NextDouble() < 0.2))
            {
                wasteCode = category.WasteCodes[rng.Next(category.WasteCodes.Count)] + (category.Hazardous ? "*" : string.Empty);
            }

            DateOnly? from = null, to = null;
            if (rng.NextDouble() < 0.18)
            {
                from = baseDate.AddDays(rng.Next(-150, 200));
                to = from.Value.AddDays(rng.Next(14, 240));
            }

            var (lat, lon) = rng.NextDouble() < 0.1
                ? (Math.Round(org.Latitude + (Gaussian(rng) * 0.01), 5), Math.Round(org.Longitude + (Gaussian(rng) * 0.014), 5))
                : (org.Latitude, org.Longitude);
            result.Add(new GeneratedListing($"L{l + 1:D6}", org.Key, isOffer, title, description, quantity, unit, frequency,
                lat, lon, categoryCode, wasteCode, from, to));
        }

        return (orgs, result);
    }

    private static string Keyword(Random rng, Category c)
    {
        // Most people name the thing with a common word; some use the category label.
        if (rng.NextDouble() < 0.15)
        {
            return Lower(c.LabelFr);
        }

        var kws = c.KeywordsFr.Where(k => k.Length > 3).ToArray();
        return kws.Length == 0 ? Lower(c.LabelFr) : kws[rng.Next(kws.Length)];
    }

    private static string Condition(Random rng, Category c)
    {
        var pool = c.Kind switch
        {
            CategoryKind.Material => Conditions,
            CategoryKind.Equipment => EquipmentConditions,
            _ => ServiceConditions,
        };
        return pool[rng.Next(pool.Length)];
    }

    private static string OfferTitle(Random rng, Category c, string kw, string frequency, double? quantity, string? unit)
    {
        var cond = Condition(rng, c);
        var k = Upper(kw);
        return rng.Next(14) switch
        {
            0 => k,
            1 => $"{k} {cond}",
            2 => $"{k} à donner",
            3 => $"{k} à céder, {cond}",
            4 => $"Lot de {kw} {cond}",
            5 => $"Surplus de {kw}",
            6 => $"Stock de {kw} {cond}",
            7 => $"{k} disponible {FrequencyAdverb(frequency)}",
            8 => $"Donne {kw} {cond}",
            9 => $"Vends {kw} à petit prix",
            10 => quantity is { } q ? $"{k} – {Amount(q, unit, frequency)}" : $"{k} en quantité",
            11 => $"{k} issu de notre activité",
            12 => $"Cède {kw} {cond}",
            _ => $"{k} {cond}, {FrequencyAdverb(frequency)}",
        };
    }

    private static string NeedTitle(Random rng, Category c, string kw, string? purpose, GeneratedOrganisation org)
    {
        var cond = Condition(rng, c);
        var p = purpose ?? "notre activité";
        return rng.Next(12) switch
        {
            0 => $"Recherche {kw}",
            1 => $"Recherche {kw} pour {p}",
            2 => $"Cherche {kw} {cond}",
            3 => $"Besoin de {kw}",
            4 => $"{Actor(org.Kind)} cherche {kw}",
            5 => $"Nous recherchons {kw} en quantité régulière",
            6 => $"Achat de {kw}",
            7 => org.Kind == "collector" ? $"Collecte de {kw}" : $"Récupère {kw} {cond}",
            8 => $"{Actor(org.Kind)} cherche {kw} pour {p}",
            9 => $"Besoin régulier de {kw} pour {p}",
            10 => $"Recherche matière pour {p} : {kw}",
            _ => $"Reprise de {kw}",
        };
    }

    private static string Description(Random rng, bool isOffer, Category c, string kw, string? purpose, string frequency,
        double? quantity, string? unit, string town, string orgKind)
    {
        var parts = new List<string>(4);
        if (quantity is { } q)
        {
            parts.Add(rng.Next(3) switch
            {
                0 => $"Environ {Amount(q, unit, frequency)}.",
                1 => isOffer ? $"Nous produisons {Amount(q, unit, frequency)}." : $"Besoin d'environ {Amount(q, unit, frequency)}.",
                _ => $"Volume : {Number(q)} {UnitFr(unit)} ({FrequencyWord(frequency)}).",
            });
        }

        if (isOffer)
        {
            parts.Add(rng.Next(5) switch
            {
                0 => $"Issu de notre activité {De(Activity(rng, orgKind))}.",
                1 => $"Il s'agit de {Lower(c.LabelFr)}, {Condition(rng, c)}.",
                2 => $"Stockage {Storage[rng.Next(Storage.Length)]}.",
                3 => $"{Upper(kw)} {Condition(rng, c)}, idéal pour {purpose ?? "réemploi"}.",
                _ => "Matière disponible rapidement.",
            });
        }
        else
        {
            parts.Add(rng.Next(5) switch
            {
                0 => $"Ce sera utilisé pour {purpose ?? "notre activité"} ({kw}).",
                1 => $"Besoin régulier, contrat possible avec un fournisseur local.",
                2 => $"Nous cherchons {Lower(c.LabelFr)} pour {purpose ?? "notre activité"}.",
                3 => $"Notre structure ({Activity(rng, orgKind)}) peut venir chercher sur place.",
                _ => $"Toute quantité étudiée, même ponctuelle.",
            });
        }

        if (rng.NextDouble() < 0.6)
        {
            parts.Add(rng.Next(6) switch
            {
                0 => "Enlèvement possible du lundi au vendredi.",
                1 => $"À récupérer sur place à {town}.",
                2 => $"Livraison possible dans un rayon de {5 * rng.Next(2, 9)} km.",
                3 => "Accès poids lourds.",
                4 => "Chargement au chariot élévateur possible.",
                _ => $"Secteur de {town}.",
            });
        }

        if (rng.NextDouble() < 0.25)
        {
            parts.Add(rng.Next(3) switch
            {
                0 => "Contactez-nous pour organiser une visite.",
                1 => "Démarche d'économie circulaire du territoire.",
                _ => "Photos sur demande.",
            });
        }

        return string.Join(' ', parts);
    }

    private static string? PurposeFor(Random rng, string code)
    {
        foreach (var (prefix, purposes) in Purposes)
        {
            if (code == prefix || code.StartsWith(prefix + ".", StringComparison.Ordinal))
            {
                return purposes[rng.Next(purposes.Length)];
            }
        }

        return null;
    }

    private static string Frequency(Random rng, Category c)
    {
        (string, double)[] weights = c.Kind switch
        {
            CategoryKind.Energy or CategoryKind.Water or CategoryKind.Gas => [("continuous", 5), ("daily", 1), ("monthly", 1), ("yearly", 1)],
            CategoryKind.Equipment or CategoryKind.Space => [("once", 6), ("monthly", 1), ("yearly", 1), ("continuous", 1)],
            CategoryKind.Skill or CategoryKind.Transport => [("once", 3), ("weekly", 2), ("monthly", 2)],
            _ when c.Code.StartsWith("biowaste", StringComparison.Ordinal) => [("daily", 4), ("weekly", 4), ("monthly", 1), ("once", 1)],
            _ => [("once", 3), ("weekly", 2), ("monthly", 3), ("quarterly", 1), ("yearly", 2), ("daily", 1), ("continuous", 0.5)],
        };
        return Pick(rng, weights);
    }

    private static (double? Quantity, string? Unit) Quantity(Random rng, Category c)
    {
        if (rng.NextDouble() < 0.2)
        {
            return (null, null); // many people give no quantity
        }

        (string Unit, double Min, double Max)[] options = c.Kind switch
        {
            CategoryKind.Energy => [("kW", 10, 1000), ("kWh", 1000, 500_000)],
            CategoryKind.Water => [("m3", 1, 500), ("L", 100, 20_000)],
            CategoryKind.Gas => [("kg", 10, 5000), ("t", 1, 50)],
            CategoryKind.Space => [("m2", 20, 5000)],
            CategoryKind.Skill => [("hours", 2, 200), ("days", 1, 60)],
            CategoryKind.Transport => [("hours", 2, 100), ("days", 1, 30), ("pallets", 1, 33)],
            CategoryKind.Equipment => [("pieces", 1, 50), ("pallets", 1, 10)],
            _ when c.Code.StartsWith("wood.pallets", StringComparison.Ordinal) => [("pieces", 10, 500), ("pallets", 5, 300)],
            _ when c.Code is "fats.cooking_oil" or "hazardous.oils" or "hazardous.solvents" or "agrifood.whey" => [("L", 20, 5000), ("m3", 1, 50)],
            _ when c.Code.StartsWith("furniture", StringComparison.Ordinal) || c.Code.StartsWith("weee", StringComparison.Ordinal) || c.Code.StartsWith("goods", StringComparison.Ordinal) => [("pieces", 1, 300), ("pallets", 1, 20)],
            _ => [("kg", 5, 2000), ("t", 0.5, 200), ("m3", 1, 300), ("pallets", 1, 40), ("pieces", 10, 1000)],
        };
        var (unit, min, max) = options[rng.Next(options.Length)];
        // Log-uniform: small amounts are more common than large ones.
        var v = Math.Exp(Math.Log(min) + (rng.NextDouble() * (Math.Log(max) - Math.Log(min))));
        if (unit is "pieces" or "pallets")
        {
            return (Math.Max(1, Math.Round(v)), unit); // whole pieces and pallets
        }

        v = v >= 100 ? Math.Round(v / 10) * 10 : v >= 10 ? Math.Round(v) : Math.Round(v, 1);
        return (v, unit);
    }

    private static string OrgName(Random rng, string kind, string town)
    {
        var surname = Surnames[rng.Next(Surnames.Length)];
        var place = Places[rng.Next(Places.Length)];
        return kind switch
        {
            "company" => rng.Next(3) switch
            {
                0 => $"{Trades[rng.Next(Trades.Length)]} {surname}",
                1 => $"{Trades[rng.Next(Trades.Length)]} de {town}",
                _ => $"{Trades[rng.Next(Trades.Length)]} {surname} et fils",
            },
            "farm" => rng.Next(3) switch
            {
                0 => $"GAEC des {place}",
                1 => $"EARL {surname}",
                _ => $"Ferme {surname}",
            },
            "canteen" => rng.Next(3) switch
            {
                0 => $"Cantine scolaire de {town}",
                1 => $"Restaurant {surname}",
                _ => $"Cuisine centrale {place}",
            },
            "public_body" => rng.Next(2) == 0 ? $"Mairie de {town}" : $"Communauté de communes des {place}",
            "association" => rng.Next(3) switch
            {
                0 => $"Ressourcerie des {place}",
                1 => $"Association {surname} Solidarité",
                _ => $"Atelier d'insertion de {town}",
            },
            "collector" => rng.Next(2) == 0 ? $"{surname} Recyclage" : $"Collecte {place} Environnement",
            "composting_site" => $"Plateforme de compostage de {town}",
            _ => rng.Next(2) == 0 ? $"Méthanisation des {place}" : $"SAS Biogaz {surname}",
        };
    }

    private static string Actor(string kind) => kind switch
    {
        "farm" => "Éleveur",
        "canteen" => "Restaurant",
        "public_body" => "Commune",
        "association" => "Association",
        "collector" => "Collecteur agréé",
        "composting_site" => "Plateforme de compostage",
        "digester" => "Unité de méthanisation",
        _ => "Entreprise",
    };

    private static string Activity(Random rng, string kind)
    {
        string[] a = kind switch
        {
            "farm" => ["élevage", "maraîchage", "viticulture", "grandes cultures"],
            "canteen" => ["restauration collective", "restauration"],
            "public_body" => ["entretien des espaces verts", "services techniques"],
            "association" => ["réemploi solidaire", "insertion"],
            "collector" => ["collecte et tri", "regroupement"],
            "composting_site" => ["compostage", "broyage de végétaux"],
            "digester" => ["méthanisation", "production de biogaz"],
            _ => ["production", "menuiserie", "imprimerie", "négoce", "transformation alimentaire", "mécanique", "logistique"],
        };
        return a[rng.Next(a.Length)];
    }

    private static string Amount(double q, string? unit, string frequency) =>
        $"{Number(q)} {UnitFr(unit)} {FrequencyPer(frequency)}".TrimEnd();

    /// <summary>"de" with elision before a vowel or a mute h ("d'entretien", "de menuiserie").</summary>
    private static string De(string s) => s.Length > 0 && "aeéèêiîouh".Contains(char.ToLowerInvariant(s[0]), StringComparison.Ordinal) ? "d'" + s : "de " + s;

    private static string FrequencyAdverb(string f) => f switch
    {
        "daily" => "tous les jours",
        "weekly" => "chaque semaine",
        "monthly" => "chaque mois",
        "quarterly" => "chaque trimestre",
        "yearly" => "chaque année",
        "continuous" => "en continu",
        _ => "une seule fois",
    };

    private static string FrequencyPer(string f) => f switch
    {
        "daily" => "par jour",
        "weekly" => "par semaine",
        "monthly" => "par mois",
        "quarterly" => "par trimestre",
        "yearly" => "par an",
        "continuous" => "en continu",
        _ => string.Empty,
    };

    private static string FrequencyWord(string f) => f switch
    {
        "daily" => "quotidien",
        "weekly" => "hebdomadaire",
        "monthly" => "mensuel",
        "quarterly" => "trimestriel",
        "yearly" => "annuel",
        "continuous" => "continu",
        _ => "ponctuel",
    };

    private static string UnitFr(string? unit) => unit switch
    {
        "pieces" => "pièces",
        "pallets" => "palettes",
        "hours" => "heures",
        "days" => "jours",
        "m3" => "m³",
        "m2" => "m²",
        null => string.Empty,
        _ => unit,
    };

    private static string Number(double v) => v.ToString("#,0.#", CultureInfo.GetCultureInfo("fr-FR")).Replace('\u202f', ' ').Replace('\u00a0', ' ');

    private static string Upper(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static string Lower(string s) => s.Length > 1 && char.IsUpper(s[0]) && !char.IsUpper(s[1]) ? char.ToLowerInvariant(s[0]) + s[1..] : s;

    private static T Pick<T>(Random rng, (T Item, double Weight)[] items)
    {
        var total = items.Sum(i => i.Weight);
        var r = rng.NextDouble() * total;
        foreach (var (item, w) in items)
        {
            r -= w;
            if (r < 0)
            {
                return item;
            }
        }

        return items[^1].Item;
    }

    private static int PickCumulative(Random rng, double[] cumulative)
    {
        var r = rng.NextDouble() * cumulative[^1];
        var idx = Array.BinarySearch(cumulative, r);
        return Math.Min(idx < 0 ? ~idx : idx + 1, cumulative.Length - 1);
    }

    private static (double Lat, double Lon) Offset(Random rng, double lat, double lon, double maxKm)
    {
        var d = maxKm * Math.Sqrt(rng.NextDouble());
        var bearing = rng.NextDouble() * 2 * Math.PI;
        return (lat + (d * Math.Cos(bearing) / 111.2), lon + (d * Math.Sin(bearing) / (111.2 * Math.Cos(lat * Math.PI / 180))));
    }

    private static double Gaussian(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static double Km(double lat1, double lon1, double lat2, double lon2)
    {
        var dLat = (lat2 - lat1) * Math.PI / 180;
        var dLon = (lon2 - lon1) * Math.PI / 180;
        var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) +
                (Math.Cos(lat1 * Math.PI / 180) * Math.Cos(lat2 * Math.PI / 180) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * 6371.0088 * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}
