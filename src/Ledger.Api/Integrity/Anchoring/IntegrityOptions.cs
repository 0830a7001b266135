namespace Ledger.Api.Integrity.Anchoring;

/// <summary>`Ledger:Integrity`: where anchors go, the key that signs them, and how often one is taken.</summary>
public sealed class IntegrityOptions
{
    public const string Section = "Ledger:Integrity";

    /// <summary>A PEM file holding the ECDSA P-256 private key (PKCS#8 or SEC1). Never inside the repository or the database.</summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>The same PEM inline (e.g. from a secret store through an environment variable); wins over the path.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Where anchor files are appended. Anchoring is on when this is set (and always in Development).</summary>
    public string? AnchorDirectory { get; set; }

    /// <summary>How often the service takes an anchor by itself; zero turns the periodic anchor off (on-demand still works).</summary>
    public TimeSpan AnchorInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Public keys (PEM, inline or a file path) of earlier signing keys: after a key rotation, anchors signed with them
    /// still verify. The current signing key is always trusted.
    /// </summary>
    public string[] VerifyingKeys { get; set; } = [];
}
