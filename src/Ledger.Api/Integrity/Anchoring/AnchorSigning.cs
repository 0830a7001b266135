using System.Security.Cryptography;

namespace Ledger.Api.Integrity.Anchoring;

/// <summary>
/// The key that signs anchors (ECDSA P-256 from .NET's own cryptography; Ed25519 is not in the BCL) and the public keys
/// anchors are verified with. Its point is that it lives outside the database: whoever can rewrite every event row
/// still cannot produce an anchor that verifies.
/// </summary>
public sealed class AnchorSigning(ECDsa key, IReadOnlyList<ECDsa> earlierKeys, string directory, TimeSpan interval)
{
    private static readonly HashAlgorithmName Hash = HashAlgorithmName.SHA256;
    private const DSASignatureFormat Format = DSASignatureFormat.IeeeP1363FixedFieldConcatenation;

    private readonly Dictionary<string, ECDsa> _trusted =
        earlierKeys.Prepend(key).GroupBy(Fingerprint).ToDictionary(g => g.Key, g => g.First());

    public string Directory { get; } = directory;
    public TimeSpan Interval { get; } = interval;
    public string KeyFingerprint { get; } = Fingerprint(key);
    public string PublicKeyPem { get; } = key.ExportSubjectPublicKeyInfoPem();

    public string Sign(byte[] payload) => Convert.ToBase64String(key.SignData(payload, Hash, Format));

    /// <summary>Null when the signature is good and made by a trusted key; otherwise why not.</summary>
    public string? Check(byte[] payload, string keyFingerprint, string signature)
    {
        if (!_trusted.TryGetValue(keyFingerprint, out var publicKey))
            return $"signed by key {keyFingerprint}, which this ledger does not trust";
        var bytes = new byte[publicKey.GetMaxSignatureSize(Format)];
        return Convert.TryFromBase64String(signature, bytes, out var length) && publicKey.VerifyData(payload, bytes.AsSpan(0, length), Hash, Format)
            ? null
            : "its signature does not match its content";
    }

    /// <summary>"sha256:" and the hex SHA-256 of the DER SubjectPublicKeyInfo, as <c>openssl pkey -pubout -outform DER | sha256sum</c> prints it.</summary>
    public static string Fingerprint(ECDsa key) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
}
