using System.Globalization;
using Npgsql;

namespace Boucle.Bench.Search;

/// CPU time spent on a query by this process and, for PostgreSQL on the same machine, by the server processes
/// serving the benchmark's database (Linux /proc/PID/schedstat). On a machine shared with other builds, wall
/// time mostly measures waiting for a core; CPU time is what the query costs on an idle machine.
public sealed class CpuClock
{
    private int[] _backends = [];

    public bool SeesServer => _backends.Length > 0;

    /// Finds the server processes of the database's pooled connections (call after a warm-up).
    public async Task FindBackendsAsync(string connectionString)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
        var pids = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            pids.Add(reader.GetInt32(0));
        }

        _backends = [.. pids.Where(p => File.Exists($"/proc/{p}/schedstat"))];
    }

    public double NowMs()
    {
        if (!OperatingSystem.IsLinux())
        {
            return double.NaN;
        }

        var ms = ClockGetTime(2 /* CLOCK_PROCESS_CPUTIME_ID */, out var ts) == 0 ? (ts.Seconds * 1000.0) + (ts.Nanoseconds / 1e6) : double.NaN;
        foreach (var pid in _backends)
        {
            try
            {
                var first = File.ReadAllText($"/proc/{pid}/schedstat").Split(' ')[0];
                ms += long.Parse(first, CultureInfo.InvariantCulture) / 1e6;
            }
            catch (IOException)
            {
                // The connection was closed: its time no longer counts.
            }
        }

        return ms;
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
}
