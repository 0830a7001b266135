namespace Ledger.Domain.Accounts.Opening;

/// <summary>
/// A short number a customer can read over the phone, derived from the account id so it needs no
/// central counter: 60 random bits of a version-7 id in Crockford base32 (no I, L, O, U).
/// </summary>
public static class AccountNumbers
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string For(Guid accountId)
    {
        Span<byte> bytes = stackalloc byte[16];
        accountId.TryWriteBytes(bytes, bigEndian: true, out _);
        var bits = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        Span<char> chars = stackalloc char[14];
        var position = 13;
        for (var i = 0; i < 12; i++)
        {
            if (i is 4 or 8) chars[position--] = '-';
            chars[position--] = Alphabet[(int)(bits & 31)];
            bits >>= 5;
        }
        return new string(chars);
    }
}
