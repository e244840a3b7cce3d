using System.Diagnostics;
using System.Globalization;
using Boucle.Bench.Generator;
using Boucle.Matching.Engine;

namespace Boucle.Bench.Matching;

/// <summary>
/// End-to-end figures of the synergy engine on a generated territory: index time, single-listing match latency
/// (new listings, not in the index), full re-match (<c>MatchAll</c>), memory, and the naive all-pairs scoring it
/// replaces (on a sample, extrapolated). Plain Stopwatch measurements; see bench/README.md.
/// </summary>
public static class MatchingBench
{
    private static readonly TimeProvider Clock = new FixedClock(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));

    public static Task<int> RunAsync(string[] args)
    {
        var n = Arg(args, "--listings", 100_000);
        var queries = Arg(args, "--queries", 500);
        var seed = Arg(args, "--seed", 42);
        var top = Arg(args, "--top", 10);
        var naiveSample = Arg(args, "--naive-sample", 200);
        // 0 = the full MatchAll; K > 0 = time K indexed listings only and extrapolate (for slow engines).
        var allSample = Arg(args, "--all-sample", 0);
        var skipAll = args.Contains("--skip-all");
        var inv = CultureInfo.InvariantCulture;

        Console.WriteLine($"command: dotnet run --project bench/Boucle.Bench -c Release -- match {string.Join(' ', args)}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {RuntimeInfoText()}, load average {LoadAverage()}");
        var sw = Stopwatch.StartNew();
        var (orgs, generated) = TerritoryGenerator.Generate(n + queries, seed);
        var all = TerritoryListings.ToMatchListings(orgs, generated);
        var indexed = all[..n];
        var fresh = all[n..];
        Console.WriteLine(string.Create(inv, $"generated {n:N0} listings (+{queries} new ones to query), {orgs.Count:N0} organisations, {generated.Take(n).Select(l => l.Title).Distinct(StringComparer.Ordinal).Count():N0} distinct titles, {indexed.Count(l => l.Kind == ListingKind.Offer):N0} offers, in {sw.ElapsedMilliseconds} ms"));

        var engine = new SynergyEngine(Clock);
        // Warm the JIT and the embedded knowledge on a small index so the timing is the index itself.
        engine.Index(all[..Math.Min(200, all.Length)]).MatchAll(top);

        var alloc0 = GC.GetTotalAllocatedBytes(precise: true);
        sw.Restart();
        var index = engine.Index(indexed);
        var indexMs = sw.Elapsed.TotalMilliseconds;
        var indexAlloc = GC.GetTotalAllocatedBytes(precise: true) - alloc0;
        GC.Collect();
        Console.WriteLine(string.Create(inv, $"index: {indexMs / 1000:0.00} s, allocated {Mb(indexAlloc)}, managed heap after GC {Mb(GC.GetTotalMemory(false))}"));

        // Single listing: new listings, one at a time, on one thread (as a web request would).
        for (var i = 0; i < Math.Min(20, fresh.Length); i++)
        {
            index.Match(fresh[i], top);
        }

        var latencies = new double[fresh.Length];
        var cpu = new double[fresh.Length];
        var results = 0;
        alloc0 = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < fresh.Length; i++)
        {
            var c0 = ThreadCpuMs();
            var t = Stopwatch.GetTimestamp();
            results += index.Match(fresh[i], top).Count;
            latencies[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            cpu[i] = ThreadCpuMs() - c0;
        }

        var matchAlloc = GC.GetTotalAllocatedBytes(precise: true) - alloc0;
        Array.Sort(latencies);
        Array.Sort(cpu);
        if (latencies.Length > 0)
        {
            Console.WriteLine(string.Create(inv,
                $"match one new listing (top {top}, {latencies.Length} queries): p50 {Pct(latencies, 50):0.00} ms, p95 {Pct(latencies, 95):0.00} ms, p99 {Pct(latencies, 99):0.00} ms, max {latencies[^1]:0.00} ms, mean {latencies.Average():0.00} ms; {results / (double)latencies.Length:0.0} results/query, {matchAlloc / 1024.0 / latencies.Length:0.0} KB/query allocated"));
            if (!double.IsNaN(cpu[0]))
            {
                // Thread CPU time: what the query costs without other processes competing for the cores.
                Console.WriteLine(string.Create(inv,
                    $"  same, thread CPU time: p50 {Pct(cpu, 50):0.00} ms, p95 {Pct(cpu, 95):0.00} ms, p99 {Pct(cpu, 99):0.00} ms, max {cpu[^1]:0.00} ms"));
            }
        }

        if (!skipAll)
        {
            alloc0 = GC.GetTotalAllocatedBytes(precise: true);
            var cpu0 = ProcessCpuSeconds();
            sw.Restart();
            double allSeconds;
            long pairsOut;
            if (allSample > 0 && allSample < indexed.Length)
            {
                // Same path as MatchAll (prepared items, parallel), on the first K listings.
                var part = new int[allSample];
                Parallel.For(0, allSample, i => part[i] = index.Match(indexed[i], top).Count);
                var s = sw.Elapsed.TotalSeconds;
                allSeconds = s * indexed.Length / allSample;
                pairsOut = part.Sum();
                Console.WriteLine(string.Create(inv, $"full re-match: {allSample:N0} of {indexed.Length:N0} listings in {s:0.00} s → extrapolated {allSeconds:0.0} s for all"));
            }
            else
            {
                var everything = index.MatchAll(top);
                allSeconds = sw.Elapsed.TotalSeconds;
                pairsOut = everything.Sum(r => (long)r.Count);
                Console.WriteLine(string.Create(inv, $"full re-match (MatchAll, top {top}): {allSeconds:0.00} s for {indexed.Length:N0} listings ({allSeconds * 1000 / indexed.Length:0.000} ms/listing wall on {Environment.ProcessorCount} cores), {pairsOut:N0} proposals"));
            }

            var cpuSeconds = ProcessCpuSeconds() - cpu0;
            if (allSample > 0 && allSample < indexed.Length)
            {
                cpuSeconds *= indexed.Length / (double)allSample;
            }

            Console.WriteLine(string.Create(inv, $"  CPU time {cpuSeconds:0.0} s (÷ {Environment.ProcessorCount} cores = {cpuSeconds / Environment.ProcessorCount:0.0} s on an otherwise idle machine); allocated {Mb(GC.GetTotalAllocatedBytes(precise: true) - alloc0)}"));
        }

        if (naiveSample > 0)
        {
            // Naive all-pairs: every offer × need scored with the same scoring function, on a sample of listings
            // (in parallel like MatchAll), extrapolated to the whole territory.
            var step = Math.Max(1, indexed.Length / naiveSample);
            var sample = Enumerable.Range(0, naiveSample).Select(i => indexed[(i * step) % indexed.Length]).ToArray();
            var naive = new IReadOnlyList<MatchResult>[sample.Length];
            var cpu0 = ProcessCpuSeconds();
            sw.Restart();
            Parallel.For(0, sample.Length, i => naive[i] = index.MatchExhaustive(sample[i], top));
            var naiveSeconds = sw.Elapsed.TotalSeconds;
            var naiveCpu = ProcessCpuSeconds() - cpu0;
            var offers = indexed.Count(l => l.Kind == ListingKind.Offer);
            var pairs = (long)offers * (indexed.Length - offers);
            Console.WriteLine(string.Create(inv,
                $"naive all-pairs: {sample.Length} listings × every counterpart in {naiveSeconds:0.00} s → extrapolated {naiveSeconds * indexed.Length / sample.Length:0} s for a full re-match ({pairs:N0} offer×need pairs, each scored from both sides); CPU {naiveCpu:0.00} s → {naiveCpu * indexed.Length / sample.Length / Environment.ProcessorCount:0} s on idle cores"));

            // The fast path must propose what the naive scoring proposes.
            int same = 0, total = 0, exactLists = 0;
            for (var i = 0; i < sample.Length; i++)
            {
                var fast = index.Match(sample[i], top).Select(r => r.Id).ToList();
                var slow = naive[i].Select(r => r.Id).ToList();
                total += slow.Count;
                same += slow.Count(fast.Contains);
                exactLists += fast.SequenceEqual(slow) ? 1 : 0;
            }

            Console.WriteLine(string.Create(inv, $"fast vs naive top {top}: {same}/{total} naive results also proposed by Match ({(total == 0 ? 1 : same / (double)total):P1}), identical lists {exactLists}/{sample.Length}"));
        }

        if (Environment.GetEnvironmentVariable("BOUCLE_STATS") is not null)
        {
            foreach (var fi in typeof(SynergyIndex).GetFields(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static).Where(f => f.Name.StartsWith("Stat", StringComparison.Ordinal)))
            {
                Console.WriteLine($"{fi.Name} {fi.GetValue(null)}");
            }
        }

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine(string.Create(inv, $"memory: peak working set {Mb(process.PeakWorkingSet64)}, GC total allocated {Mb(GC.GetTotalAllocatedBytes(precise: true))}, gen2 collections {GC.CollectionCount(2)}"));
        Console.WriteLine($"load average at the end: {LoadAverage()}");
        return Task.FromResult(0);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static double ProcessCpuSeconds()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>CPU time of the calling thread (Linux), NaN elsewhere: robust to other processes sharing the cores.</summary>
    private static double ThreadCpuMs()
    {
        if (!OperatingSystem.IsLinux())
        {
            return double.NaN;
        }

        return ClockGetTime(3 /* CLOCK_THREAD_CPUTIME_ID */, out var ts) == 0 ? (ts.Seconds * 1000.0) + (ts.Nanoseconds / 1e6) : double.NaN;
    }

#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code in the project; a blittable DllImport is enough here.
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec ts);
#pragma warning restore SYSLIB1054

    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private static double Pct(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MB");

    private static string RuntimeInfoText() =>
        $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, server GC {System.Runtime.GCSettings.IsServerGC}";

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
