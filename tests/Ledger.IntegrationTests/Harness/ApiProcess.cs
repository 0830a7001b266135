using System.Diagnostics;
using System.Text;

namespace Ledger.IntegrationTests.Harness;

/// <summary>The API as a real process (the built Ledger.Api.dll), on a free loopback port, against a given database.</summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private Process? _process;
    private readonly StringBuilder _output = new();

    /// <param name="settings">Extra configuration as environment variables (e.g. <c>Notifications__Smtp__Port</c>).</param>
    public ApiProcess(string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        _connectionString = connectionString;
        _settings = settings ?? new Dictionary<string, string>();
        Port = Ports.Free();
    }

    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public string Output { get { lock (_output) return _output.ToString(); } }

    public static string ApiAssembly
    {
        get
        {
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "EventSourcedLedger.sln")))
                root = root.Parent;
            return Path.Combine(root!.FullName, "src", "Ledger.Api", "bin", configuration, "net10.0", "Ledger.Api.dll");
        }
    }

    public async Task StartAsync(TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet", [ApiAssembly])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ApiAssembly)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString();
        start.Environment["ConnectionStrings__Ledger"] = _connectionString;
        start.Environment["Authentication__Schemes__Bearer__ValidIssuer"] = LedgerApp.Issuer;
        start.Environment["Authentication__Schemes__Bearer__ValidAudiences__0"] = LedgerApp.Audience;
        start.Environment["Authentication__Schemes__Bearer__SigningKeys__0__Issuer"] = LedgerApp.Issuer;
        start.Environment["Authentication__Schemes__Bearer__SigningKeys__0__Value"] = LedgerApp.SigningKeyBase64;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in TestRateLimits.EnvironmentVariables())
            start.Environment[name] = value;
        foreach (var (name, value) in _settings)
            start.Environment[name] = value;
        _process?.Dispose();
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The API exited with {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await probe.GetAsync("/health/ready")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The API was not ready within {timeout}:\n{Output}");
    }

    /// <summary>Runs one of the API's commands (e.g. `verify-ledger`) to completion: its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> RunCommandAsync(string connectionString, params string[] arguments) =>
        RunCommandAsync(connectionString, new Dictionary<string, string>(), arguments);

    /// <param name="settings">Extra environment, e.g. the ASPNETCORE_URLS a running service already listens on.</param>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(string connectionString, IReadOnlyDictionary<string, string> settings,
        params string[] arguments)
    {
        using var process = StartCommand(connectionString, settings, arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Starts one of the API's commands and leaves it running (to be waited for, or killed part way); its output redirected.</summary>
    public static Process StartCommand(string connectionString, IReadOnlyDictionary<string, string> settings, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [ApiAssembly, .. arguments])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ApiAssembly)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ConnectionStrings__Ledger"] = connectionString;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in settings)
            start.Environment[name] = value;
        return Process.Start(start)!;
    }

    /// <summary>
    /// SIGTERM, as an orchestrator stops a node for a restart: the service stops taking connections, finishes the requests
    /// it has, hands its agents back and exits. <see cref="StartAsync"/> starts it again on the same port.
    /// </summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process is not { HasExited: false } process)
            return;
        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await term.WaitForExitAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The API did not stop within {timeout} of SIGTERM:\n{Output}");
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, exactly like a crash.</summary>
    public void Kill()
    {
        _process?.Kill(entireProcessTree: true);
        _process?.WaitForExit();
    }

    public HttpClient ClientFor(TestUser user)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", LedgerApp.Token(user));
        return client;
    }

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
            Kill();
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }
}
