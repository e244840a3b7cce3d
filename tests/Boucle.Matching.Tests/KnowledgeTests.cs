using Boucle.Matching.Classification;
using Boucle.Matching.Knowledge;

namespace Boucle.Matching.Tests;

public sealed class KnowledgeTests
{
    [Fact]
    public void List_of_waste_has_842_entries_408_hazardous()
    {
        Assert.Equal(842, ListOfWaste.Entries.Count);
        Assert.Equal(408, ListOfWaste.Entries.Count(e => e.Hazardous));
    }

    [Theory]
    [InlineData("150103", "15 01 03", false, "15")]
    [InlineData("13 02 05*", "13 02 05", true, "13")]
    [InlineData("20-01-08", "20 01 08", false, "20")]
    public void Waste_codes_are_found_in_any_spelling(string input, string code, bool hazardous, string chapter)
    {
        var e = ListOfWaste.Find(input);
        Assert.NotNull(e);
        Assert.Equal(code, e.Code);
        Assert.Equal(hazardous, e.Hazardous);
        Assert.Equal(chapter, e.ChapterCode);
        Assert.False(string.IsNullOrWhiteSpace(e.LabelFr));
        Assert.False(string.IsNullOrWhiteSpace(e.LabelEn));
    }

    [Theory]
    [InlineData("99 99 99")]
    [InlineData("15 01")]
    [InlineData(null)]
    public void Unknown_codes_are_null(string? code) => Assert.Null(ListOfWaste.Find(code));

    [Fact]
    public void Taxonomy_is_a_tree_with_known_waste_codes()
    {
        var t = Taxonomy.Default;
        Assert.True(t.Categories.Count > 100);
        Assert.Equal(t.Categories.Count, t.Categories.Select(c => c.Code).Distinct().Count());
        var seen = new HashSet<string>();
        foreach (var c in t.Categories)
        {
            Assert.True(c.Parent is null || seen.Contains(c.Parent), $"{c.Code}: parent listed first");
            seen.Add(c.Code);
            Assert.False(string.IsNullOrWhiteSpace(c.LabelFr));
            Assert.False(string.IsNullOrWhiteSpace(c.LabelEn));
            Assert.All(c.WasteCodes, w => Assert.NotNull(ListOfWaste.Find(w)));
        }

        foreach (var p in t.Pathways)
        {
            Assert.NotNull(t.Find(p.From));
            Assert.NotNull(t.Find(p.To));
            Assert.InRange(p.Rank, 1, 4);
        }
    }

    [Theory]
    [InlineData("Palettes bois cassées", "", "wood.pallets", "15 01 03")]
    [InlineData("Cagettes en bois", "Cageots de fruits", "wood.crates", "15 01 03")]
    [InlineData("Marc de café", "café moulu usagé", "biowaste.coffee", "20 01 08")]
    [InlineData("Drêches de brasserie", "", "agrifood.spent_grain", null)]
    [InlineData("Calcin de verre", "débris de verre trié", "glass", "15 01 07")]
    [InlineData("Pneus usagés", "pneumatiques de tracteurs", "rubber.tyres", "16 01 03")]
    [InlineData("Polystyrène expansé", "calages PSE", "plastics.eps", "15 01 02")]
    [InlineData("Film étirable", "films plastiques de palettisation", "plastics.film", "15 01 02")]
    [InlineData("Ferraille", "chutes d'acier et de fer", "metals.ferrous", "12 01 01")]
    [InlineData("Chutes de cuivre", "câbles dénudés", "metals.nonferrous", null)]
    [InlineData("Gravats de béton", "démolition", "inert.concrete", null)]
    [InlineData("Plaques de plâtre", "chutes de placo", "inert.plaster", "17 08 02")]
    [InlineData("Lactosérum", "petit-lait de fromagerie", "agrifood.whey", "02 05 01")]
    [InlineData("Paille de blé", "bottes", "agrifood.straw", null)]
    [InlineData("Fumier de cheval", "", "agrifood.manure", "02 01 06")]
    [InlineData("Tontes de gazon", "", "greenwaste.grass", "20 02 01")]
    [InlineData("Huiles de friture usagées", "", "fats.cooking_oil", "20 01 25")]
    [InlineData("Cendres de chaudière bois", "", "ash.wood", null)]
    [InlineData("Boues de station d'épuration", "", "sludge", "19 08 05")]
    [InlineData("Ordinateurs portables", "écrans et claviers", "weee.it", null)]
    [InlineData("Mobilier de bureau", "chaises et armoires", "furniture", "20 03 07")]
    [InlineData("Cuves IBC 1000 litres", "", "packaging.ibc", null)]
    [InlineData("Big bags", "", "packaging.bigbags", null)]
    [InlineData("Entrepôt disponible", "surface de stockage", "space.storage", null)]
    [InlineData("Salle de réunion", "", "space.rooms", null)]
    [InlineData("Camion frigorifique", "transport réfrigéré", "transport.refrigerated", null)]
    [InlineData("Chaleur fatale", "eau chaude de process", "energy.heat", null)]
    [InlineData("CO2 de fermentation", "", "gases.co2", null)]
    [InlineData("Soudeur disponible", "soudure TIG", "skills.trades", null)]
    [InlineData("Compost normé", "", "soil.compost", "19 05 03")]
    [InlineData("Digestat de méthanisation", "", "soil.digestate", null)]
    [InlineData("Chutes de tissu", "coupons de coton", "textiles.offcuts", null)]
    [InlineData("Coquilles de noix", "", "agrifood.shells", null)]
    [InlineData("Tourteaux de tournesol", "", "agrifood.oilcake", null)]
    [InlineData("Fruits hors calibre", "pommes déclassées", "biowaste.produce", null)]
    public void Classifier_suggests_category_and_waste_code(string title, string description, string category, string? wasteCode)
    {
        var c = ListingClassifier.Default.Classify(title, description);
        Assert.NotEmpty(c.Categories);
        Assert.Equal(category, c.Categories[0].Code);
        Assert.InRange(c.Categories[0].Confidence, 0.01, 1);
        if (wasteCode is not null)
        {
            Assert.Equal(wasteCode, c.WasteCode);
        }
    }

    [Theory]
    [InlineData("Solvants usagés", "acétone et diluant", true)]
    [InlineData("Huiles de vidange", "huile moteur usagée", true)]
    [InlineData("Restes de peinture", "pots entamés", true)]
    [InlineData("Batteries au plomb", "", true)]
    [InlineData("Plaques en fibrociment", "amiante probable", true)]
    [InlineData("Tubes fluorescents", "néons", true)]
    [InlineData("Emballages souillés", "bidons de produits chimiques", true)]
    [InlineData("Huiles de friture usagées", "", false)]
    [InlineData("Palettes bois", "non traité", false)]
    [InlineData("Ordinateurs portables réformés", "", false)]
    [InlineData("Compost", "", false)]
    public void Hazard_flag_follows_the_stream(string title, string description, bool hazardous)
    {
        var c = ListingClassifier.Default.Classify(title, description);
        Assert.Equal(hazardous, c.Hazardous);
        Assert.Equal(hazardous, c.HazardReason is not null);
    }
}
