using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Boucle.Web.Features.Listings;
using Boucle.Web.Tests.Infrastructure;
using CsCheck;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Boucle.Web.Tests.Proof;

/// Random and malformed input at every /api/v1 endpoint and at the main forms: never a 500, API
/// errors are ProblemDetails, form errors are shown next to the fields, and a rejected request
/// leaves every table as it was.
public abstract partial class BadInputTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    private const int CasesPerEndpoint = 100;

    // ---- Values: what a careless client, a fuzzer or an attacker sends.

    private static readonly string[] Hostile =
    [
        "", " ", "-1", "0", "-0", "NaN", "Infinity", "-Infinity", "1e308", "-1e308", "1e-320", "2147483648", "-2147483649",
        "99999999999999999999999999", "0x10", "1,5", "true", "null", "[]", "{}", "' OR '1'='1", "1; DROP TABLE \"Listings\"; --",
        "<script>alert(1)</script>", "../../../../etc/passwd", "\0", "\u202Eevil", "😀🇫🇷", "Œuvre éàç", "ᐊᓂᔑᓈᐯᒧᐎᐣ", "2026-02-30",
        "0001-01-01", "9999-12-31", "44.85,0.48", "91,181", ",", "offer", "need", "t", "kg", "monthly", "free", "published", "draft",
        "17 02 01", "99 99 99", "20 01 08", "bois", "Offer", "Need", "Company", "Daily", "24037",
    ];

    private static readonly Gen<string> Value = Gen.Frequency(
        (6, Gen.OneOf(Hostile)),
        (3, Gen.String[0, 40]),
        (2, Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (2, Gen.Double.Select(d => d.ToString("R", CultureInfo.InvariantCulture))),
        (1, Gen.Char["aé€😀\u0301x"].Array[20_000, 60_000].Select(c => new string(c))));

    /// Percent-encodes UTF-8 by hand so that lone surrogates and control characters go through.
    private static string Escape(string value) =>
        string.Concat(Encoding.UTF8.GetBytes(value).Select(b => char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' ? ((char)b).ToString() : $"%{b:X2}"));

    private static readonly Gen<string> QueryValue = Gen.Frequency(
        (8, Value.Select(Escape)),
        (1, Gen.OneOf("%", "%zz", "%C3%28", "%FF%FE", "%00", "%E2%82")));

    private static readonly string[] BodyFields =
    [
        "type", "title", "description", "quantity", "unit", "frequency", "price_mode", "price_eur", "category", "waste_code",
        "available_from", "available_to", "status", "id", "organisation_id", "latitude", "longitude",
    ];

    private static readonly Gen<string> JsonValue = Gen.Frequency(
        (5, Value.Select(v => JsonSerializer.Serialize(v))),
        (2, Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (2, Gen.OneOf("1e400", "-1e400", "0.0000001", "-5", "true", "false", "null", "[]", "{}", "[1,2,3]", "{\"a\":{\"b\":[]}}", "\"NaN\"", "\"2026-13-45\"")));

    private static readonly Gen<string> JsonObject =
        Gen.Select(Gen.OneOf(BodyFields.Concat(["", "Type", "TITLE", "x"]).ToArray()), JsonValue).Array[0, 14]
            .Select(pairs => "{" + string.Join(",", pairs.Select(p => $"{JsonSerializer.Serialize(p.Item1)}:{p.Item2}")) + "}");

    private static readonly Gen<string> Body = Gen.Frequency(
        (6, JsonObject),
        (1, Gen.OneOf("", "{", "pas du json", "[1,2", "null", "[]", "\"texte\"", "{\"type\":}", "{\"title\":\"a\",}", "\uFEFF{}", new string('[', 5000) + new string(']', 5000))),
        (1, Gen.String[0, 200]));

    private static readonly Gen<string?> ContentType = Gen.Frequency(
        (8, Gen.Const<string?>("application/json")),
        (1, Gen.OneOf<string?>(null, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1", "multipart/form-data")));

    // ---- The API.

    private sealed record ApiCase(string Method, string Path, string Query, string? Body, string? ContentType, int Auth);

    private static IEnumerable<(string Method, RouteEndpoint Endpoint)> ApiEndpoints(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, e)))
            .OrderBy(x => x.e.RoutePattern.RawText, StringComparer.Ordinal).ThenBy(x => x.m, StringComparer.Ordinal);

    [Fact]
    public async Task Every_api_endpoint_answers_random_and_malformed_input_without_a_500_with_a_problem_and_without_writing()
    {
        var token = await ProofSupport.TokenForAsync(app, "scierie-delmas@demo.example.org");
        var ownId = await app.ScopedAsync(db => db.Listings.Where(l => l.Organisation!.ExternalKey == "scierie-delmas" && l.Status == ListingStatus.Published).Select(l => l.Id).FirstAsync());
        var otherId = await app.ScopedAsync(db => db.Listings.Where(l => l.Organisation!.ExternalKey != "scierie-delmas" && l.Status == ListingStatus.Published).Select(l => l.Id).FirstAsync());
        var clients = new[] { ProofSupport.Api(app, null), ProofSupport.Api(app, token), ProofSupport.Api(app, "bcl_" + new string('0', 48)) };
        var endpoints = ApiEndpoints(app.Services).ToList();
        Assert.Contains(endpoints, e => e.Endpoint.RoutePattern.RawText!.TrimEnd('/') == "/api/v1/listings" && e.Method == "POST");
        var covered = new List<string>();

        foreach (var (method, endpoint) in endpoints)
        {
            var template = endpoint.RoutePattern.RawText!.TrimEnd('/');
            var parameters = endpoint.Metadata.OfType<IParameterBindingMetadata>().Select(p => p.Name)
                .Concat(["q", "page", "page_size", "near", "radius_km", "type", "sort", "x"]).Distinct().ToArray();
            var routeValue = Gen.Frequency(
                (4, Gen.OneOf($"{ownId}", $"{otherId}")),
                (2, Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture))),
                // A NUL in the path never reaches the application: Kestrel refuses it, and the test server throws.
                (1, QueryValue.Where(v => !v.Contains("%00", StringComparison.Ordinal))));
            var query = Gen.Select(Gen.OneOf(parameters), QueryValue).Array[0, 6]
                .Select(pairs => string.Join("&", pairs.Select(p => $"{p.Item1}={p.Item2}")));
            var writes = method is not ("GET" or "HEAD");
            var gen = Gen.Select(routeValue, query, Body, ContentType, Gen.Int[0, 2]).Select((id, q, body, type, auth) =>
                new ApiCase(method, RouteParameter().Replace(template, id), q, writes ? body : null, writes ? type : null, auth));

            await gen.SampleAsync(async c =>
            {
                var before = writes ? await app.ScopedAsync(Checksums) : null;
                using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Path + (c.Query.Length > 0 ? "?" + c.Query : ""));
                if (c.Body is not null)
                {
                    request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(c.Body));
                    if (c.ContentType is not null)
                    {
                        request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
                    }
                }

                using var response = await clients[c.Auth].SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {c.Method} {c.Path}?{c.Query[..Math.Min(c.Query.Length, 300)]}\n{text[..Math.Min(text.Length, 2000)]}");
                if ((int)response.StatusCode >= 400)
                {
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    using var problem = JsonDocument.Parse(text);
                    Assert.True(problem.RootElement.TryGetProperty("title", out _) || problem.RootElement.TryGetProperty("status", out _), text);
                    if (before is not null)
                    {
                        var after = await app.ScopedAsync(Checksums);
                        Assert.True(before.SequenceEqual(after), $"a rejected {c.Method} {c.Path} changed {ProofSupport.Differences(before, after)}");
                    }
                }
            }, iter: CasesPerEndpoint, threads: 1, print: c => $"{c.Method} {c.Path}?{Trim(c.Query)} auth={c.Auth} type={c.ContentType} body={Trim(c.Body)}");
            covered.Add($"{method} {template}");
        }

        Assert.True(covered.Count >= 9, string.Join(", ", covered));
    }

    private static Task<SortedDictionary<string, string>> Checksums(Boucle.Web.Data.AppDbContext db) => ProofSupport.ChecksumsAsync(db, ["Outbox", "ApiToken"]);

    private static string Trim(string? text) => text is null ? "∅" : text.Length <= 300 ? text : text[..300] + $"… ({text.Length} chars)";

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();

    [Fact]
    public async Task A_post_with_a_forged_antiforgery_token_is_refused_with_a_400_page_not_a_500()
    {
        var member = await app.SignedInAsync("garage-vidal@demo.example.org");
        foreach (var (url, fields, message) in new[]
        {
            ("/langue", "culture=en&returnUrl=%2F", "Formulaire expiré"),
            ("/alertes/nouvelle", "Name=Palettes&Frequency=Daily", "Demande incorrecte"),
            ("/structures/nouvelle", "Input.Name=Atelier", "Demande incorrecte"),
        })
        {
            using var content = new StringContent(fields + "&__RequestVerificationToken=CfDJ8forged", Encoding.ASCII, "application/x-www-form-urlencoded");
            using var response = await member.PostAsync(url, content);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_language_switch_sends_a_foreign_or_malformed_return_address_home()
    {
        // Found by wapiti: a control character, then a raw "¿", in returnUrl made the redirect throw (500).
        var visitor = app.CreateClient(new() { AllowAutoRedirect = false });
        foreach (var returnUrl in new[] { "/annonces\u0001x", "/annonces\u00bf", "/caf\u00e9 noir", "//evil.example.org/", "/\\evil.example.org", "https://evil.example.org/" })
        {
            using var response = await BoucleApp.PostFormAsync(visitor, "/langue", new Dictionary<string, string> { ["culture"] = "en", ["returnUrl"] = returnUrl }, "/");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/", response.Headers.Location!.OriginalString);
        }

        using var fine = await BoucleApp.PostFormAsync(visitor, "/langue", new Dictionary<string, string> { ["culture"] = "fr", ["returnUrl"] = "/annonces?q=f%C3%BBt" }, "/");
        Assert.Equal("/annonces?q=f%C3%BBt", fine.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Sign_in_with_a_return_address_a_header_cannot_carry_goes_to_my_space_not_a_500()
    {
        // The same raw character through the sign-in form's ReturnUrl, and a favourite's return address.
        var visitor = app.Browser();
        using var signIn = await BoucleApp.PostFormAsync(visitor, "/connexion?ReturnUrl=%2Fannonces%C2%BF",
            new Dictionary<string, string> { ["Email"] = "garage-vidal@demo.example.org", ["Password"] = Boucle.Web.Data.DemoSeeder.DemoPassword }, "/connexion");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/mon-espace", signIn.Headers.Location!.OriginalString);

        var member = await app.SignedInAsync("garage-vidal@demo.example.org");
        var id = await app.ScopedAsync(db => db.Listings.Where(l => l.Status == ListingStatus.Published).Select(l => l.Id).FirstAsync());
        using var favourite = await BoucleApp.PostFormAsync(member, "/favoris?handler=Toggle",
            new Dictionary<string, string> { ["listingId"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["returnUrl"] = "/annonces\u00bf" }, "/favoris");
        Assert.Equal(HttpStatusCode.Redirect, favourite.StatusCode);
        Assert.Equal("/favoris", favourite.Headers.Location!.OriginalString);
    }

    // ---- The forms.

    private sealed record Form(string Page, string Action, IReadOnlyDictionary<string, string[]> Fields);

    // An error next to a field, or (when the form cannot be shown again, e.g. a refused contact) an alert saying why.
    [GeneratedRegex("aria-invalid=\"true\"|field-validation-error|validation-summary-errors|class=\"field-error\"[^>]*>[^<\\s]|role=\"alert\">[^<\\s]")]
    private static partial Regex FormError();

    [Fact]
    public async Task The_main_forms_answer_random_and_malformed_input_with_an_error_next_to_the_fields_and_without_writing()
    {
        var member = await app.SignedInAsync("garage-vidal@demo.example.org");
        var ownId = await app.ScopedAsync(db => db.Listings.Where(l => l.Organisation!.ExternalKey == "garage-vidal" && l.Status == ListingStatus.Published).Select(l => l.Id).FirstAsync());
        var otherId = await app.ScopedAsync(db => db.Listings.Where(l => l.Organisation!.ExternalKey == "scierie-delmas" && l.Status == ListingStatus.Published).Select(l => l.Id).FirstAsync());
        var version = await app.ScopedAsync(db => db.Listings.Where(l => l.Id == ownId).Select(l => l.Version).SingleAsync());
        string[] listingFields = ["Type", "Title", "Description", "Quantity", "Unit", "Frequency", "PriceMode", "PriceEur", "CategoryCode", "WasteCode", "AvailableFrom", "AvailableUntil", "ApproximateLocation"];
        var listing = listingFields.ToDictionary(f => "Input." + f, f => f switch
        {
            "Type" => new[] { "Offer", "Need" },
            "Unit" => ["Kg", "T", "M3"],
            "Frequency" => ["Once", "Monthly"],
            "PriceMode" => ["Free", "Price"],
            "Title" => ["Palettes", "Sciure de chêne"],
            _ => [],
        });
        var forms = new[]
        {
            new Form("/annonces/nouvelle", "/annonces/nouvelle", listing),
            new Form($"/annonces/{ownId}/modifier", $"/annonces/{ownId}/modifier", new Dictionary<string, string[]>(listing) { ["version"] = [$"{version}"] }),
            new Form("/structures/nouvelle", "/structures/nouvelle", new Dictionary<string, string[]>
            {
                ["Input.Name"] = ["Atelier Test"], ["Input.Kind"] = ["Company", "Association"], ["Input.Siret"] = ["73282932000074"], ["Input.NafCode"] = ["16.10A"],
                ["Input.Address"] = ["1 rue du Port"], ["Input.Commune"] = ["24037"], ["Input.Description"] = [], ["Input.Website"] = ["https://exemple.org"],
                ["Input.HazardousAuthorised"] = ["true", "false"], ["Input.HazardousPermit"] = [],
            }),
            new Form($"/messages/nouvelle?annonce={otherId}", $"/messages/nouvelle?annonce={otherId}", new Dictionary<string, string[]> { ["Body"] = ["Bonjour"], ["annonce"] = [$"{otherId}"] }),
            new Form("/alertes/nouvelle", "/alertes/nouvelle", new Dictionary<string, string[]>
            {
                ["Name"] = ["Palettes"], ["Frequency"] = ["Daily", "Weekly"], ["Q"] = ["palette"], ["Type"] = ["offer"], ["Category"] = [], ["Commune"] = ["24037"],
                ["Rayon"] = ["10"], ["Regularite"] = [], ["price_mode"] = [], ["org_kind"] = [], ["Waste"] = [],
            }),
            new Form($"/moderation/signaler?annonce={otherId}", $"/moderation/signaler?annonce={otherId}", new Dictionary<string, string[]> { ["Reason"] = ["Annonce trompeuse"], ["Annonce"] = [$"{otherId}"], ["Structure"] = [], ["Etat"] = [] }),
        };

        foreach (var form in forms)
        {
            var token = await BoucleApp.AntiforgeryTokenAsync(member, form.Page);
            var field = Gen.OneOf(form.Fields.Keys.Concat(["Input.Inconnu", "x"]).ToArray());
            var fields = form.Fields.Select(f => Gen.Frequency(
                    (2, Gen.Const((string?)null)),
                    (2, f.Value.Length > 0 ? Gen.OneOf(f.Value).Select(v => (string?)v) : Value.Select(v => (string?)v)),
                    (5, Value.Select(v => (string?)v)))
                .Select(v => (f.Key, v)))
                .Aggregate(Gen.Const(new List<(string, string?)>()), (acc, g) => Gen.Select(acc, g, (list, pair) => new List<(string, string?)>(list) { pair }));
            var gen = Gen.Select(fields, field, Value).Select((values, extra, extraValue) =>
                values.Where(p => p.Item2 is not null).Select(p => (p.Item1, p.Item2!)).Append((extra, extraValue)).ToList());

            await gen.SampleAsync(async values =>
            {
                var before = await app.ScopedAsync(Checksums);
                var encoded = string.Join("&", values.Append(("__RequestVerificationToken", token)).Select(p => $"{Escape(p.Item1)}={Escape(p.Item2)}"));
                using var content = new StringContent(encoded, Encoding.ASCII, "application/x-www-form-urlencoded");
                using var response = await member.PostAsync(form.Action, content);
                var html = await response.Content.ReadAsStringAsync();
                var where = $"{(int)response.StatusCode} for POST {form.Action}";
                Assert.True((int)response.StatusCode < 500, where);
                Assert.DoesNotContain("/Error", response.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
                if (response.StatusCode is HttpStatusCode.OK)
                {
                    Assert.True(FormError().IsMatch(html), $"{where}: a form answered 200 without an error next to a field");
                }

                if ((int)response.StatusCode is >= 200 and < 300 or >= 400)
                {
                    var after = await app.ScopedAsync(Checksums);
                    Assert.True(before.SequenceEqual(after), $"{where}: a rejected form changed {ProofSupport.Differences(before, after)}");
                }
            }, iter: CasesPerEndpoint, threads: 1, print: v => string.Join("&", v.Select(p => $"{p.Item1}={Trim(p.Item2)}")));
        }
    }
}

public sealed class BadInputTestsOnSqlite(SqliteApp app) : BadInputTests<SqliteApp>(app);

public sealed class BadInputTestsOnPostgres(PostgresApp app) : BadInputTests<PostgresApp>(app);
