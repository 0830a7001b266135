using System.Security.Cryptography;
using System.Text;

namespace Ledger.Api.Integrity.Anchoring;

/// <summary>Where one account stream's hash chain stood when the anchor was taken.</summary>
public sealed record AnchoredStream(Guid StreamId, long Version, string Head);

/// <summary>
/// The chain heads of every account stream at one moment, signed. The signature covers a short canonical text (format,
/// id, time, who, key, count and a digest over every stream's id, version and head), so the JSON around it may be
/// reformatted but no value in it can change without the signature failing.
/// </summary>
public sealed record Anchor(
    string Format, Guid Id, DateTimeOffset TakenAt, string TakenBy, string KeyFingerprint, string PublicKey, int StreamCount, string Digest,
    IReadOnlyList<AnchoredStream> Streams, string Signature)
{
    public const string CurrentFormat = "event-sourced-ledger/anchor/v1";

    public static Anchor Sign(AnchorSigning signing, Guid id, DateTimeOffset takenAt, string takenBy, IEnumerable<AnchoredStream> heads)
    {
        var streams = heads.OrderBy(s => s.StreamId.ToString("D"), StringComparer.Ordinal).ToList();
        var unsigned = new Anchor(CurrentFormat, id, takenAt.ToUniversalTime(), takenBy, signing.KeyFingerprint, signing.PublicKeyPem, streams.Count,
            DigestOf(streams), streams, "");
        return unsigned with { Signature = signing.Sign(unsigned.SignedPayload()) };
    }

    /// <summary>Null when the anchor is whole and signed by a trusted key; otherwise what is wrong with it.</summary>
    public string? Problem(AnchorSigning signing) =>
        Format != CurrentFormat ? $"unknown format '{Format}'"
        : StreamCount != Streams.Count ? $"it names {StreamCount} streams but lists {Streams.Count}"
        : DigestOf(Streams) != Digest ? "its streams no longer match its digest"
        : signing.Check(SignedPayload(), KeyFingerprint, Signature);

    public byte[] SignedPayload() => Encoding.UTF8.GetBytes(
        $"{Format}\n{Id:D}\n{TakenAt.UtcDateTime:O}\n{TakenBy}\n{KeyFingerprint}\n{StreamCount}\n{Digest}");

    /// <summary>SHA-256 over "id\nversion\nhead\n" of each stream, in the order listed (sorted by id when signed).</summary>
    public static string DigestOf(IEnumerable<AnchoredStream> streams)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var s in streams)
            hash.AppendData(Encoding.UTF8.GetBytes($"{s.StreamId:D}\n{s.Version}\n{s.Head}\n"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
