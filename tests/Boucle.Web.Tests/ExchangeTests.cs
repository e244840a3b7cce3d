using System.Globalization;
using System.Net;
using Boucle.Web.Data;
using Boucle.Web.Features.Exchanges;
using Boucle.Web.Features.Reference;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Tests;

public abstract class ExchangeTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    private Task<int> OrgId(string key) => app.ScopedAsync(db => db.Organisations.Where(o => o.ExternalKey == key).Select(o => o.Id).SingleAsync());

    private Task<Exchange> ExchangeAsync(int id) => app.ScopedAsync(db => db.Exchanges.AsNoTracking().SingleAsync(x => x.Id == id));

    private static int IdFrom(HttpResponseMessage response) =>
        int.Parse(response.Headers.Location!.ToString().Split('/')[^1], CultureInfo.InvariantCulture);

    private async Task<Dictionary<string, string>> FormAsync(string giver, string taker, Dictionary<string, string>? overrides = null)
    {
        var form = new Dictionary<string, string>
        {
            ["Input.Giver"] = $"{await OrgId(giver)}",
            ["Input.Taker"] = $"{await OrgId(taker)}",
            ["Input.Quantity"] = "1,5",
            ["Input.Unit"] = "T",
            ["Input.Date"] = "2026-03-10",
            ["Input.Operation"] = "R3",
            ["Input.TransportMode"] = "Truck",
            ["Input.PriceEur"] = "0",
            ["Input.AvoidedCostEur"] = "180",
        };
        foreach (var (k, v) in overrides ?? [])
        {
            form[k] = v;
        }

        return form;
    }

    private static Task<HttpResponseMessage> PostNewAsync(HttpClient client, Dictionary<string, string> form) =>
        BoucleApp.PostFormAsync(client, "/echanges/nouveau", form);

    [Fact]
    public async Task The_giver_records_and_the_taker_confirms_then_it_counts()
    {
        var giver = await app.SignedInAsync("scierie-delmas@demo.example.org");
        var taker = await app.SignedInAsync("hotel-clos-des-pruniers@demo.example.org");
        var recorded = await PostNewAsync(giver, await FormAsync("scierie-delmas", "hotel-clos-des-pruniers", new() { ["Input.Note"] = "Plaquettes de chêne, essai 1" }));
        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
        var id = IdFrom(recorded);
        var x = await ExchangeAsync(id);
        Assert.Equal((1.5, 1, (int?)null), (x.Quantity, x.Version, x.OriginalId));
        Assert.NotNull(x.GiverConfirmedAt);
        Assert.Null(x.TakerConfirmedAt);
        Assert.False(await app.ScopedAsync(db => db.Exchanges.Where(Exchange.Counts).AnyAsync(e => e.Id == id)));

        // Distance computed from the two organisations' locations, rounded to 0.1 km.
        var (g, t) = await app.ScopedAsync(async db => (await db.Organisations.SingleAsync(o => o.ExternalKey == "scierie-delmas"), await db.Organisations.SingleAsync(o => o.ExternalKey == "hotel-clos-des-pruniers")));
        Assert.Equal(Math.Round(Geo.DistanceKm(g.Latitude!.Value, g.Longitude!.Value, t.Latitude!.Value, t.Longitude!.Value), 1), x.DistanceKm);

        var takerList = await taker.GetStringAsync("/echanges");
        Assert.Contains("À confirmer (1)", takerList, StringComparison.Ordinal);
        Assert.Contains($"href=\"/echanges/{id}\"", takerList, StringComparison.Ordinal);
        Assert.Contains("À confirmer (0)", await giver.GetStringAsync("/echanges"), StringComparison.Ordinal);

        var confirmed = await BoucleApp.PostFormAsync(taker, $"/echanges?handler=Confirm&id={id}", new Dictionary<string, string>(), "/echanges");
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Contains("Échange confirmé", await taker.GetStringAsync("/echanges"), StringComparison.Ordinal);
        Assert.True(await app.ScopedAsync(db => db.Exchanges.Where(Exchange.Counts).AnyAsync(e => e.Id == id)));
        Assert.Contains("confirmé par les deux parties", await giver.GetStringAsync($"/echanges/{id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_is_refused_field_by_field_and_nothing_is_written()
    {
        var giver = await app.SignedInAsync("scierie-delmas@demo.example.org");
        var before = await app.ScopedAsync(db => db.Exchanges.CountAsync());
        var response = await PostNewAsync(giver, await FormAsync("scierie-delmas", "scierie-delmas", new()
        {
            ["Input.Quantity"] = "beaucoup",
            ["Input.Unit"] = "",
            ["Input.Date"] = "2099-01-01",
            ["Input.Operation"] = "R99",
            ["Input.DistanceKm"] = "-3",
            ["Input.WasteCode"] = "99 99 99",
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        foreach (var (field, message) in new[]
        {
            ("Taker", "La structure qui reçoit doit être différente de celle qui donne."),
            ("Quantity", "Saisissez un nombre, par exemple 12,5."),
            ("Unit", "Choisissez l&#x27;unité."),
            ("Date", "la date ne peut pas être dans le futur."),
            ("Operation", "Choisissez ce que devient la ressource"),
            ("DistanceKm", "Saisissez un nombre entre 0 et 2"),
            ("WasteCode", "n&#x27;est pas dans la liste européenne des déchets"),
        })
        {
            Assert.Contains($"aria-describedby=\"Input_{field}-error\"", html, StringComparison.Ordinal);
            var span = html[html.IndexOf($"id=\"Input_{field}-error\"", StringComparison.Ordinal)..];
            Assert.Contains(message, span[..span.IndexOf("</span>", StringComparison.Ordinal)], StringComparison.Ordinal);
        }

        var period = await PostNewAsync(giver, await FormAsync("scierie-delmas", "atelier-bois-solidaire", new() { ["Input.PeriodEnd"] = "2026-03-01" }));
        Assert.Contains("La fin de la période doit suivre son début.", await period.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await app.ScopedAsync(db => db.Exchanges.CountAsync()));
    }

    [Fact]
    public async Task A_hazardous_waste_needs_a_well_formed_TrackDechets_reference()
    {
        var giver = await app.SignedInAsync("garage-vidal@demo.example.org");
        // 13 02 05* (mineral engine oils) is hazardous in the List of Waste.
        var missing = await PostNewAsync(giver, await FormAsync("garage-vidal", "dordogne-recyclage-services", new() { ["Input.WasteCode"] = "13 02 05", ["Input.Operation"] = "R9" }));
        Assert.Contains("Le code 13 02 05* désigne un déchet dangereux", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (var bad in new[] { "BSD-2026-12345", "BSD-20261345-ABCDEFGHJ", "XYZ-20260315-4K7PQ2XZ9" })
        {
            var wrong = await PostNewAsync(giver, await FormAsync("garage-vidal", "dordogne-recyclage-services", new() { ["Input.WasteCode"] = "13 02 05", ["Input.Operation"] = "R9", ["Input.TrackDechetsRef"] = bad }));
            Assert.Contains("Numéro de bordereau TrackDéchets attendu", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var ok = await PostNewAsync(giver, await FormAsync("garage-vidal", "dordogne-recyclage-services", new() { ["Input.WasteCode"] = "130205", ["Input.Operation"] = "R9", ["Input.TrackDechetsRef"] = "bsd-20260310-4k7pq2xz9" }));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        var x = await ExchangeAsync(IdFrom(ok));
        Assert.Equal(("13 02 05", "BSD-20260310-4K7PQ2XZ9"), (x.WasteCode, x.TrackDechetsRef));
    }

    [Fact]
    public async Task An_organisation_sees_only_the_exchanges_it_is_party_to()
    {
        var giver = await app.SignedInAsync("imprimerie-castang@demo.example.org");
        var id = IdFrom(await PostNewAsync(giver, await FormAsync("imprimerie-castang", "atelier-bois-solidaire", new() { ["Input.Operation"] = "R0", ["Input.Quantity"] = "12", ["Input.Unit"] = "Pallets" })));
        var stranger = await app.SignedInAsync("menuiserie-dupuy@demo.example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/echanges/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/echanges/{id}/corriger")).StatusCode);
        Assert.DoesNotContain($"href=\"/echanges/{id}\"", await stranger.GetStringAsync("/echanges"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await app.Browser().GetAsync($"/echanges/{id}")).StatusCode);
        // Its confirmation is refused too: it is no party.
        await BoucleApp.PostFormAsync(stranger, $"/echanges?handler=Confirm&id={id}", new Dictionary<string, string>(), "/echanges");
        Assert.Null((await ExchangeAsync(id)).TakerConfirmedAt);
        // Nor can it record an exchange between two other organisations.
        var forOthers = await PostNewAsync(stranger, await FormAsync("imprimerie-castang", "atelier-bois-solidaire"));
        Assert.Contains("Vous ne pouvez enregistrer que les échanges de votre structure", await forOthers.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Members cannot open the territory's list; the facilitator sees the exchange there.
        Assert.Equal(HttpStatusCode.Redirect, (await stranger.GetAsync("/animation/echanges")).StatusCode);
        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        Assert.Contains($"href=\"/echanges/{id}\"", await facilitator.GetStringAsync("/animation/echanges"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_facilitator_records_on_behalf_of_both_parties_only_with_a_note()
    {
        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        var noNote = await PostNewAsync(facilitator, await FormAsync("primeurs-gardonnais", "epicerie-panier-partage", new() { ["Input.Operation"] = "R0" }));
        Assert.Contains("notez comment l&#x27;échange vous a été déclaré", await noNote.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var withNote = await PostNewAsync(facilitator, await FormAsync("primeurs-gardonnais", "epicerie-panier-partage", new() { ["Input.Operation"] = "R0", ["Input.Note"] = "Déclaré par téléphone le 12 mars" }));
        Assert.Equal(HttpStatusCode.Redirect, withNote.StatusCode);
        var id = IdFrom(withNote);
        Assert.True((await ExchangeAsync(id)).RecordedByFacilitator);
        Assert.True(await app.ScopedAsync(db => db.Exchanges.Where(Exchange.Counts).AnyAsync(e => e.Id == id)));
    }

    [Fact]
    public async Task A_correction_is_a_new_version_and_the_history_keeps_every_version()
    {
        var giver = await app.SignedInAsync("compost-des-coteaux@demo.example.org");
        var taker = await app.SignedInAsync("jardins-gardonnette@demo.example.org");
        var first = IdFrom(await PostNewAsync(giver, await FormAsync("compost-des-coteaux", "jardins-gardonnette", new() { ["Input.Operation"] = "composting", ["Input.Quantity"] = "4" })));
        await BoucleApp.PostFormAsync(taker, $"/echanges/{first}?handler=Confirm", new Dictionary<string, string>(), $"/echanges/{first}");

        // The taker corrects the quantity: 4 t become 3,5 t in version 2; version 1 stays, superseded.
        var corrected = await BoucleApp.PostFormAsync(taker, $"/echanges/{first}/corriger",
            await FormAsync("compost-des-coteaux", "jardins-gardonnette", new() { ["Input.Operation"] = "composting", ["Input.Quantity"] = "3,5" }));
        Assert.Equal(HttpStatusCode.Redirect, corrected.StatusCode);
        var second = IdFrom(corrected);
        var (v1, v2) = (await ExchangeAsync(first), await ExchangeAsync(second));
        Assert.Equal((4.0, second), (v1.Quantity, v1.SupersededById));
        Assert.Equal((3.5, 2, first), (v2.Quantity, v2.Version, v2.OriginalId));
        // The corrector's side is confirmed; the other side confirms the new version again.
        Assert.Equal((false, true), (v2.GiverConfirmedAt is not null, v2.TakerConfirmedAt is not null));
        Assert.Equal(0, await app.ScopedAsync(db => db.Exchanges.Where(Exchange.Counts).CountAsync(x => x.Id == first || x.OriginalId == first)));

        // Correcting the old version again is a conflict, not a third silent branch.
        var stale = await BoucleApp.PostFormAsync(giver, $"/echanges/{first}/corriger",
            await FormAsync("compost-des-coteaux", "jardins-gardonnette", new() { ["Input.Operation"] = "composting", ["Input.Quantity"] = "5" }), $"/echanges/{second}/corriger");
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("vient d&#x27;être corrigé par quelqu&#x27;un d&#x27;autre", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var third = IdFrom(await BoucleApp.PostFormAsync(giver, $"/echanges/{second}/corriger",
            await FormAsync("compost-des-coteaux", "jardins-gardonnette", new() { ["Input.Operation"] = "composting", ["Input.Quantity"] = "3,6" })));
        Assert.Equal((3, first), ((await ExchangeAsync(third)).Version, (await ExchangeAsync(third)).OriginalId));
        var history = await taker.GetStringAsync($"/echanges/{third}");
        Assert.Contains("version 1", history, StringComparison.Ordinal);
        Assert.Contains("version 2", history, StringComparison.Ordinal);
        Assert.Contains("version 3", history, StringComparison.Ordinal);
        Assert.Contains("remplacé par une correction", history, StringComparison.Ordinal);
        // Only the last version is listed, once.
        var list = await giver.GetStringAsync("/echanges");
        Assert.DoesNotContain($"href=\"/echanges/{first}\"", list, StringComparison.Ordinal);
        Assert.Contains($"href=\"/echanges/{third}\"", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_other_party_contests_with_a_reason()
    {
        var giver = await app.SignedInAsync("fournil-de-jeanne@demo.example.org");
        var taker = await app.SignedInAsync("epicerie-panier-partage@demo.example.org");
        var id = IdFrom(await PostNewAsync(giver, await FormAsync("fournil-de-jeanne", "epicerie-panier-partage", new() { ["Input.Operation"] = "R0", ["Input.Quantity"] = "40", ["Input.Unit"] = "Kg" })));
        var empty = await BoucleApp.PostFormAsync(taker, $"/echanges/{id}?handler=Contest", new Dictionary<string, string> { ["reason"] = "" }, $"/echanges/{id}");
        Assert.Contains("aria-describedby=\"reason-error\"", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await BoucleApp.PostFormAsync(taker, $"/echanges/{id}?handler=Contest", new Dictionary<string, string> { ["reason"] = "Nous avons reçu 25 kg, pas 40." }, $"/echanges/{id}");
        var x = await ExchangeAsync(id);
        Assert.Equal("Nous avons reçu 25 kg, pas 40.", x.ContestReason);
        Assert.Null(x.TakerConfirmedAt);
        Assert.Contains("contesté", await giver.GetStringAsync($"/echanges/{id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_form_is_prefilled_from_a_synergy()
    {
        var synergy = await app.ScopedAsync(db => db.Set<Boucle.Web.Features.Synergies.Synergy>().Where(s => s.Flow == "Drêches de brasserie pour les vaches").SingleAsync());
        var giver = await app.SignedInAsync("brasserie-du-caudeau@demo.example.org");
        var html = await giver.GetStringAsync($"/echanges/nouveau?synergie={synergy.Id}");
        Assert.Contains($"<option value=\"{synergy.GiverOrganisationId}\" selected=\"selected\">", html, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{synergy.TakerOrganisationId}\" selected=\"selected\">", html, StringComparison.Ordinal);
        Assert.Contains($"name=\"Input.SynergyId\" value=\"{synergy.Id}\"", html, StringComparison.Ordinal);
        var stranger = await app.SignedInAsync("menuiserie-dupuy@demo.example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/echanges/nouveau?synergie={synergy.Id}")).StatusCode);
    }
}

public sealed class ExchangeTestsOnSqlite(SqliteApp app) : ExchangeTests<SqliteApp>(app);

public sealed class ExchangeTestsOnPostgres(PostgresApp app) : ExchangeTests<PostgresApp>(app);
