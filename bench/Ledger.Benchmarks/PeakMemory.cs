using System.Globalization;

namespace Ledger.Benchmarks;

/// <summary>The most memory a process held resident (peak RSS), and the target it is held to, if any.</summary>
public sealed record MemoryPeak(string Process, double Megabytes, double? TargetMegabytes = null);

/// <summary>
/// Peak RSS from /proc/&lt;pid&gt;/status's VmHWM: the kernel's high-water mark of resident memory since the process
/// started, so one look before the process ends covers its whole life (no sampling that could miss a spike).
/// </summary>
public static class PeakMemory
{
    public const double ApiTargetMegabytes = 400;

    public const string Serving = "API, serving (whole run)";

    private static readonly Dictionary<string, MemoryPeak> Peaks = [];

    /// <summary>The serving API's process id while it runs.</summary>
    public static int? ServingPid { get; set; }

    /// <summary>The serving API's peak so far: read after each scenario, the row where it jumps names what raised it.</summary>
    public static double? ServingSoFar() => ServingPid is { } pid ? Megabytes(pid) : null;

    /// <summary>VmHWM in MB, or null where there is no /proc (not Linux) or the process is gone.</summary>
    public static double? Megabytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>
    /// A one-off command's peak: its VmHWM is gone once it exits, so it is read every 250 ms while it runs (a spike in
    /// the last 250 ms is missed). Kept per command line, the highest of its runs. Returns the CPU ticks the command had
    /// used at the last look (<see cref="CpuSampler.Ticks"/>), for the same reason.
    /// </summary>
    public static async Task<long> WatchUntilExit(System.Diagnostics.Process process, string command)
    {
        var exited = process.WaitForExitAsync();
        var (peak, ticks) = (0.0, 0L);
        while (await Task.WhenAny(exited, Task.Delay(250)) != exited)
        {
            peak = Math.Max(peak, Megabytes(process.Id) ?? 0);
            ticks = CpuSampler.Ticks(process.Id) ?? ticks;
        }
        await exited;
        Keep($"API one-off: {command}", peak > 0 ? peak : null);
        return ticks;
    }

    /// <summary>Keeps a process's peak under its name (the highest, if the name ran more than once).</summary>
    public static void Keep(string process, double? megabytes, double? targetMegabytes = null)
    {
        if (megabytes is not { } mb)
            return;
        lock (Peaks)
            if (!Peaks.TryGetValue(process, out var kept) || kept.Megabytes < mb)
                Peaks[process] = new MemoryPeak(process, mb, targetMegabytes);
    }

    /// <summary>Every peak kept, the serving API first, and this load generator's own so far.</summary>
    public static List<MemoryPeak> All()
    {
        Keep("load generator (this bench process)", Megabytes(Environment.ProcessId));
        lock (Peaks)
            return Peaks.Values.OrderBy(p => p.Process == Serving ? 0 : p.Process.StartsWith("load", StringComparison.Ordinal) ? 1 : 2).ToList();
    }
}
