using System.Security.Cryptography;
using System.Text;

namespace Ledger.Domain;

/// <summary>A name-based id (RFC 9562 layout, SHA-256 based): the same name always gives the same id.</summary>
public static class DeterministicId
{
    public static Guid From(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
