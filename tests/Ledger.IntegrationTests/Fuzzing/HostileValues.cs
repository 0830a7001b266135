using System.Text;
using CsCheck;

namespace Ledger.IntegrationTests.Fuzzing;

/// <summary>
/// Generators of the values a hostile or careless client sends: strings of every Unicode class (controls, bidi and
/// zero-width marks, unpaired surrogates, non-characters, other scripts' digits), lengths around every limit the API
/// has, numbers at and past every numeric boundary, and JSON text that is not JSON at all.
/// </summary>
public static class HostileValues
{
    /// <summary>Lengths on both sides of the limits the API declares (names 50/60/64/120, reasons 500, search 100, keys 100).</summary>
    private static readonly int[] Lengths = [0, 1, 2, 3, 4, 19, 20, 21, 49, 50, 51, 59, 60, 61, 63, 64, 65, 99, 100, 101, 119, 120, 121, 499, 500, 501, 5_000];

    private static readonly string[] Special =
    [
        "", " ", "\t", "   x   ", "\u0000", "a\u0000b", "\u001b[31mred", "\u007f", "\u0085", "\u00a0", "\u2028\u2029", "\u202egnp.exe", "\u2066x\u2069",
        "zero\u200bwidth", "\ufeffbom", "\ufffe\uffff", "\ud800", "\udc00", "a\ud800b", "\udfff\ud800", "\ud83d\ude00", "\ud83c", "e\u0301\u0301\u0301",
        "\u0661\u0662\u0663", "\uff11\uff12\uff13", "\u00bd", "ǅ", "İı", "ß", "\u0130", "日本語", "עברית", "ﷺ", "\ue000", "\U0001F9FE\U0001F4B8",
        "'; drop table ledger.mt_events; --", "\" OR 1=1 --", "<script>alert(1)</script>", "{{7*7}}", "${jndi:ldap://x/a}", "%s%n%x", "../../etc/passwd",
        "NaN", "Infinity", "-0", "1e309", "null", "true", "0x10", "USD", "usd", "XXX", "US", "card", "CARD", "transfer", "goodwill", "upheld",
        "4111 1111 1111 1111", "4111.1111.1111.1111", "2026-11-30T00:00:00Z", "00000000-0000-0000-0000-000000000000",
    ];

    private static readonly Gen<char> AnyChar = Gen.Char;
    private static readonly Gen<char> Control = Gen.Char['\u0000', '\u001f'];
    private static readonly Gen<char> Surrogate = Gen.Char['\ud800', '\udfff'];
    private static readonly Gen<char> Printable = Gen.Char[' ', '~'];

    public static readonly Gen<string> Strings = Gen.Frequency(
        (4, Gen.OneOf(Special)),
        (3, Gen.String[Printable, 0, 40]),
        (2, Gen.String[AnyChar, 0, 30]),
        (1, Gen.String[Control, 1, 6]),
        (1, Gen.String[Surrogate, 1, 4]),
        (3, Gen.Select(Gen.OneOf(Lengths), Gen.Char['a', 'z'], (n, c) => new string(c, n))),
        (1, Gen.Select(Gen.OneOf(Lengths), Gen.OneOf("é", "\ud83d\ude00", "\u0301", "日"), (n, s) => string.Concat(Enumerable.Repeat(s, n)))));

    /// <summary>Numbers as JSON text: every boundary of int, long, double and decimal, signs, exponents, precision past cents.</summary>
    private static readonly string[] NumberTexts =
    [
        "0", "-0", "1", "-1", "0.01", "-0.01", "0.001", "0.005", "0.1", "1.10", "1.234567890123456789012345678901", "100", "100.00", "100.01",
        "999999999.99", "1000000000", "1000000000.01", "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967296",
        "9007199254740993", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "79228162514264337593543950335", "79228162514264337593543950336", "-79228162514264337593543950336", "7.9228162514264337593543950335E+28",
        "1e28", "1e29", "1E2", "1e+2", "1.0e-2", "1e308", "1e309", "-1e309", "1e-28", "1e-29", "1e-400", "5e-324", "0.0000000000000000000000000001",
        "123456789012345678901234567890123456789012345678901234567890",
    ];

    public static readonly Gen<string> Numbers = Gen.Frequency(
        (4, Gen.OneOf(NumberTexts)),
        (1, Gen.Long.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.Decimal.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.Double.Where(double.IsFinite).Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));

    /// <summary>Text that no JSON parser accepts where a value should be, or accepts only loosely.</summary>
    private static readonly string[] BrokenValues =
    [
        "NaN", "Infinity", "-Infinity", "-", "01", "1.", ".5", "+1", "0x1F", "1e", "tru", "nul", "'single'", "\"unterminated", "\"\\x41\"",
        "\"\\u12\"", "\"\\uZZZZ\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\u0000\"", "\"a\tb\"", "\"a\nb\"", "\"\u0001\"", "[1,]", "{\"a\":1,}",
        "{\"a\"}", "[", "{", "}", "]", "\"a\" \"b\"", "1 2", "/* c */ 1", "undefined",
    ];

    /// <summary>A JSON value as raw UTF-8 bytes (broken ones included), for any property of any type.</summary>
    public static readonly Gen<byte[]> JsonValues = Gen.Frequency(
        (5, Strings.Select(s => Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(s)))),
        (4, Numbers.Select(Encoding.UTF8.GetBytes)),
        (2, Gen.OneOf("null", "true", "false", "[]", "{}", "[1]", "[\"a\"]", "{\"a\":1}", "\"\"", "[null]", "[[[]]]").Select(Encoding.UTF8.GetBytes)),
        (2, Gen.OneOf(BrokenValues).Select(Encoding.UTF8.GetBytes)),
        (1, Gen.OneOf(31, 32, 33, 63, 64, 65, 1_000).SelectMany(depth => Gen.Bool.Select(array => Encoding.UTF8.GetBytes(array
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth))))),
        (1, Gen.OneOf(new byte[] { 0x22, 0xc3, 0x28, 0x22 }, [0x22, 0xff, 0xfe, 0x22], [0x22, 0xed, 0xa0, 0x80, 0x22], [0x22, 0xf4, 0x90, 0x80, 0x80, 0x22],
            [0x22, 0xc0, 0xaf, 0x22], [0x22, 0x00, 0x22])));

    /// <summary>What arrives in a query string: numbers past their range, dates that are not, strings of every class, broken escapes.</summary>
    public static readonly Gen<string> QueryValues = Gen.Frequency(
        (3, Gen.OneOf("0", "-1", "1", "2", "50", "100", "101", "1000", "2147483647", "2147483648", "-2147483649", "99999999999999999999", "1e3", "1.5",
            " 1", "", "abc", "true", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2026-02-30", "2026-11-30T25:00:00Z", "now", "1/1/2020",
            "2026-11-30T00:00:00+14:01", "-275000-01-01", "2026-11-30", "asc", "desc", "amount", "-date", "charge", "Charge", "pending", "csv", "xml")
            .Select(Uri.EscapeDataString)),
        (2, Strings.Select(s => Uri.EscapeDataString(ReplaceSurrogates(s)))),
        (1, Gen.OneOf("%", "%z", "%zz", "%C3%28", "%ED%A0%80", "%00", "%FF%FE", "a+b", "%2B", "%25", "%0d%0a")));

    private static string ReplaceSurrogates(string s) =>
        // Uri.EscapeDataString refuses unpaired surrogates; the raw percent-encodings above cover broken UTF-8 instead.
        string.Concat(s.Select((c, i) => char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            && !(char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(s[i - 1])) ? "\ufffd" : c.ToString()));
}
