using System.Security.Cryptography;
using System.Text;

namespace Ledger.Domain;

/// <summary>
/// Accounts fall into a fixed number of buckets, and buckets are what is assigned to databases (and moved between them).
/// An account's bucket is read from its id — the low four bits of the id's last byte — so no lookup is ever needed to find
/// where an account lives. New ids are minted in a chosen bucket: an account's in its customer's bucket (so a customer's
/// accounts share one database), and the ids of what belongs to an account (approvals, payments...) in the account's.
/// </summary>
public static class Buckets
{
    /// <summary>Fixed for the life of a ledger: ids carry it. More databases than this would need a new id layout.</summary>
    public const int Count = 16;

    public static int Of(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        return bytes[15] & (Count - 1);
    }

    /// <summary>A customer's bucket: from a hash of the customer id, so it is the same on every node and every day.</summary>
    public static int OfCustomer(string customerId) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(customerId))[0] & (Count - 1);

    /// <summary>A new time-ordered (version 7) id in <paramref name="bucket"/>; the bits it sets are random ones.</summary>
    public static Guid NewId(int bucket) => Place(Guid.CreateVersion7(), bucket);

    /// <summary><paramref name="id"/> (a name-based one, say) moved into <paramref name="bucket"/>: the same id for the same input, always.</summary>
    public static Guid Place(Guid id, int bucket)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bucket);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bucket, Count);
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        bytes[15] = (byte)((bytes[15] & ~(Count - 1)) | bucket);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>A new id in the same bucket as <paramref name="sibling"/> (an account's approval, payment, refund...).</summary>
    public static Guid NewIdBeside(Guid sibling) => NewId(Of(sibling));

    /// <summary>The Marten tenant id of a bucket: buckets are tenants of the database-per-tenant store.</summary>
    public static string TenantId(int bucket) => $"bucket-{bucket:D2}";

    /// <summary>Parses "0-7", "8", "0-3,12-15" into the buckets named; null when the text is not such a list.</summary>
    public static IReadOnlyList<int>? ParseRanges(string text)
    {
        var buckets = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var ends = part.Split('-', StringSplitOptions.TrimEntries);
            if (ends.Length is < 1 or > 2 || !int.TryParse(ends[0], out var from) || !int.TryParse(ends[^1], out var to) ||
                from < 0 || to >= Count || from > to)
                return null;
            for (var b = from; b <= to; b++)
                buckets.Add(b);
        }
        return buckets.Count == 0 ? null : buckets;
    }
}
