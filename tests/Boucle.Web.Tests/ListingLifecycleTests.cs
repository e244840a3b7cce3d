using System.Net;
using Boucle.Web.Features.Listings;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Boucle.Web.Tests;

public abstract class ListingLifecycleTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    [Fact]
    public async Task A_listing_near_its_end_sends_one_reminder_and_an_ended_one_expires_and_leaves_the_board()
    {
        var now = DateTime.UtcNow;
        var (soonId, endedId) = await app.ScopedAsync(async db =>
        {
            var ids = await db.Listings.Where(l => l.Status == ListingStatus.Published && l.Organisation!.ExternalKey == "scierie-delmas").OrderBy(l => l.Id).Select(l => l.Id).Take(2).ToListAsync();
            await db.Listings.Where(l => l.Id == ids[0]).ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, now.AddDays(3)).SetProperty(l => l.RenewalReminderSentAt, (DateTime?)null));
            await db.Listings.Where(l => l.Id == ids[1]).ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, now.AddMinutes(-1)));
            return (ids[0], ids[1]);
        });
        var expiry = app.Services.GetRequiredService<ListingExpiry>();
        var (reminded, expired) = await expiry.RunAsync(CancellationToken.None);
        Assert.True(reminded >= 1);
        Assert.True(expired >= 1);
        var title = await app.ScopedAsync(db => db.Listings.Where(l => l.Id == soonId).Select(l => l.Title).SingleAsync());
        await app.Smtp.WaitForAsync("scierie-delmas@demo.example.org", $"« {title} » expire bientôt");
        Assert.Equal(ListingStatus.Expired, await app.ScopedAsync(db => db.Listings.Where(l => l.Id == endedId).Select(l => l.Status).SingleAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync($"/api/v1/listings/{endedId}")).StatusCode);

        // A second pass sends nothing again for the same listing.
        var again = await expiry.RunAsync(CancellationToken.None);
        Assert.Equal(0, again.Reminded);

        // The owner prolongs the listing in one click.
        var owner = await app.SignedInAsync("scierie-delmas@demo.example.org");
        var version = await app.ScopedAsync(db => db.Listings.Where(l => l.Id == soonId).Select(l => l.Version).SingleAsync());
        var renewed = await BoucleApp.PostFormAsync(owner, $"/annonces/{soonId}?handler=Renew", new Dictionary<string, string> { ["version"] = $"{version}" }, $"/annonces/{soonId}");
        Assert.Contains("Annonce prolongée", await renewed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(await app.ScopedAsync(db => db.Listings.Where(l => l.Id == soonId).Select(l => l.ExpiresAt).SingleAsync()) > now.AddDays(30));
    }

    [Fact]
    public async Task Two_people_reserving_the_same_version_only_one_wins()
    {
        var id = await app.ScopedAsync(db => db.Listings.Where(l => l.Status == ListingStatus.Published && l.Organisation!.ExternalKey == "cartonnerie-lestrade").Select(l => l.Id).FirstAsync());
        var version = await app.ScopedAsync(db => db.Listings.Where(l => l.Id == id).Select(l => l.Version).SingleAsync());
        var first = await app.SignedInAsync("cartonnerie-lestrade@demo.example.org");
        var second = await app.SignedInAsync("cartonnerie-lestrade@demo.example.org");
        var token1 = await BoucleApp.AntiforgeryTokenAsync(first, $"/annonces/{id}");
        var token2 = await BoucleApp.AntiforgeryTokenAsync(second, $"/annonces/{id}");
        FormUrlEncodedContent Form(string status, string token) => new(new Dictionary<string, string>
        {
            ["status"] = status,
            ["version"] = $"{version}",
            ["__RequestVerificationToken"] = token,
        });
        var responses = await Task.WhenAll(
            first.PostAsync($"/annonces/{id}?handler=Status", Form("Reserved", token1)),
            second.PostAsync($"/annonces/{id}?handler=Status", Form("Withdrawn", token2)));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Single(bodies, b => b.Contains("est maintenant", StringComparison.Ordinal));
        Assert.Single(bodies, b => b.Contains("changé entre-temps", StringComparison.Ordinal));
        Assert.Equal(version + 1, await app.ScopedAsync(db => db.Listings.Where(l => l.Id == id).Select(l => l.Version).SingleAsync()));
    }

    [Fact]
    public async Task A_member_edits_a_listing_and_a_stranger_cannot()
    {
        var id = await app.ScopedAsync(db => db.Listings.Where(l => l.Status == ListingStatus.Published && l.Organisation!.ExternalKey == "metallerie-bonnal").Select(l => l.Id).FirstAsync());
        var version = await app.ScopedAsync(db => db.Listings.Where(l => l.Id == id).Select(l => l.Version).SingleAsync());
        var owner = await app.SignedInAsync("metallerie-bonnal@demo.example.org");
        var fields = new Dictionary<string, string>
        {
            ["version"] = $"{version}",
            ["Input.Type"] = "Offer",
            ["Input.Title"] = "Chutes d'acier inox 304",
            ["Input.Frequency"] = "Monthly",
        };
        var saved = await BoucleApp.PostFormAsync(owner, $"/annonces/{id}/modifier", fields);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("Chutes d'acier inox 304", await app.ScopedAsync(db => db.Listings.Where(l => l.Id == id).Select(l => l.Title).SingleAsync()));
        var search = await app.CreateClient().GetStringAsync("/api/v1/listings?q=inox");
        Assert.Contains("Chutes d'acier inox 304", search, StringComparison.Ordinal);

        var stranger = await app.SignedInAsync("garage-vidal@demo.example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/annonces/{id}/modifier")).StatusCode);
    }
}

public sealed class ListingLifecycleTestsOnSqlite(SqliteApp app) : ListingLifecycleTests<SqliteApp>(app);

public sealed class ListingLifecycleTestsOnPostgres(PostgresApp app) : ListingLifecycleTests<PostgresApp>(app);
