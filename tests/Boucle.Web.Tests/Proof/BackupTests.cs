using System.Net;
using Boucle.Web.Features.Backup;
using Boucle.Web.Features.Listings;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Boucle.Web.Tests.Proof;

public abstract class BackupTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    /// A restore target beside the fixture: an empty folder, and for PostgreSQL a database name
    /// that does not exist yet (restore creates it).
    private sealed class Target : IAsyncDisposable
    {
        public Target(BoucleApp app)
        {
            DataDir = Directory.CreateTempSubdirectory("boucle-restore-test-").FullName;
            ConnectionString = app.Provider == "postgresql"
                ? new NpgsqlConnectionStringBuilder(app.ConnectionString) { Database = $"boucle_restore_{Guid.NewGuid():N}" }.ConnectionString
                : "";
        }

        public string DataDir { get; }
        public string ConnectionString { get; }

        public string[] Args => string.IsNullOrEmpty(ConnectionString) ? ["--data-dir", DataDir] : ["--data-dir", DataDir, "--database", ConnectionString];

        public BoucleOptions Options => new() { DataDir = DataDir, Database = ConnectionString };

        public async ValueTask DisposeAsync()
        {
            if (!string.IsNullOrEmpty(ConnectionString))
            {
                NpgsqlConnection.ClearAllPools();
                await using var connection = new NpgsqlConnection(PostgresApp.AdminConnectionString);
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(ConnectionString).Database}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            }

            Directory.Delete(DataDir, recursive: true);
        }
    }

    private string[] SourceArgs => app.Provider == "postgresql" ? ["--data-dir", app.DataDir, "--database", app.ConnectionString] : ["--data-dir", app.DataDir];

    [Fact]
    public async Task A_backup_of_the_running_demo_restores_into_an_empty_database_with_every_table_identical()
    {
        // Extra data on top of the demo: a listing created through the API and a photo on disk.
        var token = await ProofSupport.TokenForAsync(app, "scierie-delmas@demo.example.org");
        var created = await ProofSupport.Api(app, token).PostAsync("/api/v1/listings",
            ProofSupport.Json("""{"type":"offer","title":"Plots de chêne à sauvegarder","quantity":2,"unit":"t","frequency":"yearly"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var listingId = await app.ScopedAsync(db => db.Listings.Where(l => l.Title == "Plots de chêne à sauvegarder").Select(l => l.Id).SingleAsync());
        var photo = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5 };
        Directory.CreateDirectory(Path.Combine(app.DataDir, "photos"));
        await File.WriteAllBytesAsync(Path.Combine(app.DataDir, "photos", "sauvegarde.jpg"), photo);
        await app.ScopedAsync(async db =>
        {
            db.ListingPhotos.Add(new ListingPhoto { ListingId = listingId, FileName = "sauvegarde.jpg", AltText = "Plots empilés", Width = 4, Height = 3 });
            return await db.SaveChangesAsync();
        });

        // The first backup runs while the application keeps writing: it must still be one consistent state.
        using var stop = new CancellationTokenSource();
        var writes = 0;
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await app.ScopedAsync(db => db.Listings.Where(l => l.Id == listingId).ExecuteUpdateAsync(s => s.SetProperty(l => l.Version, l => l.Version + 1)));
                writes++;
            }
        });
        var busy = Path.Combine(app.DataDir, "..", $"{Guid.NewGuid():N}-busy.zip");
        var busyExit = await BoucleCli.RunAsync(["backup", "--output", busy, .. SourceArgs]);
        await stop.CancelAsync();
        await writer;
        Assert.Equal(0, busyExit);
        Assert.True(writes > 0);
        var finalVersion = await app.ScopedAsync(db => db.Listings.Where(l => l.Id == listingId).Select(l => l.Version).SingleAsync());
        await using (var during = new Target(app))
        {
            Assert.Equal(0, await BoucleCli.RunAsync(["restore", "--input", busy, .. during.Args]));
            await using var copy = ProofSupport.Open(app.Provider, during.DataDir, during.ConnectionString);
            var version = await copy.Listings.Where(l => l.Id == listingId).Select(l => l.Version).SingleAsync();
            Assert.InRange(version, 0, finalVersion);
            if (!copy.IsPostgres)
            {
                Assert.Equal("ok", await copy.Database.SqlQueryRaw<string>("PRAGMA integrity_check").ToListAsync() is [var check] ? check : "several answers");
            }
        }

        // Quiet now: the backup and the restored copy must agree on every row of every table.
        var file = Path.Combine(app.DataDir, "..", $"{Guid.NewGuid():N}.zip");
        Assert.Equal(0, await BoucleCli.RunAsync(["backup", "--output", file, .. SourceArgs]));
        var expected = await app.ScopedAsync(ProofSupport.RowsAsync);
        await using var target = new Target(app);
        Assert.Equal(0, await BoucleCli.RunAsync(["restore", "--input", file, .. target.Args]));
        await using (var restored = ProofSupport.Open(app.Provider, target.DataDir, target.ConnectionString))
        {
            var actual = await ProofSupport.RowsAsync(restored);
            Assert.Equal(expected.Keys, actual.Keys);
            Assert.True(expected.Count >= 15, $"only {expected.Count} tables compared");
            foreach (var (table, rows) in expected)
            {
                Assert.True(rows.SequenceEqual(actual[table]), $"table {table} differs after restore ({rows.Count} rows before, {actual[table].Count} after)");
            }

            Assert.Contains(actual["Listings"], row => row.Contains("Plots de chêne à sauvegarder", StringComparison.Ordinal));
            Assert.Contains(actual["ListingPhotos"], row => row.Contains("Plots empilés", StringComparison.Ordinal));
        }

        // The photo store and the data-protection keys come back with the rows.
        Assert.Equal(photo, await File.ReadAllBytesAsync(Path.Combine(target.DataDir, "photos", "sauvegarde.jpg")));
        Assert.Equal(
            Directory.GetFiles(Path.Combine(app.DataDir, "keys")).Select(Path.GetFileName).Order(),
            Directory.GetFiles(Path.Combine(target.DataDir, "keys")).Select(Path.GetFileName).Order());

        // A second restore onto the now non-empty database is refused without --force, and changes nothing.
        var refusal = await Assert.ThrowsAsync<BackupException>(() => BackupArchive.RestoreAsync(target.Options, file, force: false, CancellationToken.None));
        Assert.Contains("--force", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(1, await BoucleCli.RunAsync(["restore", "--input", file, .. target.Args]));
        Assert.Equal(0, await BoucleCli.RunAsync(["restore", "--input", file, "--force", .. target.Args]));
        await using (var again = ProofSupport.Open(app.Provider, target.DataDir, target.ConnectionString))
        {
            Assert.Equal(expected["Listings"], (await ProofSupport.RowsAsync(again))["Listings"]);
        }

        File.Delete(busy);
        File.Delete(file);
    }

    [Fact]
    public async Task A_backup_from_the_other_database_or_a_file_that_is_not_a_backup_is_refused_with_a_message()
    {
        await using var target = new Target(app);
        var notZip = Path.Combine(target.DataDir, "pas-une-sauvegarde.zip");
        await File.WriteAllTextAsync(notZip, "bonjour");
        var unreadable = await Assert.ThrowsAsync<BackupException>(() => BackupArchive.RestoreAsync(target.Options, notZip, force: false, CancellationToken.None));
        Assert.Contains("n'est pas une sauvegarde Boucle", unreadable.Message, StringComparison.Ordinal);

        var file = Path.Combine(target.DataDir, "source.zip");
        await BackupArchive.WriteAsync(new BoucleOptions { DataDir = app.DataDir, Database = app.ConnectionString }, file, CancellationToken.None);
        var other = app.Provider == "postgresql"
            ? new BoucleOptions { DataDir = target.DataDir }
            : new BoucleOptions { DataDir = target.DataDir, Database = new NpgsqlConnectionStringBuilder(PostgresApp.AdminConnectionString) { Database = "jamais_creee" }.ConnectionString };
        var mismatch = await Assert.ThrowsAsync<BackupException>(() => BackupArchive.RestoreAsync(other, file, force: false, CancellationToken.None));
        Assert.Contains("Cette sauvegarde vient de", mismatch.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(target.DataDir, "boucle.db")));
    }
}

public sealed class BackupTestsOnSqlite(SqliteApp app) : BackupTests<SqliteApp>(app);

public sealed class BackupTestsOnPostgres(PostgresApp app) : BackupTests<PostgresApp>(app);
