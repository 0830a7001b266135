using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;

namespace Ledger.Domain.Payments;

/// <summary>
/// The reference a payer quotes on a transfer or writes on a check so that the bank's statement finds its way back to
/// the payment: an ISO 11649 structured creditor reference ("RF" and two check digits over up to 21 letters and
/// digits), which banks carry in a statement's structured remittance information and which its check digits protect
/// against a mistyped character. Derived from the payment's id, so nothing has to be counted or stored to issue one.
/// </summary>
public static partial class BankReferences
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base 32: no I, L, O, U to misread
    private const int BodyLength = 16; // 80 bits of the payment id

    /// <summary>The reference to quote for <paramref name="paymentId"/>, e.g. <c>RF47LP0J8Z6F3M2Q9T1D</c>.</summary>
    public static string For(Guid paymentId)
    {
        Span<byte> bytes = stackalloc byte[16];
        paymentId.TryWriteBytes(bytes, bigEndian: true, out _);
        var bits = new BigInteger(System.Security.Cryptography.SHA256.HashData(bytes)[..10], isUnsigned: true, isBigEndian: true);
        var body = new StringBuilder("LP", BodyLength + 2);
        for (var i = 0; i < BodyLength - 2; i++)
        {
            body.Append(Alphabet[(int)(bits % 32)]);
            bits /= 32;
        }
        var reference = body.ToString();
        return $"RF{98 - Mod97(reference + "RF00"):00}{reference}";
    }

    /// <summary>Whether <paramref name="candidate"/> is a well-formed creditor reference whose check digits hold.</summary>
    public static bool IsValid(string candidate) =>
        Shape().IsMatch(candidate) && Mod97(candidate[4..] + candidate[..4]) == 1;

    /// <summary>
    /// Every valid creditor reference that may be written in <paramref name="text"/>, however the payer spaced it
    /// ("RF47 LP0J 8Z6F…") and in whatever case, upper-cased and without the spaces.
    /// </summary>
    public static IEnumerable<string> FoundIn(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            yield break;
        foreach (Match match in Written().Matches(text.ToUpperInvariant()))
        {
            var compact = match.Value.Replace(" ", "");
            // A reference run into more text ("RF47…0J8Z THANKS") is tried at each length the standard allows, longest first;
            // more than one may pass the check digits (one in 97 by chance), so each is offered and the caller's lookup decides.
            for (var length = Math.Min(compact.Length, 25); length >= 5; length--)
                if (IsValid(compact[..length]))
                    yield return compact[..length];
        }
    }

    private static int Mod97(string text)
    {
        var remainder = 0;
        foreach (var c in text)
        {
            var value = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = value < 10 ? (remainder * 10 + value) % 97 : (remainder * 100 + value) % 97;
        }
        return remainder;
    }

    [GeneratedRegex("^RF[0-9]{2}[A-Z0-9]{1,21}$")]
    private static partial Regex Shape();

    [GeneratedRegex("RF[0-9]{2}(?: ?[A-Z0-9]){1,21}")]
    private static partial Regex Written();
}
