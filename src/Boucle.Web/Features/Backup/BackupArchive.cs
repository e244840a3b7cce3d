using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Boucle.Web.Features.Backup;

/// One zip file: manifest.json, the database (an SQLite snapshot or a pg_dump custom-format file),
/// the photo store and the data-protection keys (without them, sign-in cookies and unsubscribe
/// links written before the backup stop working after a restore).
public static class BackupArchive
{
    private const string Format = "boucle-backup/1";
    private const string SqliteEntry = "database.sqlite";
    private const string PostgresEntry = "database.pgdump";
    private static readonly string[] Folders = ["photos", "keys"];

    private sealed record Manifest(string Format, string Provider, DateTime CreatedAt, string Database);

    public static async Task<string> WriteAsync(BoucleOptions options, string output, CancellationToken ct)
    {
        var work = Directory.CreateTempSubdirectory("boucle-backup-").FullName;
        var partial = output + ".partial";
        try
        {
            var provider = options.UsesPostgres ? "postgresql" : "sqlite";
            var entry = options.UsesPostgres ? PostgresEntry : SqliteEntry;
            var dump = Path.Combine(work, entry);
            if (options.UsesPostgres)
            {
                await PgDumpAsync(options.Database!, dump, ct);
            }
            else
            {
                SqliteSnapshot(options, dump);
            }

            // Files after the database: a photo written in between is at worst an unused file,
            // never a row pointing at a missing one (photos are never rewritten in place).
            var counts = new Dictionary<string, int>();
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            using (var zip = ZipFile.Open(partial, ZipArchiveMode.Create))
            {
                var manifest = zip.CreateEntry("manifest.json");
                await using (var stream = manifest.Open())
                {
                    await JsonSerializer.SerializeAsync(stream, new Manifest(Format, provider, DateTime.UtcNow, entry), cancellationToken: ct);
                }

                zip.CreateEntryFromFile(dump, entry, CompressionLevel.Fastest);
                foreach (var folder in Folders)
                {
                    counts[folder] = AddFolder(zip, Path.Combine(options.FullDataDir, folder), folder);
                }
            }

            // A backup interrupted half-way never carries the final name.
            File.Move(partial, output, overwrite: true);
            return $"Sauvegarde écrite : {output} ({provider}, {counts["photos"]} photos, {counts["keys"]} clés).";
        }
        finally
        {
            File.Delete(partial);
            Directory.Delete(work, recursive: true);
        }
    }

    public static async Task<string> RestoreAsync(BoucleOptions options, string input, bool force, CancellationToken ct)
    {
        if (!File.Exists(input))
        {
            throw new BackupException($"Fichier introuvable : {input}");
        }

        var staging = Directory.CreateTempSubdirectory("boucle-restore-").FullName;
        try
        {
            Manifest manifest;
            try
            {
                ZipFile.ExtractToDirectory(input, staging);
                await using var stream = File.OpenRead(Path.Combine(staging, "manifest.json"));
                manifest = await JsonSerializer.DeserializeAsync<Manifest>(stream, cancellationToken: ct)
                    ?? throw new BackupException("Manifeste vide.");
            }
            catch (Exception e) when (e is InvalidDataException or IOException or JsonException)
            {
                throw new BackupException($"{input} n'est pas une sauvegarde Boucle lisible ({e.Message}).");
            }

            if (manifest.Format != Format)
            {
                throw new BackupException($"Format de sauvegarde inconnu : {manifest.Format}.");
            }

            var provider = options.UsesPostgres ? "postgresql" : "sqlite";
            if (manifest.Provider != provider)
            {
                // pg_dump and an SQLite file do not translate into each other; moving between
                // databases goes through the CSV imports and exports instead.
                throw new BackupException($"Cette sauvegarde vient de {manifest.Provider} ; la base cible est {provider}.");
            }

            var dump = Path.Combine(staging, manifest.Database);
            // The database first, in one transaction: interrupted, it leaves the target as it was.
            var rows = options.UsesPostgres
                ? await PgRestoreAsync(options.Database!, dump, force, ct)
                : SqliteRestore(options, dump, force);

            Directory.CreateDirectory(options.FullDataDir);
            var files = 0;
            foreach (var folder in Folders)
            {
                files += ReplaceFolder(Path.Combine(staging, folder), Path.Combine(options.FullDataDir, folder));
            }

            return $"Sauvegarde du {manifest.CreatedAt:u} restaurée ({provider}, {rows} lignes, {files} fichiers).";
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    private static int AddFolder(ZipArchive zip, string folder, string prefix)
    {
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        var count = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var name = prefix + "/" + Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');
            zip.CreateEntryFromFile(file, name, CompressionLevel.NoCompression);
            count++;
        }

        return count;
    }

    /// Swaps the folder in by renames, so a reader never sees it half-copied.
    private static int ReplaceFolder(string from, string to)
    {
        if (!Directory.Exists(from))
        {
            Directory.CreateDirectory(from);
        }

        var count = Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories).Count();
        var old = to + ".before-restore";
        if (Directory.Exists(old))
        {
            Directory.Delete(old, recursive: true);
        }

        if (Directory.Exists(to))
        {
            Directory.Move(to, old);
        }

        CopyFolder(from, to);
        if (Directory.Exists(old))
        {
            Directory.Delete(old, recursive: true);
        }

        return count;
    }

    private static void CopyFolder(string from, string to)
    {
        // Staging may sit on another file system (/tmp): copy, not move.
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    // ---- SQLite: the online backup API copies a consistent snapshot while the application writes.

    private static string SqlitePath(BoucleOptions options) => Path.Combine(options.FullDataDir, "boucle.db");

    private static void SqliteSnapshot(BoucleOptions options, string target)
    {
        var source = SqlitePath(options);
        if (!File.Exists(source))
        {
            throw new BackupException($"Aucune base SQLite dans {options.FullDataDir} (boucle.db) : indiquez --data-dir ou --database.");
        }

        using var from = new SqliteConnection($"Data Source={source};Pooling=False;Default Timeout=30");
        using var to = new SqliteConnection($"Data Source={target};Pooling=False");
        from.Open();
        to.Open();
        from.BackupDatabase(to);
    }

    private static long SqliteRestore(BoucleOptions options, string dump, bool force)
    {
        Directory.CreateDirectory(options.FullDataDir);
        using var target = new SqliteConnection($"Data Source={SqlitePath(options)};Pooling=False;Default Timeout=30");
        using var source = new SqliteConnection($"Data Source={dump};Pooling=False");
        target.Open();
        source.Open();
        var existing = SqliteRows(target);
        if (existing > 0 && !force)
        {
            throw new BackupException($"La base {SqlitePath(options)} contient déjà {existing} lignes : ajoutez --force pour la remplacer.");
        }

        // The backup API writes every page of the target in one transaction.
        source.BackupDatabase(target);
        return SqliteRows(target);
    }

    private static long SqliteRows(SqliteConnection connection)
    {
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__EFMigrationsHistory'";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        long rows = 0;
        foreach (var table in tables)
        {
            using var count = connection.CreateCommand();
            count.CommandText = $"SELECT count(*) FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
            rows += (long)count.ExecuteScalar()!;
        }

        return rows;
    }

    // ---- PostgreSQL: pg_dump (a consistent snapshot by itself) and pg_restore in one transaction.

    private static async Task PgDumpAsync(string connectionString, string target, CancellationToken ct)
    {
        var (conninfo, password) = LibpqConnection(connectionString);
        await RunAsync("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", $"--file={target}", $"--dbname={conninfo}"], password, ct);
    }

    private static async Task<long> PgRestoreAsync(string connectionString, string dump, bool force, CancellationToken ct)
    {
        await CreateDatabaseIfMissingAsync(connectionString, ct);
        var existing = await PostgresRowsAsync(connectionString, ct);
        if (existing > 0 && !force)
        {
            throw new BackupException($"La base {new NpgsqlConnectionStringBuilder(connectionString).Database} contient déjà {existing} lignes : ajoutez --force pour la remplacer.");
        }

        var (conninfo, password) = LibpqConnection(connectionString);
        // --clean drops what the backup recreates (an empty schema left by migrations included);
        // --single-transaction makes the whole restore one commit.
        await RunAsync("pg_restore", ["--clean", "--if-exists", "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges", $"--dbname={conninfo}", dump], password, ct);
        NpgsqlConnection.ClearAllPools();
        return await PostgresRowsAsync(connectionString, ct);
    }

    private static async Task CreateDatabaseIfMissingAsync(string connectionString, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var name = builder.Database ?? throw new BackupException("La chaîne de connexion ne nomme pas de base (Database=...).");
        builder.Database = "postgres";
        builder.Pooling = false;
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", name);
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task<long> PostgresRowsAsync(string connectionString, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(ct);
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            """
            SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
              AND table_name NOT IN ('__EFMigrationsHistory', 'spatial_ref_sys')
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                tables.Add(reader.GetString(0));
            }
        }

        long rows = 0;
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
            rows += (long)(await count.ExecuteScalarAsync(ct))!;
        }

        return rows;
    }

    /// pg_dump takes a libpq connection string; the password goes through the environment, not argv.
    private static (string Conninfo, string? Password) LibpqConnection(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        static string Quote(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(b.Host))
        {
            parts.Add($"host={Quote(b.Host)}");
        }

        parts.Add($"port={b.Port.ToString(CultureInfo.InvariantCulture)}");
        if (!string.IsNullOrEmpty(b.Database))
        {
            parts.Add($"dbname={Quote(b.Database)}");
        }

        if (!string.IsNullOrEmpty(b.Username))
        {
            parts.Add($"user={Quote(b.Username)}");
        }

        return (string.Join(' ', parts), b.Password);
    }

    /// PATH first (Debian's wrapper picks the server's version), then the newest /usr/lib/postgresql/N/bin.
    public static string? FindTool(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator) ?? [];
        var versioned = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).Select(d => Path.Combine(d, "bin"))
            : [];
        return path.Concat(versioned).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }

    private static async Task RunAsync(string tool, IReadOnlyList<string> arguments, string? password, CancellationToken ct)
    {
        var file = FindTool(tool) ?? throw new BackupException(
            $"{tool} est introuvable (ni dans le PATH, ni dans /usr/lib/postgresql/*/bin) : installez postgresql-client (apt-get install postgresql-client).");
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (!string.IsNullOrEmpty(password))
        {
            start.Environment["PGPASSWORD"] = password;
        }

        using var process = Process.Start(start) ?? throw new BackupException($"{tool} n'a pas démarré.");
        var stderr = process.StandardError.ReadToEndAsync(ct);
        _ = process.StandardOutput.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new BackupException($"{tool} a échoué (code {process.ExitCode}) : {(await stderr).Trim()}");
        }
    }
}
