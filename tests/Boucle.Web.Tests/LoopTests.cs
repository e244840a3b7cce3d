using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Boucle.Web.Data;
using Boucle.Web.Features.Accounts;
using Boucle.Web.Features.Exchanges;
using Boucle.Web.Features.Loop;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Territories;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Boucle.Web.Tests;

/// The organic loop: records, indicators, imports, the API and who may see what. Each test builds its
/// own small territory, so the demo's loop does not change the hand-computed figures.
public abstract class LoopTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    private static readonly ActorInfo Administrator = new(null, "Test", true, [], [], null);

    [Fact]
    public async Task Loop_and_canteen_indicators_match_a_hand_computed_example()
    {
        var w = await WorldAsync();
        await app.ScopedAsync(async db =>
        {
            var writer = new LoopWriter(db, TimeProvider.System);
            db.Set<CanteenProfile>().Add(new CanteenProfile { OrganisationId = w.CanteenA, Sector = CanteenSector.School, MealsPerDay = 3500, MealsPerYear = 100_000, UpdatedAt = DateTime.UtcNow });
            db.Set<CanteenProfile>().Add(new CanteenProfile { OrganisationId = w.CanteenB, Sector = CanteenSector.Health, MealsPerDay = 200, MealsPerYear = 70_000, UpdatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();

            // Campaigns: A 50 kg for 500 meals (5 + 17 + 28 kg, not sorted), A 35 kg for 500 meals, B 30 kg for 200 meals.
            await AddMeasurementAsync(db, writer, w.CanteenA, new MeasurementForm { PeriodStart = "2026-01-05", PeriodEnd = "2026-01-09", MealCount = "500", PreparationTotal = "5", UnservedTotal = "17", LeftoversTotal = "28" });
            await AddMeasurementAsync(db, writer, w.CanteenA, new MeasurementForm { PeriodStart = "2026-05-04", PeriodEnd = "2026-05-08", MealCount = "500", TotalMass = "35", PreparationTotal = "3", UnservedTotal = "12", LeftoversTotal = "20", LeftoversEdible = "17", LeftoversInedible = "3" });
            await AddMeasurementAsync(db, writer, w.CanteenB, new MeasurementForm { PeriodStart = "2026-02-02", PeriodEnd = "2026-02-06", MealCount = "200", TotalMass = "30" });

            // Transfers to the composting site, recorded by an administrator (they count at once): A 3 t, B 1 t, green waste 4 t.
            await AddTransferAsync(db, writer, w.CanteenA, w.Site, "3000", "KitchenWaste");
            await AddTransferAsync(db, writer, w.CanteenB, w.Site, "1000", "KitchenWaste");
            await AddTransferAsync(db, writer, w.Gardener, w.Site, "4000", "GreenWaste");

            // The site turned 8 t into 3.2 t of compost and spread 1.6 t at F1 (0.2 ha) and 0.8 t at F2 (0.05 ha).
            db.Set<TreatmentOutput>().Add((await writer.OutputAsync(new OutputForm { SiteOrganisationId = Id(w.Site), PeriodStart = "2026-01-01", PeriodEnd = "2026-06-30", InputT = "8", Product = "Compost", OutputT = "3.2", Standard = "NfU44051" }, Administrator, default)).Value!);
            var d1 = (await writer.DeliveryAsync(new DeliveryForm { Date = "2026-04-15", FromOrganisationId = Id(w.Site), ToOrganisationId = Id(w.Farm1), Product = "Compost", MassT = "1.6", AreaHa = "0.2" }, Administrator, default)).Value!;
            var d2 = (await writer.DeliveryAsync(new DeliveryForm { Date = "2026-04-16", FromOrganisationId = Id(w.Site), ToOrganisationId = Id(w.Farm2), Product = "Compost", MassT = "0.8", AreaHa = "0.05" }, Administrator, default)).Value!;
            db.Set<FarmDelivery>().AddRange(d1, d2);

            // A's purchases in 2026: 2,500 € in all.
            var canteenA = await db.Organisations.SingleAsync(o => o.Id == w.CanteenA);
            foreach (var p in new[]
            {
                new PurchaseForm { Date = "2026-03-10", Description = "Bœuf", Supplier = "Ferme 1", PriceHt = "500", Family = "VIANDES_VOLAILLES", Labels = ["BIO,LABEL_ROUGE"] },
                new PurchaseForm { Date = "2026-03-11", Description = "Poulet", Supplier = "Grossiste", PriceHt = "500", Family = "VIANDES_VOLAILLES" },
                new PurchaseForm { Date = "2026-03-12", Description = "Légumes", Supplier = "Ferme 1", PriceHt = "300", Family = "FRUITS_ET_LEGUMES", Labels = ["HVE"], QuantityKg = "100", SupplierOrganisationId = Id(w.Farm1) },
                new PurchaseForm { Date = "2026-03-13", Description = "Fruits", Supplier = "Grossiste", PriceHt = "700", Family = "FRUITS_ET_LEGUMES", QuantityKg = "150", SupplierOrganisationId = Id(w.Wholesaler) },
                new PurchaseForm { Date = "2026-03-14", Description = "Colin", Supplier = "Marée", PriceHt = "200", Family = "PRODUITS_DE_LA_MER", Labels = ["PECHE_DURABLE"] },
                new PurchaseForm { Date = "2026-03-15", Description = "Yaourts", Supplier = "Laiterie", PriceHt = "300", Family = "PRODUITS_LAITIERS", Labels = ["LABEL_ROUGE"] },
            })
            {
                db.Set<CanteenPurchase>().Add((await writer.PurchaseAsync(canteenA, p, default)).Value!);
            }

            await db.SaveChangesAsync();
            return 0;
        });

        var json = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/loop?territory={w.Slug}");
        Assert.Equal(2, json.GetProperty("canteens").GetInt32());
        Assert.Equal(1200, json.GetProperty("meals").GetInt32()); // 500 + 500 + 200
        Assert.Equal(95.8, json.GetProperty("waste_g_per_meal").GetDouble()); // (50 + 35 + 30) kg × 1000 / 1200 = 95.83 g
        Assert.Equal(4.0, json.GetProperty("biowaste_t").GetDouble()); // 3 + 1 t from canteens; green waste is not theirs
        Assert.Equal(3.0, json.GetProperty("returned_to_soil_t").GetDouble()); // 4 t × (2.4 t spread / 3.2 t produced)
        Assert.Equal(1.2, json.GetProperty("compost_to_farms_t").GetDouble()); // 2.4 t spread × canteen share 4 / 8 t
        var closure = json.GetProperty("closure");
        Assert.Equal(0.75, closure.GetProperty("biowaste_to_soil").GetDouble()); // 3 / 4
        Assert.Equal(0.6667, closure.GetProperty("compost_to_supplying_farms").GetDouble()); // F1 supplies A: 1.6 × 0.5 / 1.2
        Assert.Equal(0.3, closure.GetProperty("purchases_from_loop_farms_eur").GetDouble()); // 300 / (300 + 700) €
        Assert.Equal(0.4, closure.GetProperty("purchases_from_loop_farms_kg").GetDouble()); // 100 / (100 + 150) kg

        // A period without the January campaign nor the transfers (all dated today) keeps B's and A's May campaigns.
        var spring = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/loop?territory={w.Slug}&from=2026-02-01&to=2026-06-30");
        Assert.Equal(700, spring.GetProperty("meals").GetInt32()); // 500 + 200
        Assert.Equal(92.9, spring.GetProperty("waste_g_per_meal").GetDouble()); // (35 + 30) kg / 700 = 92.86 g

        var a = await app.ScopedAsync(db => new LoopIndicators(db, TimeProvider.System).CanteenAsync(w.CanteenA, null, default));
        Assert.NotNull(a);
        Assert.Equal(100, a.ReferenceGramsPerMeal); // ADEME, schools
        Assert.Equal([100.0, 70.0], a.Campaigns.Select(c => Math.Round(c.GramsPerMeal, 3))); // 50 kg / 500, 35 kg / 500
        var first = a.Campaigns[0];
        Assert.Equal(10, first.Preparation.GramsPerMeal!.Value, 6); // 5 kg / 500
        Assert.Equal(34, first.Unserved.GramsPerMeal!.Value, 6); // 17 kg / 500
        Assert.Equal(56, first.Leftovers.GramsPerMeal!.Value, 6); // 28 kg / 500
        Assert.True(first.Leftovers.InedibleEstimated);
        Assert.Equal(4.2, first.Leftovers.InedibleKg!.Value, 6); // not sorted: 15 % of 28 kg
        Assert.False(a.Campaigns[1].Leftovers.InedibleEstimated);
        Assert.Equal(3, a.Campaigns[1].Leftovers.InedibleKg!.Value, 6);
        Assert.Equal(-0.3, a.ChangeSinceFirst!.Value, 6); // 70 / 100 − 1
        Assert.Equal(50, a.TargetGramsPerMeal!.Value, 6); // half of the first campaign
        Assert.Equal(7.0, a.AnnualEstimateT!.Value, 6); // 70 g × 100,000 meals = 7 t
        var e = a.Egalim!;
        Assert.Equal(2026, e.Year);
        Assert.Equal(2500m, e.TotalHt);
        Assert.Equal(500m, e.BioHt); // the beef counts once, as organic, not also as Label Rouge
        Assert.Equal(0.2, e.BioShare!.Value, 6); // 500 / 2500
        Assert.Equal(0.52, e.EgalimShare!.Value, 6); // (500 bio + 300 LR yoghurt + 300 HVE + 200 MSC) / 2500
        Assert.Equal(0.5, e.MeatEgalimShare!.Value, 6); // 500 / 1000
        Assert.Equal(1.0, e.FishEgalimShare!.Value, 6); // 200 / 200
        var donation = a.Obligations.Single(o => o.Label.Contains("don", StringComparison.Ordinal));
        Assert.Equal(ObligationState.Missing, donation.State); // 3,500 meals a day > 3,000
        Assert.Equal(ObligationState.NotRequired, (await app.ScopedAsync(db => new LoopIndicators(db, TimeProvider.System).CanteenAsync(w.CanteenB, null, default)))!
            .Obligations.Single(o => o.Label.Contains("don", StringComparison.Ordinal)).State);

        // The 0.8 t on 0.05 ha is 16 t/ha: flagged on the flows page.
        var facilitator = await app.SignedInAsync(w.FacilitatorEmail);
        var flows = WebUtility.HtmlDecode(await facilitator.GetStringAsync("/boucle/saisie"));
        Assert.Contains("16,0 t/ha", flows, StringComparison.Ordinal);
        Assert.Contains("au-dessus de 10 t/ha", flows, StringComparison.Ordinal);
        Assert.Contains("8,0 t/ha", flows, StringComparison.Ordinal);
        var canteenPage = WebUtility.HtmlDecode(await facilitator.GetStringAsync($"/boucle/cantines/{w.CanteenA}"));
        Assert.Contains("-30 %", canteenPage, StringComparison.Ordinal);
        Assert.Contains("estimation : 15 % non comestible", canteenPage, StringComparison.Ordinal);
        var publicPage = WebUtility.HtmlDecode(await app.CreateClient().GetStringAsync($"/boucle?territoire={w.Slug}"));
        Assert.Contains("75 %", publicPage, StringComparison.Ordinal);
        Assert.Contains("data-sankey", publicPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Weighing_periods_of_one_canteen_never_overlap()
    {
        var w = await WorldAsync();
        var member = await app.SignedInAsync(w.CanteenMemberEmail);
        var url = $"/boucle/cantines/{w.CanteenA}/pesee";
        var first = await BoucleApp.PostFormAsync(member, url, Weighing("2026-03-02", "2026-03-06"));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);

        // Overlapping, and touching on the last day: refused next to the start date, nothing stored.
        foreach (var (start, end) in new[] { ("2026-03-04", "2026-03-10"), ("2026-03-06", "2026-03-12"), ("2026-02-20", "2026-03-20") })
        {
            var clash = await BoucleApp.PostFormAsync(member, url, Weighing(start, end));
            var html = WebUtility.HtmlDecode(await clash.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, clash.StatusCode);
            Assert.Contains("chevauche la campagne du 02/03/2026 au 06/03/2026", html, StringComparison.Ordinal);
            Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
        }

        Assert.Equal(1, await app.ScopedAsync(db => db.Set<WasteMeasurement>().CountAsync(m => m.CanteenOrganisationId == w.CanteenA)));

        // The next day is free; an end before the start is refused by the end field.
        Assert.Equal(HttpStatusCode.Redirect, (await BoucleApp.PostFormAsync(member, url, Weighing("2026-03-07", "2026-03-13"))).StatusCode);
        var backwards = WebUtility.HtmlDecode(await (await BoucleApp.PostFormAsync(member, url, Weighing("2026-04-10", "2026-04-01"))).Content.ReadAsStringAsync());
        Assert.Contains("La date de fin doit être après la date de début.", backwards, StringComparison.Ordinal);
        Assert.Equal(2, await app.ScopedAsync(db => db.Set<WasteMeasurement>().CountAsync(m => m.CanteenOrganisationId == w.CanteenA)));
    }

    [Fact]
    public async Task A_bad_file_is_refused_with_its_errors_by_line_and_nothing_is_imported()
    {
        var w = await WorldAsync();
        var member = await app.SignedInAsync(w.CanteenMemberEmail);
        var page = $"/boucle/cantines/{w.CanteenA}";
        const string header = "siret,description,fournisseur,date,prix_ht,famille_produits,categories_egalim,origine,est_circuit_court,est_local,definition_local\n";
        var bad = header
            + $"{w.CanteenSiret},Carottes,Ferme 1,2026-03-02,120.50,FRUITS_ET_LEGUMES,BIO,FRANCE,oui,oui,AUTOUR_SERVICE\n"
            + $"{w.CanteenSiret},Pommes,Ferme 1,2026-03-03,douze,FRUITS_ET_LEGUMES,,FRANCE,,,\n"
            + $"{w.CanteenSiret},Poisson,Marée,2026-03-04,80,POISSONS,BIOLOGIQUE,,,,\n"
            + $"99999999999999,Pain,Fournil,2026-03-05,30,BOULANGERIE,,,,x,\n";
        var html = WebUtility.HtmlDecode(await (await ImportAsync(member, page, "achats", bad)).Content.ReadAsStringAsync());
        Assert.Contains("Le fichier n'a pas été importé : 5 erreurs.", html, StringComparison.Ordinal);
        Assert.Contains("Ligne 3 : prix_ht : « douze » n'est pas un nombre.", html, StringComparison.Ordinal);
        Assert.Contains("Ligne 4 : famille_produits : « POISSONS » n'est pas une valeur possible", html, StringComparison.Ordinal);
        Assert.Contains("Ligne 4 : categories_egalim : « BIOLOGIQUE » n'est pas une catégorie EGalim", html, StringComparison.Ordinal);
        Assert.Contains("Ligne 5 : siret : « 99999999999999 » n'est pas le SIRET", html, StringComparison.Ordinal);
        Assert.Contains("Ligne 5 : definition_local : Un achat local demande sa définition du local", html, StringComparison.Ordinal);
        Assert.Equal(0, await app.ScopedAsync(db => db.Set<CanteenPurchase>().CountAsync(p => p.CanteenOrganisationId == w.CanteenA)));

        // The same format with semicolons and decimal commas, plus Boucle's two columns: all rows in.
        var good = "siret;description;fournisseur;date;prix_ht;famille_produits;categories_egalim;origine;est_circuit_court;est_local;definition_local;quantite_kg;siret_fournisseur\n"
            + $"{w.CanteenSiret};Carottes;Ferme 1;2026-03-02;120,50;FRUITS_ET_LEGUMES;BIO, HVE;FRANCE;OUI;x;AUTOUR_SERVICE;60,5;{w.Farm1Siret}\n"
            + $"{w.CanteenSiret};Pommes;Grossiste;2026-03-03;80;FRUITS_ET_LEGUMES;;FRANCE;;;;40;\n";
        var ok = await ImportAsync(member, page, "achats", good);
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Contains("2 lignes importées.", WebUtility.HtmlDecode(await member.GetStringAsync(page)), StringComparison.Ordinal);
        var carrots = await app.ScopedAsync(db => db.Set<CanteenPurchase>().SingleAsync(p => p.CanteenOrganisationId == w.CanteenA && p.Description == "Carottes"));
        Assert.Equal(120.50m, carrots.PriceHt);
        Assert.Equal("BIO,HVE", carrots.Labels);
        Assert.Equal(60.5, carrots.QuantityKg);
        Assert.Equal(w.Farm1, carrots.SupplierOrganisationId);
        Assert.True(carrots.Local && carrots.ShortCircuit);

        // Weighings: two rows of one file overlapping each other refuse the file.
        var weighings = "period_start_date,period_end_date,meal_count,total_mass\n2026-01-05,2026-01-09,500,50\n2026-01-08,2026-01-12,500,40\n";
        var refused = WebUtility.HtmlDecode(await (await ImportAsync(member, page, "pesees", weighings)).Content.ReadAsStringAsync());
        Assert.Contains("Ligne 3 : period_start_date : Cette période chevauche une autre ligne du fichier", refused, StringComparison.Ordinal);
        Assert.Equal(0, await app.ScopedAsync(db => db.Set<WasteMeasurement>().CountAsync(m => m.CanteenOrganisationId == w.CanteenA)));

        // Transfers: an unknown SIRET refuses the file; the export of a good import reads back the same rows.
        var facilitator = await app.SignedInAsync(w.FacilitatorEmail);
        var transfers = "date,siret_origine,siret_destination,masse_kg,pesee,flux\n"
            + $"2026-04-01,{w.CanteenSiret},{w.SiteSiret},250,oui,KitchenWaste\n"
            + $"2026-04-02,{w.CanteenSiret},12345678901234,250,oui,KitchenWaste\n";
        var transferErrors = WebUtility.HtmlDecode(await (await ImportAsync(facilitator, "/boucle/saisie", "transferts", transfers)).Content.ReadAsStringAsync());
        Assert.Contains("Ligne 3 : siret_destination : aucune structure du territoire n'a le SIRET « 12345678901234 ».", transferErrors, StringComparison.Ordinal);
        Assert.Equal(0, await app.ScopedAsync(db => db.Set<BiowasteTransfer>().CountAsync(t => t.FromOrganisationId == w.CanteenA)));
        var good2 = transfers.Replace("12345678901234", w.SiteSiret, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await ImportAsync(facilitator, "/boucle/saisie", "transferts", good2)).StatusCode);
        var export = await facilitator.GetStringAsync("/boucle/export/transferts.csv");
        Assert.StartsWith("date,siret_origine,nom_origine,siret_destination,nom_destination,masse_kg", export, StringComparison.Ordinal);
        Assert.Contains($"2026-04-02,{w.CanteenSiret},Cantine A {w.Suffix},{w.SiteSiret},Plateforme {w.Suffix},250,oui,KitchenWaste", export, StringComparison.Ordinal);

        var deliveries = "date,siret_origine,siret_destination,produit,masse_t,surface_ha,culture\n"
            + $"2026-04-10,{w.SiteSiret},{w.Farm1Siret},compost,12,1,Poireaux\n"
            + $"2026-04-11,{w.SiteSiret},{w.Farm1Siret},fumier,2,0,Poireaux\n";
        var deliveryErrors = WebUtility.HtmlDecode(await (await ImportAsync(facilitator, "/boucle/saisie", "livraisons", deliveries)).Content.ReadAsStringAsync());
        Assert.Contains("Ligne 3 : produit : « fumier » n'est pas une valeur possible", deliveryErrors, StringComparison.Ordinal);
        Assert.Contains("Ligne 3 : surface_ha : La valeur doit être comprise entre", deliveryErrors, StringComparison.Ordinal);
        Assert.Equal(0, await app.ScopedAsync(db => db.Set<FarmDelivery>().CountAsync(d => d.FromOrganisationId == w.Site)));
    }

    [Fact]
    public async Task The_api_names_a_bad_parameter_and_defaults_to_the_main_territory()
    {
        var client = app.CreateClient();
        foreach (var (query, parameter) in new[] { ("from=2026-02-30", "from"), ("to=hier", "to"), ("from=2026-05-01&to=2026-04-01", "to"), ("territory=nulle-part", "territory") })
        {
            var response = await client.GetAsync($"/api/v1/loop?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), $"{query} should name {parameter}");
        }

        // The demo territory is the main one: three canteens with a year of records.
        var loop = await client.GetFromJsonAsync<JsonElement>("/api/v1/loop");
        Assert.Equal(3, loop.GetProperty("canteens").GetInt32());
        Assert.True(loop.GetProperty("biowaste_t").GetDouble() > 20);
        foreach (var share in loop.GetProperty("closure").EnumerateObject())
        {
            Assert.InRange(share.Value.GetDouble(), 0.01, 1);
        }

        var demo = await client.GetFromJsonAsync<JsonElement>($"/api/v1/loop?territory={DemoSeeder.TerritorySlug}&from=2026-01-01&to=2026-12-31");
        Assert.True(demo.GetProperty("meals").GetInt64() > 0);
    }

    [Fact]
    public async Task A_canteen_records_belong_to_its_members_and_the_territory_facilitators()
    {
        var w = await WorldAsync();
        var page = $"/boucle/cantines/{w.CanteenA}";
        var anonymous = app.Browser();
        var toLogin = await anonymous.GetAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        Assert.Contains("/connexion", toLogin.Headers.Location!.OriginalString, StringComparison.Ordinal);

        // A member of another organisation, and the demo territory's facilitator, are refused; nothing is written.
        foreach (var email in new[] { "menuiserie-dupuy@demo.example.org", DemoSeeder.FacilitatorEmail, w.FarmMemberEmail })
        {
            var other = await app.SignedInAsync(email);
            var denied = await other.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
            Assert.Contains("/acces-refuse", denied.Headers.Location!.OriginalString, StringComparison.Ordinal);
            var token = await BoucleApp.AntiforgeryTokenAsync(other, "/boucle/saisie");
            var post = await other.PostAsync($"{page}/pesee", new FormUrlEncodedContent(new Dictionary<string, string>(Weighing("2026-06-01", "2026-06-05")) { ["__RequestVerificationToken"] = token }));
            Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
            Assert.Contains("/acces-refuse", post.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        Assert.Equal(0, await app.ScopedAsync(db => db.Set<WasteMeasurement>().CountAsync(m => m.CanteenOrganisationId == w.CanteenA)));
        Assert.Equal(HttpStatusCode.OK, (await (await app.SignedInAsync(w.CanteenMemberEmail)).GetAsync(page)).StatusCode);
        var facilitator = await app.SignedInAsync(w.FacilitatorEmail);
        Assert.Equal(HttpStatusCode.Redirect, (await BoucleApp.PostFormAsync(facilitator, $"{page}/pesee", Weighing("2026-06-01", "2026-06-05"))).StatusCode);

        // A farm's member cannot record a transfer between two other organisations.
        var farm = await app.SignedInAsync(w.FarmMemberEmail);
        var refused = await BoucleApp.PostFormAsync(farm, "/boucle/transfert", new Dictionary<string, string>
        {
            ["Input.Date"] = "2026-06-01",
            ["Input.FromOrganisationId"] = Id(w.CanteenA),
            ["Input.ToOrganisationId"] = Id(w.Site),
            ["Input.MassKg"] = "100",
            ["Input.Stream"] = "KitchenWaste",
        });
        Assert.Contains("Vous n'agissez ni pour le producteur ni pour le site", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(0, await app.ScopedAsync(db => db.Set<BiowasteTransfer>().CountAsync(t => t.FromOrganisationId == w.CanteenA)));

        // The aggregate page is public.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/boucle?territoire={w.Slug}")).StatusCode);
    }

    [Fact]
    public async Task A_transfer_is_an_exchange_that_counts_once_both_confirm_and_a_correction_is_a_new_version()
    {
        var w = await WorldAsync();
        await app.ScopedAsync(async db =>
        {
            db.Set<CanteenProfile>().Add(new CanteenProfile { OrganisationId = w.CanteenA, Sector = CanteenSector.School, MealsPerDay = 100, MealsPerYear = 14000, UpdatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
            return 0;
        });
        var member = await app.SignedInAsync(w.CanteenMemberEmail);
        var form = new Dictionary<string, string>
        {
            ["Input.Date"] = "2026-06-01",
            ["Input.FromOrganisationId"] = Id(w.CanteenA),
            ["Input.ToOrganisationId"] = Id(w.Site),
            ["Input.MassKg"] = "420",
            ["Input.Stream"] = "KitchenWaste",
            ["Input.Weighed"] = "true",
            ["Input.TransportMode"] = "Van",
            ["Input.Carrier"] = "Collecte 24",
        };
        Assert.Equal(HttpStatusCode.Redirect, (await BoucleApp.PostFormAsync(member, "/boucle/transfert", form)).StatusCode);
        var transfer = await app.ScopedAsync(db => db.Set<BiowasteTransfer>().SingleAsync(t => t.FromOrganisationId == w.CanteenA));
        var exchange = await app.ScopedAsync(db => db.Exchanges.SingleAsync(e => e.Id == transfer.ExchangeId));
        Assert.Equal($"loop-transfer-{transfer.Id}", exchange.ExternalKey);
        Assert.Equal(("20 01 08", "composting", "biowaste.kitchen"), (exchange.WasteCode, exchange.Operation, exchange.CategoryCode));
        Assert.Equal(0.42, exchange.QuantityTonnes);
        Assert.Equal(TransportMode.Van, exchange.TransportMode);
        Assert.NotNull(exchange.DistanceKm);
        Assert.NotNull(exchange.GiverConfirmedAt);
        Assert.Null(exchange.TakerConfirmedAt);
        Assert.Equal(0, await BiowasteAsync(w.Slug)); // not confirmed by the site yet

        var site = await app.SignedInAsync(w.SiteMemberEmail);
        var flows = WebUtility.HtmlDecode(await site.GetStringAsync("/boucle/saisie"));
        Assert.Contains("en attente du site", flows, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await BoucleApp.PostFormAsync(site, "/boucle/saisie?handler=Confirm", new Dictionary<string, string> { ["transferId"] = Id(transfer.Id) }, "/boucle/saisie")).StatusCode);
        Assert.Equal(0.42, await BiowasteAsync(w.Slug));

        // The canteen corrects the mass: version 2 of the same exchange, waiting for the site again.
        form["Input.MassKg"] = "380";
        Assert.Equal(HttpStatusCode.Redirect, (await BoucleApp.PostFormAsync(member, $"/boucle/transfert?id={transfer.Id}", form)).StatusCode);
        var versions = await app.ScopedAsync(db => db.Exchanges.Where(e => e.ExternalKey == $"loop-transfer-{transfer.Id}").OrderBy(e => e.Version).ToListAsync());
        Assert.Equal([1, 2], versions.Select(v => v.Version));
        Assert.Equal(versions[1].Id, versions[0].SupersededById);
        Assert.Equal(versions[0].Id, versions[1].OriginalId);
        Assert.Equal(380, versions[1].Quantity);
        Assert.Equal(versions[1].Id, await app.ScopedAsync(db => db.Set<BiowasteTransfer>().Where(t => t.Id == transfer.Id).Select(t => t.ExchangeId).SingleAsync()));
        Assert.Equal(0, await BiowasteAsync(w.Slug));
        await BoucleApp.PostFormAsync(site, "/boucle/saisie?handler=Confirm", new Dictionary<string, string> { ["transferId"] = Id(transfer.Id) }, "/boucle/saisie");
        Assert.Equal(0.38, await BiowasteAsync(w.Slug));
        Assert.Equal(1, await app.ScopedAsync(db => db.Exchanges.Where(Exchange.Counts).CountAsync(e => e.ExternalKey == $"loop-transfer-{transfer.Id}")));
    }

    private async Task<double> BiowasteAsync(string slug) =>
        (await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/loop?territory={slug}")).GetProperty("biowaste_t").GetDouble();

    private static Dictionary<string, string> Weighing(string start, string end) => new()
    {
        ["Input.PeriodStart"] = start,
        ["Input.PeriodEnd"] = end,
        ["Input.MealCount"] = "500",
        ["Input.TotalMass"] = "45",
    };

    private static async Task<HttpResponseMessage> ImportAsync(HttpClient client, string page, string kind, string csv)
    {
        var token = await BoucleApp.AntiforgeryTokenAsync(client, page);
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(kind), "kind" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "import.csv" },
        };
        return await client.PostAsync(page + "?handler=Import", content);
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static async Task AddMeasurementAsync(AppDbContext db, LoopWriter writer, int canteen, MeasurementForm form)
    {
        var parsed = await writer.MeasurementAsync(canteen, form, [], default);
        Assert.True(parsed.Ok, string.Join(" ", parsed.Errors.SelectMany(e => e.Value)));
        db.Set<WasteMeasurement>().Add(parsed.Value!);
        await db.SaveChangesAsync();
    }

    private static async Task AddTransferAsync(AppDbContext db, LoopWriter writer, int from, int to, string kg, string stream)
    {
        var parsed = await writer.TransferAsync(new TransferForm { Date = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), FromOrganisationId = Id(from), ToOrganisationId = Id(to), MassKg = kg, Stream = stream }, Administrator, null, default);
        Assert.True(parsed.Ok, string.Join(" ", parsed.Errors.SelectMany(e => e.Value)));
        await writer.SaveTransferAsync(parsed.Value!, Administrator, confirmedByBoth: false, default);
    }

    private sealed record World(
        string Slug, string Suffix, int CanteenA, int CanteenB, int Site, int Gardener, int Farm1, int Farm2, int Wholesaler,
        string CanteenSiret, string SiteSiret, string Farm1Siret, string FacilitatorEmail, string CanteenMemberEmail, string SiteMemberEmail, string FarmMemberEmail);

    /// A small territory of its own: two canteens, a composting site, a landscaper, two farms and a wholesaler,
    /// a facilitator and one member each for canteen A, the site and farm 1.
    private Task<World> WorldAsync() =>
        app.ScopedAsync(async db =>
        {
            var suffix = Guid.NewGuid().ToString("N")[..8];
            var now = DateTime.UtcNow;
            var territory = new Territory { Slug = $"boucle-{suffix}", Name = $"Boucle test {suffix}", CenterLatitude = 44.85, CenterLongitude = 0.48, CreatedAt = now };
            db.Territories.Add(territory);
            await db.SaveChangesAsync();
            var n = 0;
            Organisation Org(string name, OrganisationKind kind)
            {
                n++;
                var o = new Organisation
                {
                    TerritoryId = territory.Id,
                    Name = $"{name} {suffix}",
                    Kind = kind,
                    Siret = $"{Math.Abs(suffix.GetHashCode(StringComparison.Ordinal)) % 100_000_000:D8}{n:D6}",
                    Latitude = 44.85 + (n * 0.01),
                    Longitude = 0.48 + (n * 0.01),
                    CreatedAt = now,
                };
                db.Organisations.Add(o);
                return o;
            }

            var a = Org("Cantine A", OrganisationKind.Canteen);
            var b = Org("Cantine B", OrganisationKind.Canteen);
            var site = Org("Plateforme", OrganisationKind.CompostingSite);
            var gardener = Org("Paysagiste", OrganisationKind.Company);
            var farm1 = Org("Ferme 1", OrganisationKind.Farm);
            var farm2 = Org("Ferme 2", OrganisationKind.Farm);
            var wholesaler = Org("Grossiste", OrganisationKind.Company);
            var hash = new PasswordHasher<AppUser>().HashPassword(null!, DemoSeeder.DemoPassword);
            AppUser User(string who)
            {
                var u = DemoSeeder.ConfirmedUser($"{who}-{suffix}@boucle-test.example.org", who, hash, now);
                db.Users.Add(u);
                return u;
            }

            var facilitator = User("animation");
            var canteenMember = User("cantine");
            var siteMember = User("plateforme");
            var farmMember = User("ferme");
            await db.SaveChangesAsync();
            db.TerritoryFacilitators.Add(new TerritoryFacilitator { TerritoryId = territory.Id, UserId = facilitator.Id, Since = now });
            db.Memberships.Add(new Membership { OrganisationId = a.Id, UserId = canteenMember.Id, Role = MemberRole.Owner, Since = now });
            db.Memberships.Add(new Membership { OrganisationId = site.Id, UserId = siteMember.Id, Role = MemberRole.Owner, Since = now });
            db.Memberships.Add(new Membership { OrganisationId = farm1.Id, UserId = farmMember.Id, Role = MemberRole.Owner, Since = now });
            canteenMember.CurrentOrganisationId = a.Id;
            siteMember.CurrentOrganisationId = site.Id;
            farmMember.CurrentOrganisationId = farm1.Id;
            await db.SaveChangesAsync();
            return new World(territory.Slug, suffix, a.Id, b.Id, site.Id, gardener.Id, farm1.Id, farm2.Id, wholesaler.Id, a.Siret!, site.Siret!, farm1.Siret!,
                facilitator.Email!, canteenMember.Email!, siteMember.Email!, farmMember.Email!);
        });
}

public sealed class LoopTestsOnSqlite(SqliteApp app) : LoopTests<SqliteApp>(app);

public sealed class LoopTestsOnPostgres(PostgresApp app) : LoopTests<PostgresApp>(app);
