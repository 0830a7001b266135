namespace Ledger.Benchmarks;

/// <summary>
/// How busy the serving API's background JIT is, read from /proc: the runtime recompiles hot methods with optimisations
/// (tiered compilation, with profile-guided optimisation) on a thread of its own named ".NET Tiered Com…", and in an app
/// of this size it keeps doing so for about a minute of load. A scenario measured meanwhile pays for start-up, not for
/// its requests: the first runs of this bench spent 40 % of the API's CPU there.
/// </summary>
public static class JitActivity
{
    /// <summary>CPU ticks (user + system) the API's tiered-compilation threads have used so far; 0 off Linux.</summary>
    public static long Ticks(int pid)
    {
        long ticks = 0;
        if (!OperatingSystem.IsLinux() || !Directory.Exists($"/proc/{pid}/task"))
            return 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered", StringComparison.Ordinal))
                    ticks += CpuSampler.StatTicks(task) ?? 0;
            }
            catch (IOException) { } // the thread ended between listing and reading
        }
        return ticks;
    }
}
