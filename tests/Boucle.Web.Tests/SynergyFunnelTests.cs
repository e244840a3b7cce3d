using System.Net;
using Boucle.Web.Data;
using Boucle.Web.Features.Exchanges;
using Boucle.Web.Features.Synergies;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Tests;

public abstract class SynergyFunnelTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    private Task<int> OrgId(string key) => app.ScopedAsync(db => db.Organisations.Where(o => o.ExternalKey == key).Select(o => o.Id).SingleAsync());

    private Task<Synergy> SynergyAsync(int id) => app.ScopedAsync(db => db.Set<Synergy>().AsNoTracking().SingleAsync(s => s.Id == id));

    /// A facilitator adds a synergy by hand; returns its id.
    private async Task<int> NewSynergyAsync(string giver, string taker, string flow)
    {
        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        var response = await BoucleApp.PostFormAsync(facilitator, "/animation/suivi/nouvelle", new Dictionary<string, string>
        {
            ["Input.Giver"] = $"{await OrgId(giver)}",
            ["Input.Taker"] = $"{await OrgId(taker)}",
            ["Input.Flow"] = flow,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return int.Parse(response.Headers.Location!.ToString().Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<HttpResponseMessage> MoveAsync(HttpClient client, int id, SynergyStage to, string note = "", int? version = null)
    {
        version ??= (await SynergyAsync(id)).Version;
        return await BoucleApp.PostFormAsync(client, $"/synergies/{id}?handler=Move", new Dictionary<string, string>
        {
            ["version"] = $"{version}",
            ["to"] = to.ToString(),
            ["note"] = note,
        }, $"/synergies/{id}");
    }

    [Fact]
    public async Task The_demo_territory_has_synergies_at_every_stage_linked_to_its_exchanges()
    {
        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        var html = await facilitator.GetStringAsync("/animation/suivi");
        foreach (var stage in Enum.GetValues<SynergyStage>())
        {
            Assert.Contains($"id=\"colonne-{stage}\">{SynergyFunnel.Label(stage)} (", html, StringComparison.Ordinal);
        }

        // synergies.csv: the stage of each demo synergy, the delivery stages following the demo exchanges.
        var stages = await app.ScopedAsync(db => db.Set<Synergy>()
            .Select(s => new { s.Flow, s.Stage }).ToDictionaryAsync(s => s.Flow, s => s.Stage));
        Assert.Equal(SynergyStage.Recurring, stages["Biodéchets de la cuisine centrale pour le compostage"]);
        Assert.Equal(SynergyStage.FirstDelivery, stages["Vinasses de distillation pour la méthanisation"]);
        Assert.Equal(SynergyStage.Agreed, stages["Marc de café du petit-déjeuner pour les pleurotes"]);
        Assert.Equal(SynergyStage.ContactMade, stages["Palettes non consignées pour l'atelier bois"]);
        Assert.Equal(SynergyStage.Suggested, stages["Palettes de malt pour l'atelier bois"]);
        Assert.Equal(SynergyStage.Abandoned, stages["Pneus usagés pour des bordures de potager"]);
        Assert.Contains("Biodéchets de la cuisine centrale pour le compostage", html, StringComparison.Ordinal);
        var linked = await app.ScopedAsync(db => (from x in db.Exchanges
                                                  join s in db.Set<Synergy>() on x.SynergyId equals s.Id
                                                  where s.Flow == "Biodéchets de la cuisine centrale pour le compostage"
                                                  select x.Id).CountAsync());
        Assert.Equal(9, linked);
    }

    [Fact]
    public async Task Accepting_a_proposed_pair_on_the_board_creates_a_suggested_synergy()
    {
        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        var board = await facilitator.GetStringAsync("/animation/synergies?seuil=30&distance=500");
        var followed = await app.ScopedAsync(db => db.Set<Synergy>().Select(s => new { s.OfferListingId, s.NeedListingId }).ToListAsync());
        var (offer, need) = System.Text.RegularExpressions.Regex.Matches(board, "name=\"offerId\" value=\"(\\d+)\">\\s*<input type=\"hidden\" name=\"needId\" value=\"(\\d+)\"")
            .Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .First(p => !followed.Any(f => f.OfferListingId == p.Item1 && f.NeedListingId == p.Item2));
        var accepted = await BoucleApp.PostFormAsync(facilitator, "/animation/synergies?handler=Decide&seuil=30&distance=500",
            new Dictionary<string, string> { ["offerId"] = $"{offer}", ["needId"] = $"{need}", ["decision"] = "Accepted", ["reason"] = "" }, "/animation/synergies");
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var synergy = await app.ScopedAsync(db => db.Set<Synergy>().SingleAsync(s => s.OfferListingId == offer && s.NeedListingId == need && s.Origin == "board"));
        Assert.Equal(SynergyStage.Suggested, synergy.Stage);
        var steps = await app.ScopedAsync(db => db.Set<SynergyStep>().Where(s => s.SynergyId == synergy.Id).ToListAsync());
        Assert.Equal(SynergyStage.Suggested, Assert.Single(steps).ToStage);
    }

    [Fact]
    public async Task A_party_moves_its_synergy_and_the_history_says_who_and_when_others_cannot()
    {
        var id = await NewSynergyAsync("fournil-de-jeanne", "epicerie-panier-partage", "Pain invendu pour l'épicerie solidaire");
        var giver = await app.SignedInAsync("fournil-de-jeanne@demo.example.org");
        var moved = await MoveAsync(giver, id, SynergyStage.ContactMade, "Appel du 3 mars");
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.Equal(SynergyStage.ContactMade, (await SynergyAsync(id)).Stage);
        var page = await giver.GetStringAsync($"/synergies/{id}");
        Assert.Contains("Contact pris", page, StringComparison.Ordinal);
        Assert.Contains("Appel du 3 mars", page, StringComparison.Ordinal);
        var step = await app.ScopedAsync(db => db.Set<SynergyStep>().Where(s => s.SynergyId == id && s.ToStage == SynergyStage.ContactMade).SingleAsync());
        var userId = await app.ScopedAsync(db => db.Users.Where(u => u.Email == "fournil-de-jeanne@demo.example.org").Select(u => u.Id).SingleAsync());
        Assert.Equal(userId, step.ByUserId);
        Assert.Equal(SynergyStage.Suggested, step.FromStage);

        // Another organisation neither sees nor moves it; it is not on its list.
        var other = await app.SignedInAsync("menuiserie-dupuy@demo.example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/synergies/{id}")).StatusCode);
        Assert.DoesNotContain("Pain invendu", await other.GetStringAsync("/mon-espace/synergies"), StringComparison.Ordinal);
        Assert.Contains("Pain invendu", await giver.GetStringAsync("/mon-espace/synergies"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await app.Browser().GetAsync($"/synergies/{id}")).StatusCode);
        var board = await other.GetAsync("/animation/suivi");
        Assert.Equal(HttpStatusCode.Redirect, board.StatusCode);
        Assert.Contains("/acces-refuse", board.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abandoning_needs_a_reason_and_skipping_a_stage_is_refused_next_to_the_field()
    {
        var id = await NewSynergyAsync("imprimerie-castang", "ressourcerie-grenier-solidaire", "Chutes de papier pour l'atelier");
        var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
        var noReason = await MoveAsync(facilitator, id, SynergyStage.Abandoned);
        var html = await noReason.Content.ReadAsStringAsync();
        Assert.Contains("Indiquez pourquoi la synergie est abandonnée.", html, StringComparison.Ordinal);
        Assert.Contains($"aria-invalid=\"true\" aria-describedby=\"move-note-{id}-error\"", html, StringComparison.Ordinal);
        var skip = await MoveAsync(facilitator, id, SynergyStage.Recurring);
        Assert.Contains("ne peut pas passer à « Échanges réguliers »", await skip.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(SynergyStage.Suggested, (await SynergyAsync(id)).Stage);

        Assert.Equal(HttpStatusCode.Redirect, (await MoveAsync(facilitator, id, SynergyStage.Abandoned, "Plus de chutes depuis le changement de machine")).StatusCode);
        var abandoned = await SynergyAsync(id);
        Assert.Equal(SynergyStage.Abandoned, abandoned.Stage);
        Assert.Equal("Plus de chutes depuis le changement de machine", abandoned.AbandonReason);
    }

    [Fact]
    public async Task Two_simultaneous_moves_of_the_same_synergy_let_exactly_one_through()
    {
        for (var round = 0; round < 3; round++)
        {
            var id = await NewSynergyAsync("brasserie-du-caudeau", "gaec-pech-rouge", $"Levures usagées, essai {round}");
            var giver = await app.SignedInAsync("brasserie-du-caudeau@demo.example.org");
            var facilitator = await app.SignedInAsync(DemoSeeder.FacilitatorEmail);
            var tokens = await Task.WhenAll(BoucleApp.AntiforgeryTokenAsync(giver, $"/synergies/{id}"), BoucleApp.AntiforgeryTokenAsync(facilitator, $"/synergies/{id}"));
            HttpRequestMessage Move(string token, SynergyStage to, string note) => new(HttpMethod.Post, $"/synergies/{id}?handler=Move")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["version"] = "1", ["to"] = to.ToString(), ["note"] = note, ["__RequestVerificationToken"] = token }),
            };

            // Both saw version 1: one says contact made, the other abandons it, at the same time.
            var answers = await Task.WhenAll(
                giver.SendAsync(Move(tokens[0], SynergyStage.ContactMade, "")),
                facilitator.SendAsync(Move(tokens[1], SynergyStage.Abandoned, "Doublon")));
            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Redirect);
            var loser = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Conflict);
            Assert.Contains("vient d&#x27;être déplacée par quelqu&#x27;un d&#x27;autre", await loser.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var synergy = await SynergyAsync(id);
            Assert.Equal(2, synergy.Version);
            var moves = await app.ScopedAsync(db => db.Set<SynergyStep>().Where(s => s.SynergyId == id && s.FromStage != null).ToListAsync());
            Assert.Equal(synergy.Stage, Assert.Single(moves).ToStage);
        }
    }

    [Fact]
    public async Task A_member_proposes_a_synergy_from_a_match_on_its_listing()
    {
        var offer = await app.ScopedAsync(db => db.Listings.Where(l => l.ExternalKey == "o-marc-cafe-brulerie").Select(l => l.Id).SingleAsync());
        var owner = await app.SignedInAsync("brulerie-des-quais@demo.example.org");
        var page = await owner.GetStringAsync($"/annonces/{offer}");
        Assert.Contains("Proposer une synergie", page, StringComparison.Ordinal);
        var match = System.Text.RegularExpressions.Regex.Match(page, "name=\"matchId\" value=\"(\\d+)\"");
        var proposed = await BoucleApp.PostFormAsync(owner, "/mon-espace/synergies?handler=Propose",
            new Dictionary<string, string> { ["listingId"] = $"{offer}", ["matchId"] = match.Groups[1].Value }, $"/annonces/{offer}");
        Assert.Equal(HttpStatusCode.Redirect, proposed.StatusCode);
        var id = int.Parse(proposed.Headers.Location!.ToString().Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var synergy = await SynergyAsync(id);
        Assert.Equal(await OrgId("brulerie-des-quais"), synergy.GiverOrganisationId);
        Assert.Equal(offer, synergy.OfferListingId);

        // Someone else's listing cannot be used to propose.
        var stranger = await app.SignedInAsync("menuiserie-dupuy@demo.example.org");
        var refused = await BoucleApp.PostFormAsync(stranger, "/mon-espace/synergies?handler=Propose",
            new Dictionary<string, string> { ["listingId"] = $"{offer}", ["matchId"] = match.Groups[1].Value }, "/mon-espace");
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
    }

    [Fact]
    public async Task Confirmed_exchanges_move_the_synergy_to_first_delivery_then_recurring()
    {
        var id = await NewSynergyAsync("metallerie-bonnal", "institut-metiers-bergeracois", "Chutes d'acier pour les apprentis soudeurs");
        var giver = await app.SignedInAsync("metallerie-bonnal@demo.example.org");
        var taker = await app.SignedInAsync("institut-metiers-bergeracois@demo.example.org");
        Assert.Equal(HttpStatusCode.Redirect, (await MoveAsync(giver, id, SynergyStage.ContactMade)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await MoveAsync(taker, id, SynergyStage.Agreed)).StatusCode);

        async Task<int> RecordAsync(string date)
        {
            var form = await app.ScopedAsync(async db => new Dictionary<string, string>
            {
                ["Input.SynergyId"] = $"{id}",
                ["Input.Giver"] = $"{await db.Organisations.Where(o => o.ExternalKey == "metallerie-bonnal").Select(o => o.Id).SingleAsync()}",
                ["Input.Taker"] = $"{await db.Organisations.Where(o => o.ExternalKey == "institut-metiers-bergeracois").Select(o => o.Id).SingleAsync()}",
                ["Input.Quantity"] = "120",
                ["Input.Unit"] = "Kg",
                ["Input.Date"] = date,
                ["Input.Operation"] = "R0",
                ["Input.TransportMode"] = "Van",
            });
            var response = await BoucleApp.PostFormAsync(giver, "/echanges/nouveau", form, $"/echanges/nouveau?synergie={id}");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            return int.Parse(response.Headers.Location!.ToString().Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        }

        var first = await RecordAsync("2026-01-15");
        Assert.Equal(SynergyStage.Agreed, (await SynergyAsync(id)).Stage); // recorded, not yet confirmed by the taker
        Assert.Equal(HttpStatusCode.Redirect, (await BoucleApp.PostFormAsync(taker, "/echanges?handler=Confirm&id=" + first, new Dictionary<string, string>(), "/echanges")).StatusCode);
        Assert.Equal(SynergyStage.FirstDelivery, (await SynergyAsync(id)).Stage);

        var second = await RecordAsync("2026-02-12");
        await BoucleApp.PostFormAsync(taker, $"/echanges/{second}?handler=Confirm", new Dictionary<string, string>(), $"/echanges/{second}");
        Assert.Equal(SynergyStage.Recurring, (await SynergyAsync(id)).Stage);
        var takerId = await app.ScopedAsync(db => db.Users.Where(u => u.Email == "institut-metiers-bergeracois@demo.example.org").Select(u => u.Id).SingleAsync());
        var last = await app.ScopedAsync(db => db.Set<SynergyStep>().Where(s => s.SynergyId == id).OrderByDescending(s => s.Id).FirstAsync());
        Assert.Equal((SynergyStage.FirstDelivery, SynergyStage.Recurring, takerId), (last.FromStage!.Value, last.ToStage, last.ByUserId));
        Assert.Equal(2, await app.ScopedAsync(db => db.Exchanges.Where(Exchange.Counts).CountAsync(x => x.SynergyId == id)));
    }
}

public sealed class SynergyFunnelTestsOnSqlite(SqliteApp app) : SynergyFunnelTests<SqliteApp>(app);

public sealed class SynergyFunnelTestsOnPostgres(PostgresApp app) : SynergyFunnelTests<PostgresApp>(app);

/// The funnel's figures from a small hand-made history.
public sealed class SynergyFiguresTests
{
    [Fact]
    public void Counts_conversions_and_median_days_per_stage()
    {
        var day0 = new DateTime(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc);
        SynergyStep Step(int synergy, SynergyStage? from, SynergyStage to, int day) => new() { SynergyId = synergy, FromStage = from, ToStage = to, At = day0.AddDays(day), ByUserId = "u" };
        // A: suggested day 0, contact day 2, agreed day 6 (still agreed).
        // B: suggested day 0, contact day 4, abandoned day 5.
        // C: suggested day 0, still suggested.
        var steps = new[]
        {
            Step(1, null, SynergyStage.Suggested, 0), Step(1, SynergyStage.Suggested, SynergyStage.ContactMade, 2), Step(1, SynergyStage.ContactMade, SynergyStage.Agreed, 6),
            Step(2, null, SynergyStage.Suggested, 0), Step(2, SynergyStage.Suggested, SynergyStage.ContactMade, 4), Step(2, SynergyStage.ContactMade, SynergyStage.Abandoned, 5),
            Step(3, null, SynergyStage.Suggested, 0),
        };
        var figures = SynergyQueries.Figures([(1, SynergyStage.Agreed), (2, SynergyStage.Abandoned), (3, SynergyStage.Suggested)], steps)
            .ToDictionary(f => f.Stage);

        // Reached: suggested 3, contact made 2 (A, B), agreed 1 (A), first delivery 0.
        Assert.Equal((1, 3), (figures[SynergyStage.Suggested].Now, figures[SynergyStage.Suggested].Reached));
        Assert.Equal(2, figures[SynergyStage.ContactMade].Reached);
        Assert.Equal(1, figures[SynergyStage.Agreed].Reached);
        // Conversions: 2 / 3 from suggested, 1 / 2 from contact made, 0 / 1 from agreed.
        Assert.Equal(2.0 / 3, figures[SynergyStage.Suggested].ConversionToNext!.Value, 6);
        Assert.Equal(0.5, figures[SynergyStage.ContactMade].ConversionToNext);
        Assert.Equal(0.0, figures[SynergyStage.Agreed].ConversionToNext);
        // Days in suggested: A 2, B 4 (C has not left it) → median 3; in contact made: A 6 − 2 = 4, B 5 − 4 = 1 → median 2.5.
        Assert.Equal((3.0, 2), (figures[SynergyStage.Suggested].MedianDays!.Value, figures[SynergyStage.Suggested].MedianOf));
        Assert.Equal(2.5, figures[SynergyStage.ContactMade].MedianDays);
        Assert.Null(figures[SynergyStage.Agreed].MedianDays);
        Assert.Equal(1, figures[SynergyStage.Abandoned].Now);
    }
}
