using System.Net.Http.Json;
using System.Text.Json;
using Boucle.Web.Tests.Infrastructure;

namespace Boucle.Web.Tests;

/// One analyser and one distance formula: both databases must give the same answers.
public sealed class SameAnswersTests(SqliteApp sqlite, PostgresApp postgres) : IClassFixture<SqliteApp>, IClassFixture<PostgresApp>
{
    [Theory]
    [InlineData("q=palette&sort=relevance")]
    [InlineData("q=biodechets")]
    [InlineData("q=carton&type=offer")]
    [InlineData("near=44.85427,0.48645&radius_km=15&sort=distance")]
    [InlineData("near=44.79,0.55&radius_km=30&sort=distance&type=need")]
    [InlineData("q=bois&near=44.85427,0.48645&radius_km=25&sort=distance")]
    [InlineData("sort=date&page=2&page_size=10")]
    public async Task Search_gives_the_same_listings_in_the_same_order_and_distances(string query)
    {
        var a = await Summary(sqlite, query);
        var b = await Summary(postgres, query);
        Assert.NotEmpty(a);
        Assert.Equal(a, b);
    }

    private static async Task<List<string>> Summary(BoucleApp app, string query)
    {
        var page = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/listings?{(query.Contains("page_size", StringComparison.Ordinal) ? query : "page_size=100&" + query)}");
        return [.. page.GetProperty("items").EnumerateArray().Select(i =>
            $"{i.GetProperty("title").GetString()}|{(i.GetProperty("distance_km").ValueKind == JsonValueKind.Number ? i.GetProperty("distance_km").GetDouble().ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) : "-")}")];
    }
}
