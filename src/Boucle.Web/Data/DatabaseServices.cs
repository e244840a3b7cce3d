using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Boucle.Web.Data;

public static class DatabaseServices
{
    /// Both contexts are registered; the options decide lazily which one AppDbContext is, so that
    /// settings given by tests after the builder was created still apply.
    public static IServiceCollection AddBoucleDatabase(this IServiceCollection services)
    {
        services.AddDbContext<SqliteDbContext>((sp, o) =>
        {
            var options = sp.GetRequiredService<IOptions<BoucleOptions>>().Value;
            o.UseSqlite(SqliteConnectionString(options));
        });
        services.AddDbContext<PostgresDbContext>((sp, o) =>
        {
            var options = sp.GetRequiredService<IOptions<BoucleOptions>>().Value;
            o.UseNpgsql(options.Database, x => x.UseNetTopologySuite());
        });
        services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<IOptions<BoucleOptions>>().Value.UsesPostgres
            ? sp.GetRequiredService<PostgresDbContext>()
            : sp.GetRequiredService<SqliteDbContext>());
        services.AddScoped<DemoSeeder>();
        services.AddSingleton<DatabaseInitialiser>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseInitialiser>());
        return services;
    }

    public static string SqliteConnectionString(BoucleOptions options)
    {
        Directory.CreateDirectory(options.FullDataDir);
        return $"Data Source={Path.Combine(options.FullDataDir, "boucle.db")};Foreign Keys=True;Default Timeout=30";
    }
}

/// Applies the provider's migrations and seeds the demo territory before the server takes requests.
public sealed class DatabaseInitialiser(IServiceProvider services, IOptions<BoucleOptions> options, ILogger<DatabaseInitialiser> logger)
    : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (!db.IsPostgres)
        {
            // WAL lets readers go on while the sender or an import writes.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.CloseConnectionAsync();
        }

        await db.Database.MigrateAsync(cancellationToken);
        var seeder = scope.ServiceProvider.GetRequiredService<DemoSeeder>();
        await seeder.SeedReferenceAsync(cancellationToken);
        if (!options.Value.NoDemo)
        {
            await seeder.SeedDemoAsync(cancellationToken);
            await scope.ServiceProvider.GetRequiredService<Features.Loop.LoopDemoSeed>().SeedAsync(cancellationToken);
        }

        // Factors, densities, and the impact of every counted exchange (the demo's included).
        await scope.ServiceProvider.GetRequiredService<Features.Impact.ImpactService>().SeedFactorsAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<Features.Impact.ImpactService>().EnsureComputedAsync(cancellationToken);

        if (!db.IsPostgres)
        {
            // Statistics for SQLite's planner (PostgreSQL's autovacuum keeps its own), bounded so that a large
            // database still starts quickly; SQLite recommends it when a long-lived connection opens.
            await db.Database.ExecuteSqlRawAsync("PRAGMA analysis_limit=400; PRAGMA optimize=0x10002;", cancellationToken);
        }

        logger.LogInformation("Base de données prête ({Provider}).", db.IsPostgres ? "PostgreSQL" : "SQLite");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
