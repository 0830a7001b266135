using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ledger.Api.Signing;

/// <summary>
/// Documents are signed with the certificate in <c>Ledger:Signing</c>. With none configured: in Development, and in the test
/// suite's <c>Testing</c> host, a self-signed one is created once under the user's home (as the anchoring key is, see
/// <see cref="Integrity.Anchoring.AnchoringSetup"/>) and reused; anywhere else signing is off, the service says so at start-up,
/// and bills are issued unsigned. A certificate configured but unusable stops the service at start-up, saying what to set.
/// </summary>
public static class SigningSetup
{
    public sealed record Resolution(DocumentSigner Signer, string? Error, string Note);

    public const string OffNote = "Statement signing is off (set Ledger:Signing:CertificatePath to a PKCS#12 or PEM certificate with its RSA key): " +
        "bills are issued unsigned, with template version 4 where version 5 would sign them.";

    public static Resolution Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(SigningOptions.Section).Get<SigningOptions>() ?? new SigningOptions();
        var development = environment.IsDevelopment() || environment.IsEnvironment("Testing");
        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
            "event-sourced-ledger");
        try
        {
            var note = "";
            IReadOnlyList<X509Certificate2> certificates;
            if (options.CertificatePath is { Length: > 0 } path)
                certificates = Load(path, options.CertificatePassword, options.KeyPath);
            else if (development)
                (certificates, note) = DevelopmentCertificate(Path.Combine(home, "statement-signing.pem"));
            else
                return new(DocumentSigner.Off(OffNote), null, OffNote);
            var signer = new DocumentSigner(Usable(certificates[0]), certificates.Skip(1).ToList());
            var certificate = signer.Certificate!;
            var expired = certificate.NotAfter < DateTimeOffset.UtcNow ? " (EXPIRED: readers will report it)" : "";
            return new(signer, null, $"Statements are signed by {certificate.Subject}, certificate sha256:{certificate.Sha256Thumbprint}, " +
                $"valid until {certificate.NotAfter:yyyy-MM-dd}{expired}{note}.");
        }
        catch (Exception e) when (e is SigningSetupException or IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            var error = $"Ledger:Signing: {e.Message}";
            return new(DocumentSigner.Off(error), error, "");
        }
    }

    /// <summary>The signer (off when no certificate is configured outside Development), resolved when first asked for or at start-up.</summary>
    public static IServiceCollection AddDocumentSigning(this IServiceCollection services)
    {
        services.AddSingleton(sp => Resolve(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>()));
        services.AddSingleton(sp => sp.GetRequiredService<Resolution>().Signer);
        services.AddHostedService<SigningAtStartUp>();
        return services;
    }

    private static IReadOnlyList<X509Certificate2> Load(string path, string? password, string? keyPath)
    {
        if (!File.Exists(path))
            throw new SigningSetupException($"the certificate file {path} does not exist");
        if (keyPath is { Length: > 0 } && !File.Exists(keyPath))
            throw new SigningSetupException($"the key file {keyPath} does not exist");
        if (!File.ReadAllText(path).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
            var withKey = all.Where(c => c.HasPrivateKey).ToList();
            return withKey.Count == 1
                ? [withKey[0], .. all.Where(c => !c.HasPrivateKey)]
                : throw new SigningSetupException($"{path} holds {withKey.Count} private keys; it must hold exactly the signing certificate's");
        }
        var certificate = X509Certificate2.CreateFromPemFile(path, keyPath is { Length: > 0 } ? keyPath : null);
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(path);
        return [certificate, .. chain.Where(c => c.Thumbprint != certificate.Thumbprint)];
    }

    // RSA only: PKCS#1 v1.5 signatures have no randomness, so a bill re-signed after its stored copy is lost gets its recorded
    // hash again. ECDSA signatures differ at every signing.
    private static X509Certificate2 Usable(X509Certificate2 certificate)
    {
        if (!certificate.HasPrivateKey)
            throw new SigningSetupException($"the certificate {certificate.Subject} comes without its private key");
        using var key = certificate.GetRSAPrivateKey()
            ?? throw new SigningSetupException($"the certificate {certificate.Subject} has no RSA key: bills are signed with RSA, whose signatures " +
                "are deterministic, so that a bill re-rendered from its record gets the same bytes");
        return key.KeySize >= 2048 ? certificate : throw new SigningSetupException($"the certificate's RSA key has {key.KeySize} bits; 2048 at least");
    }

    private static (IReadOnlyList<X509Certificate2> Certificates, string Note) DevelopmentCertificate(string path)
    {
        if (File.Exists(path))
            return ([X509Certificate2.CreateFromPemFile(path)], $" (the Development certificate {path})");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=EventSourcedLedger Development statements, O=EventSourcedLedger (Development only)", key,
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        // Written whole under a temporary name, then moved to its name, which fails if it exists: test hosts starting together on a
        // fresh machine all try to make it, and every one of them ends up with the same certificate.
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}";
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(temporary, create))
            writer.Write(key.ExportPkcs8PrivateKeyPem() + "\n" + certificate.ExportCertificatePem() + "\n");
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return ([X509Certificate2.CreateFromPemFile(path)], $" (the Development certificate {path}, made by another process just now)");
        }
        return ([X509Certificate2.CreateFromPemFile(path)], $" (a Development certificate, created now at {path}, mode 600)");
    }

    private sealed class SigningSetupException(string message) : Exception(message);
}
