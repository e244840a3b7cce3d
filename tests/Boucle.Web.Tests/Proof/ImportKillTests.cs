using System.Text;
using Boucle.Web.Features.Backup;
using Boucle.Web.Features.Moderation;
using Boucle.Web.Features.Workspace;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit.Abstractions;

namespace Boucle.Web.Tests.Proof;

/// `boucle import organisations` of the largest file allowed (10,000 rows), killed (SIGKILL of the
/// whole process tree) while it writes: the database holds every row of the file or none of them,
/// and running the import again afterwards brings each organisation in exactly once.
public abstract class ImportKillTests<TApp>(TApp app, ITestOutputHelper output) : IClassFixture<TApp>
    where TApp : BoucleApp
{
    private const int Rows = OrganisationImporter.MaxRows;

    private string[] Args(string dataDir, string connectionString) =>
        app.Provider == "postgresql" ? ["--data-dir", dataDir, "--database", connectionString] : ["--data-dir", dataDir];

    [Fact]
    public async Task A_large_import_killed_while_it_writes_leaves_all_the_rows_or_none_and_a_rerun_imports_each_once()
    {
        var work = Directory.CreateTempSubdirectory("boucle-import-kill-").FullName;
        var target = Path.Combine(work, "target");
        var targetDb = app.Provider == "postgresql"
            ? new NpgsqlConnectionStringBuilder(app.ConnectionString) { Database = $"boucle_ikill_{Guid.NewGuid():N}" }.ConnectionString
            : "";
        try
        {
            // The target is a copy of the demo, restored before each attempt: the application's own background writes stay out of it.
            var demo = Path.Combine(work, "demo.zip");
            await BackupArchive.WriteAsync(new BoucleOptions { DataDir = app.DataDir, Database = app.ConnectionString }, demo, CancellationToken.None);
            var options = new BoucleOptions { DataDir = target, Database = targetDb };
            await BackupArchive.RestoreAsync(options, demo, force: true, CancellationToken.None);
            var (csv, sirets) = await LargeFileAsync(work, target, targetDb);
            var before = await StateAsync(target, targetDb);
            string[] importArgs = ["import", "organisations", "--input", csv, .. Args(target, targetDb)];

            var outcomes = new List<string>();
            foreach (var extraDelay in new[] { 0, 250, 1000, 3000 })
            {
                await BackupArchive.RestoreAsync(options, demo, force: true, CancellationToken.None);
                var killed = await ProofSupport.KillMidwayAsync(importArgs, () => WritingAsync(target, targetDb), TimeSpan.FromMilliseconds(extraDelay));
                var outcome = await OutcomeAsync(target, targetDb, before, sirets);
                outcomes.Add($"killed {(killed ? "while writing" : "after it ended")} (+{extraDelay} ms): {outcome}");
                Assert.True(!outcome.StartsWith("HALF", StringComparison.Ordinal), string.Join("\n", outcomes));
            }

            output.WriteLine(string.Join("\n", outcomes));
            Assert.Contains(outcomes, o => o.StartsWith("killed while writing", StringComparison.Ordinal));

            // Killed once more as soon as it writes, then the same command run to its end: every organisation of the file, once.
            await BackupArchive.RestoreAsync(options, demo, force: true, CancellationToken.None);
            await ProofSupport.KillMidwayAsync(importArgs, () => WritingAsync(target, targetDb), TimeSpan.Zero);
            Assert.Equal("as it was", await OutcomeAsync(target, targetDb, before, sirets));
            var started = DateTime.UtcNow;
            Assert.Equal(0, await RunAsync(importArgs));
            output.WriteLine($"a full import of {Rows} rows took {(DateTime.UtcNow - started).TotalSeconds:F1} s, process start included");
            Assert.Equal("complete", await OutcomeAsync(target, targetDb, before, sirets));
            await using var db = ProofSupport.Open(app.Provider, target, targetDb);
            var counts = await db.Organisations.Where(o => o.Siret != null && sirets.Contains(o.Siret)).GroupBy(o => o.Siret).Select(g => g.Count()).ToListAsync();
            Assert.Equal(Rows, counts.Count);
            Assert.All(counts, c => Assert.Equal(1, c));
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

    /// "as it was" (every table unchanged), "complete" (every row of the file, one more journal line,
    /// every other table unchanged) or "HALF-WRITTEN ..." with what differs.
    private async Task<string> OutcomeAsync(string dataDir, string connectionString, SortedDictionary<string, string> before, List<string> sirets)
    {
        var state = await StateAsync(dataDir, connectionString);
        await using var db = ProofSupport.Open(app.Provider, dataDir, connectionString);
        if (!db.IsPostgres)
        {
            Assert.Equal(["ok"], await db.Database.SqlQueryRaw<string>("PRAGMA integrity_check").ToListAsync());
        }

        if (state.SequenceEqual(before))
        {
            return "as it was";
        }

        var imported = await db.Organisations.CountAsync(o => o.Siret != null && sirets.Contains(o.Siret));
        var organisations = await db.Organisations.CountAsync();
        var journal = await db.Set<AuditEntry>().CountAsync();
        var imports = await db.Set<AuditEntry>().CountAsync(a => a.Action == WorkspaceAudit.Import);
        var others = state.Keys.Where(k => k is not "Organisations" and not "AuditEntries").All(k => state[k] == before.GetValueOrDefault(k));
        return imported == Rows && organisations == Count(before, "Organisations") + Rows && journal == Count(before, "AuditEntries") + 1 && imports == 1 && others
            ? "complete"
            : $"HALF-WRITTEN: {imported} of {Rows} rows; {ProofSupport.Differences(before, state)}";
    }

    private static int Count(SortedDictionary<string, string> state, string table) => int.Parse(state[table].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

    /// The largest file the import takes: 10,000 valid rows in the territory's communes, each with its
    /// own valid SIRET and a few hundred characters of description (about 3.5 MB, under the 5 MB limit).
    private async Task<(string Path, List<string> Sirets)> LargeFileAsync(string work, string dataDir, string connectionString)
    {
        await using var db = ProofSupport.Open(app.Provider, dataDir, connectionString);
        var main = await db.Territories.Where(t => t.IsMain).Select(t => t.Id).SingleAsync();
        var communes = await db.TerritoryCommunes.Where(c => c.TerritoryId == main).Select(c => c.CommuneInsee).OrderBy(c => c).ToListAsync();
        Assert.NotEmpty(communes);
        var text = new StringBuilder("nom;siret;type;naf;adresse;code_postal;code_commune;description;site_web\n");
        var sirets = new List<string>(Rows);
        var description = string.Concat(Enumerable.Repeat("Chutes de bois, palettes et copeaux disponibles chaque semaine. ", 5)).Trim();
        for (var i = 0; i < Rows; i++)
        {
            var siret = ValidSiret($"9{i:D12}");
            sirets.Add(siret);
            text.Append($"Atelier importé {i:D5};{siret};company;16.23Z;{i % 90 + 1} rue des Essais;;{communes[i % communes.Count]};{description} (n° {i});https://atelier-{i}.example.org\n");
        }

        var path = Path.Combine(work, "organisations.csv");
        await File.WriteAllTextAsync(path, text.ToString(), new UTF8Encoding(false));
        Assert.InRange(new FileInfo(path).Length, 2_000_000, OrganisationImporter.MaxBytes);
        return (path, sirets);
    }

    /// 13 digits and the Luhn check digit that makes them a valid SIRET.
    private static string ValidSiret(string thirteen) =>
        Enumerable.Range(0, 10).Select(d => thirteen + d).First(Boucle.Web.Features.Organisations.Siret.IsValid);

    private async Task<SortedDictionary<string, string>> StateAsync(string dataDir, string connectionString)
    {
        NpgsqlConnection.ClearAllPools();
        await using var db = ProofSupport.Open(app.Provider, dataDir, connectionString);
        return await ProofSupport.ChecksumsAsync(db);
    }

    private static async Task<int> RunAsync(string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Boucle.Web.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await stdout + await stderr);
        return process.ExitCode;
    }

    /// True once the import's transaction has written rows: on SQLite its pages overflow the page
    /// cache into the WAL (migrations' bookkeeping writes only a few pages, well under the threshold);
    /// on PostgreSQL a session of the target database holds a transaction id, which a transaction
    /// gets at its first write.
    private static async Task<bool> WritingAsync(string dataDir, string connectionString)
    {
        if (connectionString.Length == 0)
        {
            var wal = new FileInfo(Path.Combine(dataDir, "boucle.db-wal"));
            return wal.Exists && wal.Length > 256 * 1024;
        }

        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = @db AND backend_xid IS NOT NULL", connection);
        command.Parameters.AddWithValue("db", new NpgsqlConnectionStringBuilder(connectionString).Database!);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }
}

public sealed class ImportKillTestsOnSqlite(SqliteApp app, ITestOutputHelper output) : ImportKillTests<SqliteApp>(app, output);

public sealed class ImportKillTestsOnPostgres(PostgresApp app, ITestOutputHelper output) : ImportKillTests<PostgresApp>(app, output);
