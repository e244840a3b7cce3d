using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Boucle.Web.Data;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Reference;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Boucle.Web.Tests;

/// A broad search no longer counts or sorts every hit (ADR 0006-board): the count stops at 1 000 and the page
/// comes from the nearest circle or the best-titled listings. These tests load 3 000 more listings and check,
/// query by query, that each page is exactly the one a plain sort of every hit gives (computed here in C#).
public abstract class SearchPlanTests<TApp>(TApp app) : IClassFixture<TApp>, IAsyncLifetime
    where TApp : BoucleApp
{
    private const double BergeracLat = 44.85427;
    private const double BergeracLon = 0.48645;

    public async Task InitializeAsync() => await app.ScopedAsync(SeedAsync);

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(SearchPlanQueries.Broad), MemberType = typeof(SearchPlanQueries))]
    public async Task Each_page_is_the_one_a_plain_sort_of_every_hit_gives(string? words, ListingType? type, double radiusKm, ListingSort sort, int page)
    {
        var query = new ListingQuery { Words = words, Type = type, Latitude = BergeracLat, Longitude = BergeracLon, RadiusKm = radiusKm, Sort = sort, Page = page, PageSize = 20 };
        var result = await app.ScopedAsync(db => new ListingSearch(db, new SearchText()).SearchAsync(query, CancellationToken.None));
        var expected = await app.ScopedAsync(db => ReferenceAsync(db, query));

        Assert.Equal(expected.Skip((page - 1) * 20).Take(20), result.Items.Select(i => i.Id));
        Assert.Equal(Math.Min(expected.Count, ListingSearch.CountCap), result.Total);
        Assert.Equal(expected.Count > ListingSearch.CountCap, result.TotalCapped);
    }

    /// The nearest hits come from a circle whose postings are few enough to read at once; with a low bound the
    /// first circle holds too many and the search must shrink it, grow it back, and still give the exact page.
    [Theory]
    [InlineData("palette", 50)]
    [InlineData("palette", 400)]
    [InlineData("palette bois", 30)]
    public async Task The_nearest_hits_stay_exact_when_the_circle_must_shrink(string words, int mostInCircle)
    {
        var query = new ListingQuery { Words = words, Latitude = BergeracLat, Longitude = BergeracLon, RadiusKm = 50, Sort = ListingSort.Distance, Page = 1, PageSize = 20 };
        var expected = await app.ScopedAsync(db => ReferenceAsync(db, query));
        var page = await app.ScopedAsync(async db =>
        {
            var shown = db.Listings.Where(l => (l.Status == ListingStatus.Published || l.Status == ListingStatus.Reserved) && !l.Organisation!.Suspended);
            var search = new WordSearch(new EfListingSearchSteps(db, shown), new SearchText().QueryGroups(words), null, (BergeracLat, BergeracLon), 50, mostInCircle);
            return (await search.SearchAsync(ListingSort.Distance, 0, 20, CancellationToken.None)).Page;
        });

        Assert.True(expected.Count > ListingSearch.CountCap, $"the query must be broad: {expected.Count} hits");
        Assert.Equal(expected.Take(20), page!.Select(h => h.Id));
    }

    [Fact]
    public async Task A_broad_search_says_more_than_1000_on_the_board_and_in_the_api()
    {
        var json = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/listings?near={BergeracLat.ToString(System.Globalization.CultureInfo.InvariantCulture)},{BergeracLon.ToString(System.Globalization.CultureInfo.InvariantCulture)}&radius_km=50");
        Assert.Equal(1000, json.GetProperty("total").GetInt32());
        Assert.True(json.GetProperty("total_capped").GetBoolean());
        var narrow = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/listings?q=biodechets");
        Assert.False(narrow.GetProperty("total_capped").GetBoolean());

        var board = WebUtility.HtmlDecode(await app.CreateClient().GetStringAsync("/annonces"));
        Assert.Matches(@"Plus de 1\s000 annonces trouvées", board);
        Assert.Contains("Page suivante", board, StringComparison.Ordinal);
    }

    /// Every visible hit, sorted the board's way in memory: the definition the search must keep.
    private static async Task<List<int>> ReferenceAsync(AppDbContext db, ListingQuery q)
    {
        var rows = await db.Listings.AsNoTracking()
            .Where(l => (l.Status == ListingStatus.Published || l.Status == ListingStatus.Reserved) && !l.Organisation!.Suspended)
            .Select(l => new { l.Id, l.Type, l.Latitude, l.Longitude, l.PublishedAt }).ToListAsync();
        var terms = await db.ListingTerms.AsNoTracking().ToListAsync();
        var byListing = terms.GroupBy(t => t.ListingId).ToDictionary(g => g.Key, g => g.ToDictionary(t => t.Term, t => t.Weight));
        var groups = new SearchText().QueryGroups(q.Words);
        var all = groups.SelectMany(g => g).Distinct().ToArray();
        var hits = rows
            .Where(r => q.Type is null || r.Type == q.Type)
            .Where(r => groups.All(g => g.Any(t => byListing.GetValueOrDefault(r.Id)?.ContainsKey(t) == true)))
            .Select(r => new
            {
                r.Id,
                r.PublishedAt,
                Distance = Geo.DistanceKm(r.Latitude, r.Longitude, q.Latitude!.Value, q.Longitude!.Value),
                Score = all.Sum(t => byListing.GetValueOrDefault(r.Id)?.GetValueOrDefault(t) ?? 0),
            })
            .Where(r => r.Distance <= q.RadiusKm)
            .ToList();
        // Without words every score is 0 and relevance is the date order; with words, equal scores go newest listing first.
        var sorted = (all.Length == 0 && q.Sort == ListingSort.Relevance ? ListingSort.Date : q.Sort) switch
        {
            ListingSort.Distance => hits.OrderBy(h => h.Distance).ThenByDescending(h => h.PublishedAt).ThenBy(h => h.Id),
            ListingSort.Date => hits.OrderByDescending(h => h.PublishedAt).ThenByDescending(h => h.Id),
            _ => hits.OrderByDescending(h => h.Score).ThenByDescending(h => h.Id),
        };
        return [.. sorted.Select(h => h.Id)];
    }

    /// 3 000 listings around Bergerac: palettes (in the title or only in the description), cartons, other things;
    /// publication times on a coarse grid so that many share one and the tie-breaks matter.
    private static async Task<int> SeedAsync(AppDbContext db)
    {
        if (await db.Organisations.AnyAsync(o => o.ExternalKey == "plan-test"))
        {
            return 0;
        }

        var territoryId = await db.Territories.Where(t => t.Slug == DemoSeeder.TerritorySlug).Select(t => t.Id).SingleAsync();
        var now = new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);
        var organisation = new Organisation { TerritoryId = territoryId, Name = "Plateforme de test du plan de recherche", ExternalKey = "plan-test", Latitude = BergeracLat, Longitude = BergeracLon, CreatedAt = now };
        db.Organisations.Add(organisation);
        await db.SaveChangesAsync();
        var random = new Random(7);
        var text = new SearchText();
        (string Title, string Description)[] kinds =
        [
            ("Palettes bois à donner", "Palettes de manutention en bon état."),
            ("Palettes Europe", "Lot régulier."),
            ("Chutes de bois", "Nous gardons aussi quelques palettes cassées."),
            ("Cartons d'emballage", "Cartons pliés, secs."),
            ("Big bags propres", "Ayant contenu des granulés."),
            ("Lot de fûts", "Fûts métalliques de 200 litres, un carton de bouchons."),
        ];
        var listings = new List<Listing>();
        for (var i = 0; i < 3000; i++)
        {
            var (title, description) = kinds[random.Next(kinds.Length)];
            var published = now.AddHours(-random.Next(0, 200));
            listings.Add(new Listing
            {
                TerritoryId = territoryId,
                OrganisationId = organisation.Id,
                Type = random.Next(2) == 0 ? ListingType.Offer : ListingType.Need,
                Title = $"{title} n° {i}",
                Description = description,
                Frequency = Frequency.Once,
                PriceMode = PriceMode.Free,
                Latitude = BergeracLat + ((random.NextDouble() - 0.5) * 0.8),
                Longitude = BergeracLon + ((random.NextDouble() - 0.5) * 1.1),
                Status = random.Next(20) == 0 ? ListingStatus.Draft : ListingStatus.Published,
                ExternalKey = $"plan-{i}",
                CreatedAt = published,
                UpdatedAt = published,
                PublishedAt = published,
                ExpiresAt = now.AddYears(1),
                Version = 1,
            });
        }

        db.Listings.AddRange(listings);
        await db.SaveChangesAsync();
        foreach (var l in listings)
        {
            db.ListingTerms.AddRange(ListingTerm.For(l, text));
        }

        return await db.SaveChangesAsync();
    }
}

/// Words, type, radius, sort and page of the broad queries checked.
public static class SearchPlanQueries
{
    public static TheoryData<string?, ListingType?, double, ListingSort, int> Broad => new()
    {
        { null, null, 50, ListingSort.Distance, 1 },
        { null, ListingType.Need, 50, ListingSort.Distance, 3 },
        { null, null, 50, ListingSort.Relevance, 1 },
        { null, null, 30, ListingSort.Date, 2 },
        { "palette", null, 50, ListingSort.Relevance, 1 },
        { "palettes", ListingType.Offer, 50, ListingSort.Relevance, 4 },
        { "palette", null, 50, ListingSort.Distance, 2 },
        { "palette bois", null, 50, ListingSort.Relevance, 1 },
        { "carton", null, 50, ListingSort.Relevance, 1 },
        { "carton", null, 8, ListingSort.Distance, 1 },
        { "palette", null, 50, ListingSort.Date, 2 },
        { "palettes", ListingType.Need, 20, ListingSort.Distance, 1 },
        { "palette", null, 50, ListingSort.Relevance, 40 },
        { "palette bouchons", null, 50, ListingSort.Relevance, 1 },
        { "bois carton", null, 50, ListingSort.Relevance, 1 },
        { "fûts carton", ListingType.Offer, 50, ListingSort.Distance, 1 },
    };
}

public sealed class SearchPlanTestsOnSqlite(SqliteApp app) : SearchPlanTests<SqliteApp>(app);

public sealed class SearchPlanTestsOnPostgres(PostgresApp app) : SearchPlanTests<PostgresApp>(app);
