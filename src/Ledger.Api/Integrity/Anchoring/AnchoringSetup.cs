using System.Security.Cryptography;

namespace Ledger.Api.Integrity.Anchoring;

/// <summary>
/// Anchoring is on when <c>Ledger:Integrity:AnchorDirectory</c> is set, and always in Development (under the user's
/// home). When it is on, a missing or unusable signing key stops the service at start-up with one line saying what to
/// set — except in Development, where one is created once, like the JWT key in user secrets. When it is off the ledger
/// still checks each account's hash chain, and says at start-up that a database owner could rewrite it unnoticed.
/// </summary>
public static class AnchoringSetup
{
    public sealed record Resolution(AnchorSigning? Signing, string? Error, string Note);

    public static readonly Resolution Off = new(null, null, "Anchoring is off (set Ledger:Integrity:AnchorDirectory and a signing key): " +
        "the hash chains are checked, but a database owner who recomputes them goes unnoticed.");

    public static Resolution Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(IntegrityOptions.Section).Get<IntegrityOptions>() ?? new IntegrityOptions();
        var development = environment.IsDevelopment();
        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
            "event-sourced-ledger");
        var directory = options.AnchorDirectory is { Length: > 0 } configured ? configured : development ? Path.Combine(home, "anchors") : null;
        if (directory is null)
            return Off;
        try
        {
            var note = "";
            string pem;
            if (options.SigningKey is { Length: > 0 } inline)
                pem = inline;
            else if (options.SigningKeyPath is { Length: > 0 } path)
                pem = File.Exists(path) ? File.ReadAllText(path) : throw new AnchorSetupException($"the signing key file {path} does not exist");
            else if (development)
                (pem, note) = DevelopmentKey(Path.Combine(home, "anchor-signing-key.pem"));
            else
                throw new AnchorSetupException("anchoring is on (Ledger:Integrity:AnchorDirectory) but no signing key is set: set " +
                    "Ledger:Integrity:SigningKeyPath to a PEM file with an ECDSA P-256 private key (e.g. `openssl genpkey -algorithm EC " +
                    "-pkeyopt ec_paramgen_curve:P-256 -out anchor-key.pem`), or Ledger:Integrity:SigningKey to the PEM itself");
            var key = PrivateKey(pem, "the signing key");
            var earlier = options.VerifyingKeys.Select((k, i) => PublicKey(k.Contains("-----BEGIN") ? k : File.ReadAllText(k), $"verifying key {i}")).ToList();
            System.IO.Directory.CreateDirectory(directory);
            var signing = new AnchorSigning(key, earlier, directory, options.AnchorInterval);
            return new(signing, null, $"Anchors go to {directory}, signed by key {signing.KeyFingerprint}{note}.");
        }
        catch (Exception e) when (e is AnchorSetupException or IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            return new(null, $"Ledger:Integrity: {e.Message}", "");
        }
    }

    public static IServiceCollection AddAnchoring(this IServiceCollection services, Resolution anchoring, bool oneOffCommand)
    {
        if (anchoring.Signing is not { } signing)
            return services;
        services.AddSingleton(signing);
        services.AddSingleton<AnchorStore>();
        // One-off commands (seed, verify-ledger, migrate) run next to the service: the service takes the periodic anchors.
        if (!oneOffCommand && signing.Interval > TimeSpan.Zero)
            services.AddHostedService<PeriodicAnchors>();
        return services;
    }

    private static (string Pem, string Note) DevelopmentKey(string path)
    {
        if (File.Exists(path))
            return (File.ReadAllText(path), $" (the Development key {path})");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = key.ExportPkcs8PrivateKeyPem();
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(path, create))
            writer.Write(pem);
        return (pem, $" (a Development key, created now at {path}, mode 600)");
    }

    private static ECDsa PrivateKey(string pem, string what)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        RequireP256(key, what);
        try
        {
            key.ExportParameters(includePrivateParameters: true);
        }
        catch (CryptographicException)
        {
            throw new AnchorSetupException($"{what} is a public key; anchors need the private key to be signed");
        }
        return key;
    }

    private static ECDsa PublicKey(string pem, string what)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        RequireP256(key, what);
        return key;
    }

    private static void RequireP256(ECDsa key, string what)
    {
        if (key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            throw new AnchorSetupException($"{what} is not an ECDSA P-256 key");
    }

    private sealed class AnchorSetupException(string message) : Exception(message);
}
