using System.Diagnostics;

namespace Ledger.IntegrationTests.Harness;

/// <summary>The repository the tests run from, and the programs (node, npm) a test runs in it.</summary>
public static class Tools
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Where the TypeScript client and the linter live; `./ledger test` installs their packages there (npm ci).</summary>
    public static string TypeScriptClient => Path.Combine(RepositoryRoot, "clients", "typescript");

    public static string OpenApiDocument => Path.Combine(RepositoryRoot, "clients", "openapi", "v1.json");

    /// <summary>Runs a program to its end; its exit code and what it printed (stdout and stderr together).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in time:\n{output}");
        }
        lock (output)
            return (process.ExitCode, output.ToString());
    }

    /// <summary>The TypeScript client's packages, or a failure saying how to install them (never a skip).</summary>
    public static void RequireTypeScriptPackages()
    {
        if (!Directory.Exists(Path.Combine(TypeScriptClient, "node_modules", "openapi-typescript")))
            throw new InvalidOperationException(
                $"The TypeScript client's packages are not installed: run `npm ci` in {TypeScriptClient} (`./ledger test` does).");
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EventSourcedLedger.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("The tests run outside the repository (no EventSourcedLedger.sln above them).");
    }
}
