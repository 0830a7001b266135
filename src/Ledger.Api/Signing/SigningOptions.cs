namespace Ledger.Api.Signing;

/// <summary>`Ledger:Signing`: the certificate documents (issued bills) are signed with. Never inside the repository or the database.</summary>
public sealed class SigningOptions
{
    public const string Section = "Ledger:Signing";

    /// <summary>
    /// A PKCS#12 file (.p12/.pfx) with the certificate, its RSA private key and any intermediate certificates; or a PEM file
    /// with the certificate first (then any intermediates), and the key too unless <see cref="KeyPath"/> names it.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PKCS#12 file's password, if it has one (e.g. from a secret store through an environment variable).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>A PEM file with the RSA private key (PKCS#8 or PKCS#1), when <see cref="CertificatePath"/> is a PEM certificate without it.</summary>
    public string? KeyPath { get; set; }
}
