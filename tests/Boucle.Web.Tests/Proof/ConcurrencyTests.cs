using Boucle.Web.Features.Listings;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Tests.Proof;

public abstract class ConcurrencyTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    [Fact]
    public async Task Six_sessions_reserving_the_same_lot_at_the_same_instant_one_wins_and_five_are_told_it_changed()
    {
        const int contenders = 6;
        var id = await app.ScopedAsync(db => db.Listings.Where(l => l.Status == ListingStatus.Published && l.Organisation!.ExternalKey == "scierie-delmas").OrderByDescending(l => l.Id).Select(l => l.Id).FirstAsync());
        var version = await app.ScopedAsync(db => db.Listings.Where(l => l.Id == id).Select(l => l.Version).SingleAsync());
        var sessions = new List<(HttpClient Client, string Token)>();
        for (var i = 0; i < contenders; i++)
        {
            var client = await app.SignedInAsync("scierie-delmas@demo.example.org");
            sessions.Add((client, await BoucleApp.AntiforgeryTokenAsync(client, $"/annonces/{id}")));
        }

        // Every request is built and waiting; the barrier releases them together on the thread pool.
        using var barrier = new Barrier(contenders);
        var responses = await Task.WhenAll(sessions.Select(s => Task.Run(async () =>
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["status"] = "Reserved",
                ["version"] = $"{version}",
                ["__RequestVerificationToken"] = s.Token,
            });
            barrier.SignalAndWait();
            using var response = await s.Client.PostAsync($"/annonces/{id}?handler=Status", form);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        })));

        Assert.All(responses, r => Assert.Equal(200, r.Item1));
        Assert.Single(responses, r => r.Item2.Contains("est maintenant réservée", StringComparison.Ordinal));
        Assert.Equal(contenders - 1, responses.Count(r => r.Item2.Contains("changé entre-temps", StringComparison.Ordinal)));
        var saved = await app.ScopedAsync(db => db.Listings.Where(l => l.Id == id).Select(l => new { l.Status, l.Version }).SingleAsync());
        Assert.Equal(ListingStatus.Reserved, saved.Status);
        Assert.Equal(version + 1, saved.Version);
    }
}

public sealed class ConcurrencyTestsOnSqlite(SqliteApp app) : ConcurrencyTests<SqliteApp>(app);

public sealed class ConcurrencyTestsOnPostgres(PostgresApp app) : ConcurrencyTests<PostgresApp>(app);
