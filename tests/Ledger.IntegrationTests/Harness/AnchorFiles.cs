using System.Security.Cryptography;

namespace Ledger.IntegrationTests.Harness;

/// <summary>
/// A test app's anchor directory and signing key, in a temporary folder of their own. The periodic anchor is off
/// (interval zero) so that tests count only the anchors they take; PeriodicAnchorTests runs it in a real process.
/// </summary>
public sealed class AnchorFiles : IDisposable
{
    public AnchorFiles()
    {
        Root = System.IO.Directory.CreateTempSubdirectory("ledger-anchors-").FullName;
        Directory = Path.Combine(Root, "anchors");
        KeyPath = Path.Combine(Root, "anchor-signing-key.pem");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
    }

    public string Root { get; }
    public string Directory { get; }
    public string KeyPath { get; }

    /// <summary>As configuration keys (for WebApplicationFactory's UseSetting).</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Ledger:Integrity:AnchorDirectory"] = Directory,
        ["Ledger:Integrity:SigningKeyPath"] = KeyPath,
        ["Ledger:Integrity:AnchorInterval"] = "00:00:00",
    };

    /// <summary>The same as environment variables, for the API run as a process (ApiProcess).</summary>
    public IReadOnlyDictionary<string, string> Environment => Settings.ToDictionary(s => s.Key.Replace(":", "__"), s => s.Value);

    public IReadOnlyList<string> Files() =>
        System.IO.Directory.Exists(Directory) ? System.IO.Directory.GetFiles(Directory, "anchor-*.json").Order(StringComparer.Ordinal).ToList() : [];

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is not a test failure.
        }
    }
}
