using Boucle.Web.Features.Backup;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit.Abstractions;

namespace Boucle.Web.Tests.Proof;

/// A large write killed half-way (SIGKILL of the whole process tree) leaves the database either as
/// it was or complete, never in between. The write here is `boucle restore --force` of a large
/// backup over an existing database. ImportKillTests puts `boucle import organisations` to the same test.
public abstract class KillTests<TApp>(TApp app, ITestOutputHelper output) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    private const int ExtraRows = 150_000;

    private string[] Args(string dataDir, string connectionString) =>
        app.Provider == "postgresql" ? ["--data-dir", dataDir, "--database", connectionString] : ["--data-dir", dataDir];

    [Fact]
    public async Task A_large_restore_killed_half_way_leaves_the_database_as_it_was_or_complete()
    {
        var work = Directory.CreateTempSubdirectory("boucle-kill-").FullName;
        var target = Path.Combine(work, "target");
        var targetDb = app.Provider == "postgresql"
            ? new NpgsqlConnectionStringBuilder(app.ConnectionString) { Database = $"boucle_kill_{Guid.NewGuid():N}" }.ConnectionString
            : "";
        try
        {
            // Two states: the demo as it is (the target's content before), and the demo with many more rows (what is written).
            var small = Path.Combine(work, "small.zip");
            await BackupArchive.WriteAsync(new BoucleOptions { DataDir = app.DataDir, Database = app.ConnectionString }, small, CancellationToken.None);
            await app.ScopedAsync(db => db.Database.ExecuteSqlRawAsync(db.IsPostgres
                ? $"INSERT INTO \"ListingTerms\" (\"ListingId\", \"Term\", \"Weight\", \"Type\", \"Latitude\", \"Longitude\") SELECT (SELECT min(\"Id\") FROM \"Listings\"), 'terme' || i, 1, 'Offer', 44.85, 0.48 FROM generate_series(1, {ExtraRows}) AS i"
                : $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {ExtraRows}) INSERT INTO \"ListingTerms\" (\"ListingId\", \"Term\", \"Weight\", \"Type\", \"Latitude\", \"Longitude\") SELECT (SELECT min(\"Id\") FROM \"Listings\"), 'terme' || i, 1, 'Offer', 44.85, 0.48 FROM n"));
            var large = Path.Combine(work, "large.zip");
            await BackupArchive.WriteAsync(new BoucleOptions { DataDir = app.DataDir, Database = app.ConnectionString }, large, CancellationToken.None);
            // Both states as restored, so that the application's own background writes do not blur them.
            var options = new BoucleOptions { DataDir = target, Database = targetDb };
            await BackupArchive.RestoreAsync(options, large, force: true, CancellationToken.None);
            var after = await StateAsync(target, targetDb);
            await BackupArchive.RestoreAsync(options, small, force: true, CancellationToken.None);
            var before = await StateAsync(target, targetDb);
            Assert.NotEqual(before, after);

            var outcomes = new List<string>();
            foreach (var extraDelay in new[] { 0, 40, 150, 400 })
            {
                // The target holds the small state, then a forced restore of the large one is killed.
                await BackupArchive.RestoreAsync(options, small, force: true, CancellationToken.None);
                var killed = await ProofSupport.KillMidwayAsync(["restore", "--input", large, "--force", .. Args(target, targetDb)], () => WritingAsync(target, targetDb), TimeSpan.FromMilliseconds(extraDelay));
                var state = await StateAsync(target, targetDb);
                await using var db = ProofSupport.Open(app.Provider, target, targetDb);
                var outcome = Same(state, before) ? "as it was" : Same(state, after) ? "complete" : "HALF-WRITTEN";
                if (!db.IsPostgres)
                {
                    Assert.Equal(["ok"], await db.Database.SqlQueryRaw<string>("PRAGMA integrity_check").ToListAsync());
                }

                outcomes.Add($"killed {(killed ? "while writing" : "after it ended")} (+{extraDelay} ms): {outcome}");
                Assert.True(outcome != "HALF-WRITTEN", string.Join("\n", outcomes));
            }

            output.WriteLine(string.Join("\n", outcomes));
            Assert.Contains(outcomes, o => o.StartsWith("killed while writing", StringComparison.Ordinal));
        }
        finally
        {
            if (targetDb.Length > 0)
            {
                NpgsqlConnection.ClearAllPools();
                await using var connection = new NpgsqlConnection(PostgresApp.AdminConnectionString);
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(targetDb).Database}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            }

            Directory.Delete(work, recursive: true);
        }
    }

    private async Task<SortedDictionary<string, string>> StateAsync(string dataDir, string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        await using var db = ProofSupport.Open(app.Provider, dataDir, connectionString);
        return await ProofSupport.ChecksumsAsync(db);
    }

    private static bool Same(SortedDictionary<string, string> a, SortedDictionary<string, string> b) => a.SequenceEqual(b);

    /// True once the command has started writing to the database: the SQLite file's rollback journal
    /// or WAL is in use, or pg_restore holds a connection to the target database.
    private static async Task<bool> WritingAsync(string dataDir, string connectionString)
    {
        if (connectionString.Length == 0)
        {
            var wal = new FileInfo(Path.Combine(dataDir, "boucle.db-wal"));
            return File.Exists(Path.Combine(dataDir, "boucle.db-journal")) || (wal.Exists && wal.Length > 0);
        }

        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = @db AND application_name = 'pg_restore'", connection);
        command.Parameters.AddWithValue("db", new NpgsqlConnectionStringBuilder(connectionString).Database!);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }
}

public sealed class KillTestsOnSqlite(SqliteApp app, ITestOutputHelper output) : KillTests<SqliteApp>(app, output);

public sealed class KillTestsOnPostgres(PostgresApp app, ITestOutputHelper output) : KillTests<PostgresApp>(app, output);
