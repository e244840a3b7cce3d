using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Boucle.Matching.Engine;
using Boucle.Matching.Knowledge;

namespace Boucle.Matching.Batch;

/// <summary>
/// The batch matching command behind <c>boucle match</c>: reads listings as CSV, matches every valid row against all
/// the others and prints the ranked counterparts.
/// </summary>
public static class MatchCsvCommand
{
    private static readonly string[] Required = ["id", "type", "title"];

    /// <summary>
    /// Runs the command. Input columns (found by header name, unknown ones ignored): id, type (offer|need),
    /// organization, title, description, quantity, unit, frequency, commune, latitude, longitude,
    /// authorised_for_hazardous (yes or empty), and optionally category, waste_code, available_from, available_to.
    /// A malformed row is reported on <paramref name="stderr"/> as "line N: message" and skipped.
    /// </summary>
    /// <param name="input">CSV text (UTF-8, RFC 4180, header on line 1).</param>
    /// <param name="top">Maximum matches per listing (at least 1).</param>
    /// <param name="format"><c>json</c> (array of {id, matches:[{id, score, pathway, distance_km, reasons}]}) or <c>csv</c>.</param>
    /// <param name="stdout">Where results go.</param>
    /// <param name="stderr">Where problems go.</param>
    /// <param name="time">Clock for "today".</param>
    /// <returns>0 when every row was valid, 1 when some rows were skipped, 2 when the input or arguments are unusable.</returns>
    public static int Run(TextReader input, int top, string format, TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        var fmt = (format ?? string.Empty).Trim().ToLowerInvariant();
        if (fmt is not ("json" or "csv"))
        {
            stderr.WriteLine($"unknown format '{format}': use json or csv");
            return 2;
        }

        if (top < 1)
        {
            stderr.WriteLine("top must be at least 1");
            return 2;
        }

        var reader = new CsvRecordReader(input);
        var header = reader.Read();
        if (header is null)
        {
            stderr.WriteLine("line 1: empty input, a header row is required");
            return 2;
        }

        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Value.Fields.Count; i++)
        {
            columns.TryAdd(header.Value.Fields[i].Trim(), i);
        }

        var missing = Required.Where(r => !columns.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            stderr.WriteLine($"line 1: missing required column(s): {string.Join(", ", missing)}");
            return 2;
        }

        var listings = new List<MatchListing>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var skipped = 0;
        while (reader.Read() is { } rec)
        {
            if (rec.Fields.Count == 1 && string.IsNullOrWhiteSpace(rec.Fields[0]))
            {
                continue; // blank line
            }

            var (listing, error, warnings) = ParseRow(rec.Fields, columns, rec.Error);
            foreach (var w in warnings)
            {
                stderr.WriteLine($"line {rec.Line}: warning: {w}");
            }

            if (listing is not null && !ids.Add(listing.Id))
            {
                error = $"duplicate id '{listing.Id}'";
            }

            if (error is not null || listing is null)
            {
                stderr.WriteLine($"line {rec.Line}: {error}");
                skipped++;
                continue;
            }

            listings.Add(listing);
        }

        var index = new SynergyEngine(time).Index(listings);
        var results = index.MatchAll(top);
        if (fmt == "json")
        {
            WriteJson(listings, results, stdout);
        }
        else
        {
            WriteCsv(listings, results, stdout);
        }

        return skipped > 0 ? 1 : 0;
    }

    private static (MatchListing? Listing, string? Error, List<string> Warnings) ParseRow(List<string> f, Dictionary<string, int> columns, string? syntaxError)
    {
        var warnings = new List<string>();
        string? Get(string name) => columns.TryGetValue(name, out var i) && i < f.Count && !string.IsNullOrWhiteSpace(f[i]) ? f[i].Trim() : null;

        if (syntaxError is not null)
        {
            return (null, syntaxError, warnings);
        }

        var id = Get("id");
        if (id is null)
        {
            return (null, "missing id", warnings);
        }

        ListingKind kind;
        switch (Get("type")?.ToLowerInvariant())
        {
            case null:
                return (null, "missing type", warnings);
            case "offer" or "offre":
                kind = ListingKind.Offer;
                break;
            case "need" or "besoin" or "demande":
                kind = ListingKind.Need;
                break;
            default:
                return (null, $"bad type '{Get("type")}': expected offer or need", warnings);
        }

        var title = Get("title");
        if (title is null)
        {
            return (null, "missing title", warnings);
        }

        decimal? quantity = null;
        if (Get("quantity") is { } qs)
        {
            if (!decimal.TryParse(qs.Replace(',', '.'), NumberStyles.Number, CultureInfo.InvariantCulture, out var q) || q < 0)
            {
                return (null, $"bad quantity '{qs}'", warnings);
            }

            quantity = q;
        }

        var lat = Get("latitude");
        var lon = Get("longitude");
        double? latitude = null, longitude = null;
        if (lat is not null || lon is not null)
        {
            if (lat is null || lon is null)
            {
                return (null, "latitude and longitude must be given together", warnings);
            }

            if (!double.TryParse(lat, NumberStyles.Float, CultureInfo.InvariantCulture, out var la) || la is < -90 or > 90 || double.IsNaN(la))
            {
                return (null, $"bad latitude '{lat}'", warnings);
            }

            if (!double.TryParse(lon, NumberStyles.Float, CultureInfo.InvariantCulture, out var lo) || lo is < -180 or > 180 || double.IsNaN(lo))
            {
                return (null, $"bad longitude '{lon}'", warnings);
            }

            (latitude, longitude) = (la, lo);
        }

        var authorised = false;
        switch (Get("authorised_for_hazardous")?.ToLowerInvariant())
        {
            case null or "no" or "non" or "false" or "0" or "n":
                break;
            case "yes" or "oui" or "true" or "1" or "y" or "x":
                authorised = true;
                break;
            default:
                return (null, $"bad authorised_for_hazardous '{Get("authorised_for_hazardous")}': expected yes or empty", warnings);
        }

        var frequency = Get("frequency");
        if (!Quantities.IsKnownFrequency(frequency))
        {
            warnings.Add($"unknown frequency '{frequency}' ignored");
            frequency = null;
        }

        var unit = Get("unit");
        if (unit is not null && Quantities.ParseUnit(unit).Dim == Dimension.None)
        {
            warnings.Add($"unknown unit '{unit}': quantity not compared");
        }

        var category = Get("category");
        if (category is not null && Taxonomy.Default.Find(category) is null)
        {
            warnings.Add($"unknown category '{category}' ignored");
            category = null;
        }

        var waste = Get("waste_code");
        if (waste is not null && ListOfWaste.Find(waste) is null)
        {
            warnings.Add($"unknown waste code '{waste}' ignored");
            waste = null;
        }

        DateOnly? from = null, to = null;
        foreach (var (name, set) in new (string, Action<DateOnly>)[] { ("available_from", d => from = d), ("available_to", d => to = d) })
        {
            if (Get(name) is { } ds)
            {
                if (!DateOnly.TryParseExact(ds, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    return (null, $"bad {name} '{ds}': expected YYYY-MM-DD", warnings);
                }

                set(d);
            }
        }

        if (from is { } a && to is { } b && b < a)
        {
            return (null, "available_to is before available_from", warnings);
        }

        var listing = new MatchListing(
            id, kind, Get("organization") ?? "#" + id, title, Get("description"), quantity, unit, frequency,
            latitude, longitude, Get("commune"), authorised, category, waste, from, to);
        return (listing, null, warnings);
    }

    private static void WriteJson(List<MatchListing> listings, IReadOnlyList<IReadOnlyList<MatchResult>> results, TextWriter stdout)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartArray();
            for (var i = 0; i < listings.Count; i++)
            {
                w.WriteStartObject();
                w.WriteString("id", listings[i].Id);
                w.WriteStartArray("matches");
                foreach (var m in results[i])
                {
                    w.WriteStartObject();
                    w.WriteString("id", m.Id);
                    w.WriteNumber("score", m.Score);
                    w.WriteString("pathway", m.Pathway);
                    if (m.DistanceKm is { } d)
                    {
                        w.WriteNumber("distance_km", d);
                    }
                    else
                    {
                        w.WriteNull("distance_km");
                    }

                    w.WriteStartArray("reasons");
                    foreach (var r in m.Reasons)
                    {
                        w.WriteStringValue(r);
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        stdout.Write(System.Text.Encoding.UTF8.GetString(ms.ToArray()));
        stdout.WriteLine();
    }

    private static void WriteCsv(List<MatchListing> listings, IReadOnlyList<IReadOnlyList<MatchResult>> results, TextWriter stdout)
    {
        stdout.WriteLine("id,rank,match_id,score,pathway,distance_km,reasons");
        for (var i = 0; i < listings.Count; i++)
        {
            var rank = 0;
            foreach (var m in results[i])
            {
                rank++;
                stdout.WriteLine(string.Join(',',
                    Quote(listings[i].Id),
                    rank.ToString(CultureInfo.InvariantCulture),
                    Quote(m.Id),
                    m.Score.ToString(CultureInfo.InvariantCulture),
                    Quote(m.Pathway),
                    m.DistanceKm?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                    Quote(string.Join(" ; ", m.Reasons))));
            }
        }
    }

    private static string Quote(string s) =>
        s.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
