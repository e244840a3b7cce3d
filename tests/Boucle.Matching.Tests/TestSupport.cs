using System.Text.Json;
using Boucle.Matching.Batch;

namespace Boucle.Matching.Tests;

internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public static readonly FixedTime Default = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));

    public override DateTimeOffset GetUtcNow() => now;
}

internal static class Run
{
    public static (int Code, string Out, string Err) Command(string csv, int top = 5, string format = "json")
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = MatchCsvCommand.Run(new StringReader(csv), top, format, stdout, stderr, FixedTime.Default);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public static Dictionary<string, List<string>> Ranked(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().ToDictionary(
            e => e.GetProperty("id").GetString()!,
            e => e.GetProperty("matches").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).ToList());
    }

    public static string DataFile(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", name));
}

/// <summary>The figures of /work/shared/eval/evaluate.py, computed the same way.</summary>
internal sealed record EvalFigures(double Recall, double Mrr, int NearOk, int NearTotal, int Forbidden, List<string> Misses)
{
    public static EvalFigures Compute(Dictionary<string, List<string>> ranked, string truthJson, int top)
    {
        using var truth = JsonDocument.Parse(truthJson);
        int hits = 0, total = 0;
        double rr = 0;
        var misses = new List<string>();
        foreach (var pair in truth.RootElement.GetProperty("pairs").EnumerateArray())
        {
            var offer = pair[0].GetString()!;
            var need = pair[1].GetString()!;
            foreach (var (a, b) in new[] { (offer, need), (need, offer) })
            {
                total++;
                var list = ranked.GetValueOrDefault(a) ?? [];
                var idx = list.IndexOf(b);
                if (idx >= 0)
                {
                    rr += 1.0 / (idx + 1);
                    if (idx + 1 <= top)
                    {
                        hits++;
                        continue;
                    }
                }

                misses.Add($"{a} -> {b} rank {(idx >= 0 ? idx + 1 : 0)}");
            }
        }

        int nearOk = 0, nearTotal = 0;
        if (truth.RootElement.TryGetProperty("near_beats_far", out var nbf))
        {
            foreach (var t in nbf.EnumerateArray())
            {
                nearTotal++;
                var list = ranked.GetValueOrDefault(t[0].GetString()!) ?? [];
                var near = list.IndexOf(t[1].GetString()!);
                var far = list.IndexOf(t[2].GetString()!);
                if (near >= 0 && (far < 0 || near < far))
                {
                    nearOk++;
                }
            }
        }

        var forbidden = 0;
        if (truth.RootElement.TryGetProperty("forbidden", out var fb))
        {
            foreach (var f in fb.EnumerateArray())
            {
                var a = f[0].GetString()!;
                var b = f[1].GetString()!;
                if ((ranked.GetValueOrDefault(a) ?? []).Contains(b) || (ranked.GetValueOrDefault(b) ?? []).Contains(a))
                {
                    forbidden++;
                }
            }
        }

        return new EvalFigures(total == 0 ? 0 : hits / (double)total, total == 0 ? 0 : rr / total, nearOk, nearTotal, forbidden, misses);
    }
}
