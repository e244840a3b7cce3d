using System.Data.Common;
using System.Globalization;
using System.Text;
using Boucle.Bench.Generator;
using Boucle.Web.Data;
using Boucle.Web.Features.Listings;
using Boucle.Web.Features.Organisations;
using Boucle.Web.Features.Reference;
using Boucle.Web.Features.Territories;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Boucle.Bench.Search;

/// A fresh database with the application's migrations, bulk-loaded with a generated territory.
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly BenchOptions _options;
    private readonly string _connectionString;
    private readonly string? _adminConnectionString;
    private readonly string? _databaseName;
    private readonly string? _sqliteFile;

    private BenchDatabase(BenchOptions options, string connectionString, string? admin, string? name, string? sqliteFile)
    {
        _options = options;
        _connectionString = connectionString;
        _adminConnectionString = admin;
        _databaseName = name;
        _sqliteFile = sqliteFile;
    }

    private bool IsPostgres => _options.Provider == "postgres";

    public string ConnectionString => _connectionString;

    public static async Task<BenchDatabase> CreateAsync(BenchOptions options)
    {
        BenchDatabase database;
        var keep = options.Keep || options.Reuse is not null;
        if (options.Provider == "postgres")
        {
            var admin = options.Database ?? throw new InvalidOperationException("--database (or BOUCLE_BENCH_POSTGRES) names a PostgreSQL server");
            var name = options.Reuse ?? $"boucle_bench_{Guid.NewGuid():N}";
            if (options.Reuse is null)
            {
                await using var connection = new NpgsqlConnection(admin);
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
                await create.ExecuteNonQueryAsync();
            }

            database = new BenchDatabase(options, new NpgsqlConnectionStringBuilder(admin) { Database = name, CommandTimeout = 0 }.ConnectionString, admin, keep ? null : name, null);
            Console.WriteLine($"database: {name}{(keep ? " (kept)" : "")}");
        }
        else
        {
            var file = options.Reuse ?? Path.Combine(Path.GetTempPath(), $"boucle-bench-{Guid.NewGuid():N}.db");
            database = new BenchDatabase(options, $"Data Source={file};Foreign Keys=True", null, null, keep ? null : file);
            Console.WriteLine($"database: {file}{(keep ? " (kept)" : "")}");
        }

        await using var db = database.NewContext();
        await db.Database.MigrateAsync();
        if (!database.IsPostgres)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }

        return database;
    }

    /// BOUCLE_BENCH_SQL=1 prints every statement EF Core runs, with its time.
    public AppDbContext NewContext() => IsPostgres
        ? new PostgresDbContext(Logged(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql(_connectionString, x => x.UseNetTopologySuite())).Options)
        : new SqliteDbContext(Logged(new DbContextOptionsBuilder<SqliteDbContext>().UseSqlite(_connectionString)).Options);

    private static DbContextOptionsBuilder<T> Logged<T>(DbContextOptionsBuilder<T> builder)
        where T : DbContext =>
        Environment.GetEnvironmentVariable("BOUCLE_BENCH_SQL") == "1"
            ? builder.LogTo(Console.WriteLine, [Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandExecuted])
            : builder;

    public async Task LoadAsync(IReadOnlyList<GeneratedOrganisation> organisations, IReadOnlyList<GeneratedListing> listings)
    {
        var now = new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);
        int territoryId;
        var organisationIds = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var db = NewContext())
        {
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            foreach (var c in new CategoryCatalogue().All)
            {
                db.Categories.Add(new Category { Code = c.Code, ParentCode = c.ParentCode, LabelFr = c.LabelFr, LabelEn = c.LabelEn, SortOrder = c.SortOrder });
            }

            var territory = new Territory { Slug = "bench", Name = "Territoire de test", IsMain = true, CenterLatitude = 44.85, CenterLongitude = 0.48, CreatedAt = now };
            db.Territories.Add(territory);
            await db.SaveChangesAsync();
            territoryId = territory.Id;
            foreach (var chunk in organisations.Chunk(5000))
            {
                var rows = chunk.Select(o => new Organisation
                {
                    TerritoryId = territoryId,
                    Name = o.Name,
                    ExternalKey = o.Key,
                    Kind = OrganisationLabels.Parse(o.Kind) ?? OrganisationKind.Other,
                    Latitude = o.Latitude,
                    Longitude = o.Longitude,
                    HazardousAuthorised = o.HazardousAuthorised,
                    CreatedAt = now,
                }).ToList();
                db.Organisations.AddRange(rows);
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
                foreach (var row in rows)
                {
                    organisationIds[row.ExternalKey!] = row.Id;
                }
            }
        }

        var text = new SearchText();
        var wasteCodes = new WasteCodes();
        var random = new Random(_options.Seed);
        var rows2 = listings.Select((l, i) =>
        {
            var unit = ListingLabels.ParseUnit(l.Unit);
            var frequency = ListingLabels.ParseFrequency(l.Frequency) ?? Frequency.Once;
            var roll = random.NextDouble();
            var status = roll < 0.9 ? ListingStatus.Published : roll < 0.95 ? ListingStatus.Reserved : ListingStatus.Draft;
            var published = now.AddMinutes(-random.Next(0, 90 * 24 * 60));
            return new BenchListing(i + 1, organisationIds[l.OrganisationKey], l.IsOffer ? ListingType.Offer : ListingType.Need, Trim(l.Title, 140), Trim(l.Description, 4000),
                l.CategoryCode, wasteCodes.Find(l.WasteCode)?.Code, wasteCodes.Find(l.WasteCode)?.Hazardous ?? false, l.Quantity, unit, frequency,
                Listing.Annualise(l.Quantity, frequency), l.Latitude, l.Longitude, status, published);
        }).ToList();

        if (IsPostgres)
        {
            await CopyPostgresAsync(territoryId, rows2, text);
        }
        else
        {
            await InsertSqliteAsync(territoryId, rows2, text);
        }
    }

    private static string Trim(string s, int max) => s.Length <= max ? s : s[..max];

    private sealed record BenchListing(int Id, int OrganisationId, ListingType Type, string Title, string Description, string? Category, string? WasteCode, bool Hazardous,
        double? Quantity, QuantityUnit? Unit, Frequency Frequency, double? Annual, double Latitude, double Longitude, ListingStatus Status, DateTime Published);

    private async Task InsertSqliteAsync(int territoryId, List<BenchListing> rows, SearchText text)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        var listing = connection.CreateCommand();
        listing.Transaction = transaction;
        listing.CommandText = """
            INSERT INTO "Listings" ("Id","TerritoryId","OrganisationId","Type","Title","Description","CategoryCode","WasteCode","IsHazardous","Quantity","Unit","Frequency",
              "AnnualQuantity","PriceMode","Latitude","Longitude","CommuneName","ApproximateLocation","OpenToNeighbours","Status","CreatedAt","UpdatedAt","PublishedAt","Version")
            VALUES ($id,$t,$o,$type,$title,$desc,$cat,$waste,$haz,$q,$unit,$freq,$annual,'Free',$lat,$lon,NULL,0,0,$status,$pub,$pub,$pubOrNull,1)
            """;
        string[] names = ["$id", "$t", "$o", "$type", "$title", "$desc", "$cat", "$waste", "$haz", "$q", "$unit", "$freq", "$annual", "$lat", "$lon", "$status", "$pub", "$pubOrNull"];
        foreach (var n in names)
        {
            listing.Parameters.Add(new SqliteParameter(n, null));
        }

        var term = connection.CreateCommand();
        term.Transaction = transaction;
        term.CommandText = """INSERT INTO "ListingTerms" ("Term","ListingId","Weight","Type","Latitude","Longitude") VALUES ($term,$id,$w,$type,$lat,$lon)""";
        foreach (var n in new[] { "$term", "$id", "$w", "$type", "$lat", "$lon" })
        {
            term.Parameters.Add(new SqliteParameter(n, null));
        }

        listing.Prepare();
        term.Prepare();
        foreach (var r in rows)
        {
            object?[] values = [r.Id, territoryId, r.OrganisationId, r.Type.ToString(), r.Title, r.Description, r.Category, r.WasteCode, r.Hazardous, r.Quantity,
                r.Unit?.ToString(), r.Frequency.ToString(), r.Annual, r.Latitude, r.Longitude, r.Status.ToString(), r.Published, r.Status == ListingStatus.Draft ? null : r.Published];
            for (var i = 0; i < values.Length; i++)
            {
                listing.Parameters[i].Value = values[i] ?? DBNull.Value;
            }

            await listing.ExecuteNonQueryAsync();
            foreach (var (t, w) in text.IndexTerms(r.Title, r.Description))
            {
                term.Parameters[0].Value = t;
                term.Parameters[1].Value = r.Id;
                term.Parameters[2].Value = w;
                term.Parameters[3].Value = r.Type.ToString();
                term.Parameters[4].Value = r.Latitude;
                term.Parameters[5].Value = r.Longitude;
                await term.ExecuteNonQueryAsync();
            }
        }

        await transaction.CommitAsync();
        await using var analyse = connection.CreateCommand();
        analyse.CommandText = "ANALYZE;";
        await analyse.ExecuteNonQueryAsync();
    }

    private async Task CopyPostgresAsync(int territoryId, List<BenchListing> rows, SearchText text)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using (var writer = await connection.BeginBinaryImportAsync("""
            COPY "Listings" ("Id","TerritoryId","OrganisationId","Type","Title","Description","CategoryCode","WasteCode","IsHazardous","Quantity","Unit","Frequency",
              "AnnualQuantity","PriceMode","Latitude","Longitude","ApproximateLocation","OpenToNeighbours","Status","CreatedAt","UpdatedAt","PublishedAt","Version") FROM STDIN (FORMAT BINARY)
            """))
        {
            foreach (var r in rows)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(r.Id, NpgsqlDbType.Integer);
                await writer.WriteAsync(territoryId, NpgsqlDbType.Integer);
                await writer.WriteAsync(r.OrganisationId, NpgsqlDbType.Integer);
                await writer.WriteAsync(r.Type.ToString(), NpgsqlDbType.Varchar);
                await writer.WriteAsync(r.Title, NpgsqlDbType.Varchar);
                await writer.WriteAsync(r.Description, NpgsqlDbType.Varchar);
                await WriteNullable(writer, r.Category, NpgsqlDbType.Varchar);
                await WriteNullable(writer, r.WasteCode, NpgsqlDbType.Varchar);
                await writer.WriteAsync(r.Hazardous, NpgsqlDbType.Boolean);
                await WriteNullable(writer, r.Quantity, NpgsqlDbType.Double);
                await WriteNullable(writer, r.Unit?.ToString(), NpgsqlDbType.Varchar);
                await writer.WriteAsync(r.Frequency.ToString(), NpgsqlDbType.Varchar);
                await WriteNullable(writer, r.Annual, NpgsqlDbType.Double);
                await writer.WriteAsync("Free", NpgsqlDbType.Varchar);
                await writer.WriteAsync(r.Latitude, NpgsqlDbType.Double);
                await writer.WriteAsync(r.Longitude, NpgsqlDbType.Double);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean);
                await writer.WriteAsync(false, NpgsqlDbType.Boolean);
                await writer.WriteAsync(r.Status.ToString(), NpgsqlDbType.Varchar);
                await writer.WriteAsync(r.Published, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(r.Published, NpgsqlDbType.TimestampTz);
                await WriteNullable<DateTime?>(writer, r.Status == ListingStatus.Draft ? null : r.Published, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(1, NpgsqlDbType.Integer);
            }

            await writer.CompleteAsync();
        }

        await using (var writer = await connection.BeginBinaryImportAsync("""COPY "ListingTerms" ("Term","ListingId","Weight","Type","Latitude","Longitude") FROM STDIN (FORMAT BINARY)"""))
        {
            foreach (var r in rows)
            {
                foreach (var (t, w) in text.IndexTerms(r.Title, r.Description))
                {
                    await writer.StartRowAsync();
                    await writer.WriteAsync(t, NpgsqlDbType.Varchar);
                    await writer.WriteAsync(r.Id, NpgsqlDbType.Integer);
                    await writer.WriteAsync(w, NpgsqlDbType.Integer);
                    await writer.WriteAsync(r.Type.ToString(), NpgsqlDbType.Varchar);
                    await writer.WriteAsync(r.Latitude, NpgsqlDbType.Double);
                    await writer.WriteAsync(r.Longitude, NpgsqlDbType.Double);
                }
            }

            await writer.CompleteAsync();
        }

        await using var fix = new NpgsqlCommand("""SELECT setval(pg_get_serial_sequence('"Listings"', 'Id'), (SELECT max("Id") FROM "Listings"));""", connection);
        await fix.ExecuteNonQueryAsync();

        // As autovacuum would have done on a live database: statistics, and the visibility map index-only scans need.
        await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE", connection);
        await vacuum.ExecuteNonQueryAsync();
    }

    private static Task WriteNullable<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type) =>
        value is null ? writer.WriteNullAsync() : writer.WriteAsync(value, type);

    /// The same search as ListingSearch, written by hand in SQL with the same plan. With words (ADR 0014), the
    /// same WordSearch walk runs on hand-written statements (HandWrittenSteps), so the difference is what EF
    /// Core costs over the database. Without words (ADR 0006-board): a count stopped after CountCap + 1 hits,
    /// then the page; for a broad query, the nearest from the smallest circle that holds enough of them.
    public async Task<(int Total, List<int> Ids)> HandWrittenAsync(SearchText text, BenchQuery q)
    {
        await using DbConnection connection = IsPostgres ? new NpgsqlConnection(_connectionString) : new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        var groups = text.QueryGroups(q.Words);
        const int take = 20;
        var suspended = new List<int>();
        await using (var command = Command(connection, _ => """SELECT "Id" FROM "Organisations" WHERE "Suspended" """))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                suspended.Add(reader.GetInt32(0));
            }
        }

        if (groups.Count > 0)
        {
            var search = new WordSearch(new HandWrittenSteps(connection, IsPostgres, suspended), groups, q.Type, (q.Latitude, q.Longitude), q.RadiusKm);
            var (hits, words) = await search.SearchAsync(q.Sort, 0, take, CancellationToken.None);
            return (Math.Min(words, ListingSearch.CountCap), [.. (hits ?? throw new InvalidOperationException("the benchmark has no date order")).Select(h => h.Id)]);
        }

        var counted = await ScalarAsync(connection, (sql, add) => $"""SELECT count(*) FROM (SELECT 1 FROM "Listings" l WHERE {Where(q, groups, q.RadiusKm, add)} LIMIT {ListingSearch.CountCap + 1}) x""");
        var sort = q.Sort == ListingSort.Relevance ? ListingSort.Date : q.Sort;
        List<(int Id, int Score)> page;
        if (counted <= ListingSearch.CountCap)
        {
            page = await PageAsync(connection, q, groups, [], q.RadiusKm, sort, null, take);
        }
        else if (sort == ListingSort.Date)
        {
            page = await PageAsync(connection, q, groups, [], q.RadiusKm, sort, null, take, box: false);
        }
        else
        {
            const int most = 2000;
            var nearest = await NearestCircle.FindAsync(new Circle(q.Latitude, q.Longitude, q.RadiusKm), take, most, async ring =>
            {
                var hits = new List<SearchHit>();
                await using var command = Command(connection, add => $"""SELECT l."Id", l."Latitude", l."Longitude", l."PublishedAt" FROM "Listings" l WHERE {Where(q, groups, ring.RadiusKm, add)} LIMIT {most + 1}""");
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    hits.Add(new SearchHit(reader.GetInt32(0), ring.DistanceKm(reader.GetDouble(1), reader.GetDouble(2)), 0, DateTime.SpecifyKind(reader.GetDateTime(3), DateTimeKind.Utc)));
                }

                return hits.Count > most ? null : hits;
            });
            page = nearest is not null
                ? [.. nearest.Take(take).Select(h => (h.Id, 0))]
                : await PageAsync(connection, q, groups, [], q.RadiusKm, sort, null, take);
        }

        return (Math.Min(counted, ListingSearch.CountCap), [.. page.Select(p => p.Id)]);
    }

    /// The plain query: every hit sorted; only to check that the plan above gives the same page (--verify).
    public async Task<(int Total, List<int> Ids)> FullSortAsync(SearchText text, BenchQuery q)
    {
        await using DbConnection connection = IsPostgres ? new NpgsqlConnection(_connectionString) : new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        var groups = text.QueryGroups(q.Words);
        var terms = groups.SelectMany(g => g).Distinct().ToArray();
        var sort = q.Sort == ListingSort.Relevance && terms.Length == 0 ? ListingSort.Date : q.Sort;
        var page = await PageAsync(connection, q, groups, terms, q.RadiusKm, sort, null, 20);
        return (0, [.. page.Select(p => p.Id)]);
    }

    private string Where(BenchQuery q, IReadOnlyList<string[]> groups, double radiusKm, Func<object, string> add, bool box = true)
    {
        // The generated territory has no suspended organisation: like ListingSearch, no clause is written for them.
        var where = new StringBuilder("""l."Status" IN ('Published','Reserved') AND l."PublishedAt" IS NOT NULL """);
        if (q.Type is { } type)
        {
            where.Append(CultureInfo.InvariantCulture, $""" AND l."Type" = {add(type.ToString())}""");
        }

        foreach (var g in groups)
        {
            where.Append(CultureInfo.InvariantCulture, $""" AND l."Id" IN (SELECT t."ListingId" FROM "ListingTerms" t WHERE t."Term" IN ({string.Join(",", g.Select(add))}))""");
        }

        if (box)
        {
            var b = Geo.BoundingBox(q.Latitude, q.Longitude, radiusKm);
            where.Append(CultureInfo.InvariantCulture, $""" AND l."Latitude" >= {add(b.MinLat)} AND l."Latitude" <= {add(b.MaxLat)} AND l."Longitude" >= {add(b.MinLon)} AND l."Longitude" <= {add(b.MaxLon)}""");
        }

        where.Append(CultureInfo.InvariantCulture, $""" AND {Distance(q, add)} <= {add(radiusKm)}""");
        return where.ToString();
    }

    private string Distance(BenchQuery q, Func<object, string> add)
    {
        var (lat, lon) = (add(q.Latitude), add(q.Longitude));
        return IsPostgres ? $"""boucle_distance_km(l."Latitude", l."Longitude", {lat}, {lon})""" : SqlFunctions.SqliteHaversineSql("l.\"Latitude\"", "l.\"Longitude\"", lat, lon);
    }

    private async Task<List<(int Id, int Score)>> PageAsync(DbConnection connection, BenchQuery q, IReadOnlyList<string[]> groups, string[] terms, double radiusKm,
        ListingSort sort, Func<Func<object, string>, string>? extra, int take, bool box = true)
    {
        var list = new List<(int, int)>();
        await using var command = Command(connection, add =>
        {
            var score = terms.Length == 0 ? "0" : $"""(SELECT COALESCE(SUM(t."Weight"), 0) FROM "ListingTerms" t WHERE t."ListingId" = l."Id" AND t."Term" IN ({string.Join(",", terms.Select(add))}))""";
            var order = sort switch
            {
                ListingSort.Distance => """d, l."PublishedAt" DESC, l."Id" """,
                ListingSort.Date => """l."PublishedAt" DESC, l."Id" DESC""",
                _ => """s DESC, l."Id" DESC""",
            };
            return $"""
                SELECT l."Id", {Distance(q, add)} AS d, {score} AS s
                FROM "Listings" l
                WHERE {Where(q, groups, radiusKm, add, box)}{extra?.Invoke(add)} ORDER BY {order} LIMIT {take}
                """;
        });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add((Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture)));
        }

        return list;
    }

    private static async Task<int> ScalarAsync(DbConnection connection, Func<string, Func<object, string>, string> sql)
    {
        await using var command = Command(connection, add => sql("", add));
        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static DbCommand Command(DbConnection connection, Func<Func<object, string>, string> sql)
    {
        var command = connection.CreateCommand();
        var count = 0;
        string Add(object value)
        {
            var p = command.CreateParameter();
            p.ParameterName = $"@p{count++}";
            p.Value = value;
            command.Parameters.Add(p);
            return p.ParameterName;
        }

        command.CommandText = sql(Add);
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        if (_databaseName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        if (_sqliteFile is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var f in new[] { _sqliteFile, _sqliteFile + "-wal", _sqliteFile + "-shm" })
            {
                File.Delete(f);
            }
        }
    }
}
