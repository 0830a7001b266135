using System.Text;

namespace Ledger.IntegrationTests.Fuzzing;

/// <summary>
/// One generated request: which operation, as whom, and exactly what goes on the wire. <see cref="Target"/> names the
/// part that was mutated (a body field such as "address.city", a query parameter, a header, "body" for the whole of
/// it, or "" for a valid request); <see cref="Mutation"/> says how, for the report.
/// </summary>
public sealed record FuzzRequest(
    string Operation, string Caller, string Method, string Path, string Query, IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[]? Body, string? ContentType, string Target, string Mutation)
{
    public bool IsWrite => Method is "POST" or "PUT" or "DELETE" or "PATCH";

    public override string ToString()
    {
        var body = Body is null ? "(no body)" : Preview(Body);
        var headers = string.Join("; ", Headers.Select(h => $"{h.Key}: {Shorten(h.Value, 60)}"));
        return $"{Method} {Path}{Query} as {Caller} [{Target}: {Mutation}] {ContentType} {headers} {body}";
    }

    private static string Preview(byte[] body) =>
        body.Length > 300 ? $"{body.Length} bytes: {Escape(Encoding.UTF8.GetString(body, 0, 200))}…" : Escape(Encoding.UTF8.GetString(body));

    private static string Escape(string text) =>
        string.Concat(text.Select(c => c < ' ' || c is >= '\u007f' and <= '\u00a0' || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    private static string Shorten(string text, int length) => text.Length <= length ? Escape(text) : Escape(text[..length]) + $"…({text.Length})";
}
