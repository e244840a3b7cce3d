using System.Net;
using System.Text.RegularExpressions;
using Boucle.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Boucle.Web.Tests.Infrastructure;

/// The whole application on one database, with a real SMTP server beside it. Each instance has
/// its own data: a temporary folder for SQLite, a new database for PostgreSQL.
public abstract partial class BoucleApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public virtual string DataDir { get; } = Directory.CreateTempSubdirectory("boucle-test-").FullName;
    public SmtpSink Smtp { get; } = new();
    public abstract string Provider { get; }
    public abstract string ConnectionString { get; }

    /// A second application on the same data, as after a restart.
    public BoucleApp Restarted() => new SiblingApp(Provider, DataDir, ConnectionString);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Boucle:DataDir", DataDir);
        builder.UseSetting("Boucle:Database", ConnectionString);
        builder.UseSetting("Boucle:AccountFormsPerMinute", "10000");
        builder.UseSetting("Boucle:Security:WritesPerMinute", "10000");
        // Sessions check the security stamp on every request, so that "signed out elsewhere" shows at once.
        builder.UseSetting("Boucle:Security:StampCheckSeconds", "0");
        builder.UseSetting("Boucle:Smtp:Host", "127.0.0.1");
        builder.UseSetting("Boucle:Smtp:Port", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public virtual Task InitializeAsync()
    {
        // Starting the host runs the migrations and the demo seed.
        _ = Server;
        return Task.CompletedTask;
    }

    public new virtual async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    public T Scoped<T>(Func<AppDbContext, T> query)
    {
        using var scope = Services.CreateScope();
        return query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public async Task<T> ScopedAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    /// A client that keeps cookies and does not follow redirects, so tests see where they go.
    public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        var match = TokenRegex().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException($"Pas de jeton antiforgery sur {url}.");
    }

    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, IDictionary<string, string> fields, string? formPage = null)
    {
        var token = await AntiforgeryTokenAsync(client, formPage ?? url);
        var all = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token };
        return await client.PostAsync(url, new FormUrlEncodedContent(all));
    }

    public async Task<HttpClient> SignedInAsync(string email, string password = DemoSeeder.DemoPassword)
    {
        var client = Browser();
        var response = await PostFormAsync(client, "/connexion", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });
        if (response.Headers.Location?.OriginalString.StartsWith("/connexion/2fa", StringComparison.Ordinal) == true)
        {
            // Facilitators and administrators use two-factor sign-in; the demo ones share a known key.
            response = await PostFormAsync(client, response.Headers.Location.OriginalString,
                new Dictionary<string, string> { ["Code"] = DemoAuthenticator.CodeAt(DateTimeOffset.UtcNow) });
        }

        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Connexion de {email} refusée : {response.StatusCode}");
        }

        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenRegex();
}

public sealed class SqliteApp : BoucleApp
{
    public override string Provider => "sqlite";
    public override string ConnectionString => "";
}

/// Needs BOUCLE_TEST_POSTGRES (the README's test command starts a throw-away server and sets it).
public sealed class PostgresApp : BoucleApp
{
    private readonly string _database = $"boucle_test_{Guid.NewGuid():N}";
    private string? _connectionString;

    public override string Provider => "postgresql";

    public override string ConnectionString => _connectionString ?? throw new InvalidOperationException("Base PostgreSQL non créée.");

    public static string AdminConnectionString => Environment.GetEnvironmentVariable("BOUCLE_TEST_POSTGRES")
        ?? throw new InvalidOperationException("BOUCLE_TEST_POSTGRES n'est pas défini : lancez les tests avec ./test.sh, qui démarre un PostgreSQL + PostGIS jetable.");

    public override async Task InitializeAsync()
    {
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        _connectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = _database }.ConnectionString;
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}

public sealed class SiblingApp(string provider, string dataDir, string connectionString) : BoucleApp
{
    public override string Provider => provider;
    public override string DataDir => dataDir;
    public override string ConnectionString => connectionString;
}
