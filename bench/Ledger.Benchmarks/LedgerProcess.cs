using System.Diagnostics;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ledger.Benchmarks;

/// <summary>The built API (Release) as a real process: served over HTTP, or run once as a command (seed-history, projections rebuild).</summary>
public sealed class LedgerProcess : IDisposable
{
    private const string Issuer = "ledger-bench";
    private const string Audience = "ledger-bench";
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("benchmark-only-signing-key-0123456789abcdef-0123");
    private readonly Process _process;
    private static readonly System.Collections.Concurrent.ConcurrentBag<Process> Started = [];

    private LedgerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int Pid => _process.Id;

    /// <summary>The Release build this tree's bench runs (and the one its CPU sampler counts as the API).</summary>
    public static string Dll { get; } = Path.Combine(Paths.Root(), "src", "Ledger.Api", "bin", "Release", "net10.0", "Ledger.Api.dll");

    public static LedgerProcess Serve(string connectionString)
    {
        var port = 5200 + Random.Shared.Next(0, 500);
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = Start(connectionString, []);
        start.Environment["ASPNETCORE_URLS"] = baseAddress.ToString();
        var process = Process.Start(start)!;
        Started.Add(process);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) Console.Error.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        PeakMemory.ServingPid = process.Id;
        return new LedgerProcess(process, baseAddress);
    }

    /// <summary>Runs the API's command line to completion; returns its stdout lines, wall time and CPU ticks (user + system).</summary>
    public static Task<(List<string> Output, TimeSpan Elapsed, long CpuTicks)> RunCommand(string connectionString, params string[] args) =>
        RunCommand(connectionString, [0], args);

    /// <param name="exitCodes">The exit codes that are an answer rather than a failure (import's 1: lines refused, which its report names).</param>
    public static async Task<(List<string> Output, TimeSpan Elapsed, long CpuTicks)> RunCommand(string connectionString, int[] exitCodes, params string[] args)
    {
        var watch = Stopwatch.StartNew();
        var start = Start(connectionString, args);
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0"; // commands that start the host must not collide on a port
        using var process = Process.Start(start)!;
        Started.Add(process);
        var output = new List<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) lock (output) output.Add(e.Data); };
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) lock (errors) errors.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var ticks = await PeakMemory.WatchUntilExit(process, string.Join(' ', args));
        return exitCodes.Contains(process.ExitCode)
            ? (output, watch.Elapsed, ticks)
            : throw new InvalidOperationException($"Ledger.Api {string.Join(' ', args)} exited with {process.ExitCode}: {errors}" +
                string.Join('\n', output.TakeLast(20)));
    }

    /// <summary>The account ids a seeding command printed, one per line, among whatever else it wrote to stdout.</summary>
    public static List<Guid> Ids(IEnumerable<string> output) =>
        output.Select(line => Guid.TryParse(line, out var id) ? id : (Guid?)null).OfType<Guid>().ToList();

    public HttpClient Client(string user, string role, TimeSpan? timeout = null) => ClientOf(BaseAddress, user, role, timeout);

    /// <summary>A client of any address that serves the API (a node, or the balancer in front of several).</summary>
    public static HttpClient ClientOf(Uri baseAddress, string user, string role, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", Token(user, role));
        return client;
    }

    public async Task WaitReady()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        for (var i = 0; i < 600; i++)
        {
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("The API did not become ready within 60 s.");
    }

    private bool _disposed;

    /// <summary>Kills the process (once: a failover measurement kills a node before the run disposes the others).</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (!_process.HasExited)
        {
            // Its high-water mark covers the whole run and goes with the process: read it last thing before the kill.
            PeakMemory.Keep(PeakMemory.Serving, PeakMemory.Megabytes(_process.Id), PeakMemory.ApiTargetMegabytes);
            PeakMemory.ServingPid = null;
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    /// <summary>Kills every API process this bench started that still runs (on an interruption, see <see cref="Interrupted"/>).</summary>
    public static void StopAll()
    {
        foreach (var process in Started)
        {
            try
            {
                if (!process.HasExited)
                    process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException) { } // already disposed: it had exited
        }
    }

    private static ProcessStartInfo Start(string connectionString, string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Dll, .. args]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Benchmark";
        start.Environment["ConnectionStrings__Ledger"] = connectionString;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Authentication__Schemes__Bearer__ValidIssuer"] = Issuer;
        start.Environment["Authentication__Schemes__Bearer__ValidAudiences__0"] = Audience;
        start.Environment["Authentication__Schemes__Bearer__SigningKeys__0__Issuer"] = Issuer;
        start.Environment["Authentication__Schemes__Bearer__SigningKeys__0__Value"] = Convert.ToBase64String(Key);
        // Bills are signed as in production (statement template 5, consolidated bills 2): with a throwaway certificate of the run's own.
        start.Environment["Ledger__Signing__CertificatePath"] = SigningCertificate.Value;
        // The load comes from a handful of users on one address: production's per-user limits would measure the limiter.
        foreach (var rule in new[] { "Reads", "Writes", "Downloads", "SignIn", "ProfileChanges" })
            start.Environment[$"Ledger__RateLimits__{rule}__PermitLimit"] = "1000000000";
        return start;
    }

    /// <summary>A self-signed RSA certificate with its key, in one PEM file under the temp directory, made once per run.</summary>
    private static readonly Lazy<string> SigningCertificate = new(() =>
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Ledger benchmark signing", key,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        var path = Path.Combine(Path.GetTempPath(), $"ledger-bench-signing-{Environment.ProcessId}.pem");
        File.WriteAllText(path, certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem());
        return path;
    });

    private static string Token(string user, string role) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer, Audience = Audience, Expires = DateTime.UtcNow.AddHours(4),
        Subject = new ClaimsIdentity([new Claim("sub", user), new Claim("role", role)]),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Key), SecurityAlgorithms.HmacSha256),
    });
}
