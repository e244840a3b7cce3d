using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Boucle.Web.Data;
using Boucle.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Boucle.Web.Tests.Proof;

/// What the backup, concurrency and bad-input tests share: every table of the EF model read back
/// as text, and an API token for a demo organisation.
public static partial class ProofSupport
{
    /// A context on any Boucle database, outside the application (a restored copy, for instance).
    public static AppDbContext Open(string provider, string dataDir, string connectionString) => provider == "postgresql"
        ? new PostgresDbContext(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql(connectionString, x => x.UseNetTopologySuite()).Options)
        : new SqliteDbContext(new DbContextOptionsBuilder<SqliteDbContext>().UseSqlite($"Data Source={Path.Combine(dataDir, "boucle.db")};Pooling=False").Options);

    /// Every table the EF model maps, every row as one line of text, ordered by primary key.
    /// Tables come from the model, so an entity added by a later feature is compared too.
    public static async Task<SortedDictionary<string, List<string>>> RowsAsync(AppDbContext db)
    {
        var tables = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            foreach (var group in db.Model.GetEntityTypes().Where(e => e.GetTableName() is not null && e.GetViewName() is null).GroupBy(e => e.GetTableName()!))
            {
                var store = StoreObjectIdentifier.Table(group.Key, group.First().GetSchema());
                var columns = group.SelectMany(e => e.GetProperties()).Select(p => p.GetColumnName(store)).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
                var key = group.First().FindPrimaryKey()!.Properties.Select(p => p.GetColumnName(store)!).ToList();
                static string Quote(string name) => "\"" + name + "\"";
                string Text(string column) => db.IsPostgres ? $"{Quote(column)}::text" : $"CAST({Quote(column)} AS TEXT)";
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT {string.Join(", ", columns.Select(Text))} FROM {Quote(group.Key)} ORDER BY {string.Join(", ", key.Select(Quote))}";
                var rows = new List<string>();
                await using (var reader = await command.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        rows.Add(string.Join(" | ", Enumerable.Range(0, columns.Count).Select(i => reader.IsDBNull(i) ? "∅" : reader.GetString(i))));
                    }
                }

                tables[group.Key] = rows;
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return tables;
    }

    /// One hash per table: cheap to compare before and after a batch of requests.
    public static async Task<SortedDictionary<string, string>> ChecksumsAsync(AppDbContext db) => await ChecksumsAsync(db, []);

    /// The tables in countOnly are compared by their number of rows only: bookkeeping updates them
    /// outside any request's content (the e-mail sender marks messages sent; a token records its last use).
    public static async Task<SortedDictionary<string, string>> ChecksumsAsync(AppDbContext db, IReadOnlyCollection<string> countOnly)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (table, rows) in await RowsAsync(db))
        {
            result[table] = countOnly.Contains(table)
                ? $"{rows.Count} rows"
                : $"{rows.Count} rows, {Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', rows))))[..16]}";
        }

        return result;
    }

    /// The tables whose content differs, for an assertion message.
    public static string Differences(SortedDictionary<string, string> before, SortedDictionary<string, string> after) =>
        string.Join(", ", before.Keys.Union(after.Keys).Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k))
            .Select(k => $"{k}: {before.GetValueOrDefault(k)} -> {after.GetValueOrDefault(k)}"));

    public static async Task<string> TokenForAsync(BoucleApp app, string email)
    {
        var client = await app.SignedInAsync(email);
        var organisationId = await app.ScopedAsync(db => db.Memberships.Where(m => db.Users.Any(u => u.Id == m.UserId && u.Email == email)).Select(m => m.OrganisationId).FirstAsync());
        var response = await BoucleApp.PostFormAsync(client, "/mon-espace/jetons?handler=Create",
            new Dictionary<string, string> { ["Name"] = "Preuve", ["OrganisationId"] = $"{organisationId}" }, "/mon-espace/jetons");
        return TokenRegex().Match(await response.Content.ReadAsStringAsync()).Value;
    }

    public static HttpClient Api(BoucleApp app, string? token)
    {
        var client = app.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// Runs `boucle ARGS` as its own process, waits until it writes, waits `delay` more, then kills the
    /// whole process tree. Returns whether it was still running when killed.
    public static async Task<bool> KillMidwayAsync(string[] args, Func<Task<bool>> writing, TimeSpan delay)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Boucle.Web.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!process.HasExited && !await writing() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(2);
        }

        await Task.Delay(delay);
        var running = !process.HasExited;
        if (running)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        return running;
    }

    [GeneratedRegex("bcl_[0-9a-f]{48}")]
    private static partial Regex TokenRegex();
}
