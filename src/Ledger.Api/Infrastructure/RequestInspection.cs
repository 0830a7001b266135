using System.Security.Cryptography;
using System.Text.Json;
using Ledger.Domain;
using Ledger.Domain.Payments;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace Ledger.Api.Infrastructure;

/// <summary>
/// Looks at every request before an endpoint does, and refuses what no endpoint should see:
/// <list type="bullet">
/// <item>anything that looks like a full card number, wherever it sits — a header the ledger keeps (the correlation id
/// goes into event metadata, the idempotency key into its record), a query parameter, any value of a JSON body, known
/// field or not — so one is never stored or logged (422);</item>
/// <item>text that is not text: a string holding bytes that are not UTF-8 or an unpaired surrogate, a body declaring a
/// charset other than UTF-8 (which would let it past this very inspection), a NUL anywhere (PostgreSQL cannot store one: without this
/// the request failed in the database and looked like an outage) (400, naming the field);</item>
/// <item>a body over the size limit (413).</item>
/// </list>
/// It also fingerprints JSON bodies for Idempotency-Key replays.
/// </summary>
public sealed class RequestInspection(RequestDelegate next, Microsoft.Extensions.Options.IOptions<LedgerOptions> options)
{
    public const string BodyHashItem = "ledger.body-sha256";

    /// <summary>The request headers whose values the ledger stores or echoes.</summary>
    private static readonly string[] KeptHeaders = [Accounts.Writing.Writes.IdempotencyKeyHeader, Accounts.Writing.Writes.CorrelationIdHeader];

    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        if (OutsideBody(context.Request) is { } refused)
        {
            await Refuse(context, problems, refused);
            return;
        }
        if (!HttpMethods.IsPost(context.Request.Method) && !HttpMethods.IsPut(context.Request.Method)
            || context.Request.HasJsonContentType() is false)
        {
            await next(context);
            return;
        }
        if (MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) && type.Charset.HasValue
            && !type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            await Refuse(context, problems, (415, new Rejection("unsupported-charset",
                $"JSON bodies are UTF-8; this one declares charset '{type.Charset}'.", HeaderNames.ContentType)));
            return;
        }

        // Kestrel enforces the same limit on the socket; this also holds under any other server (and the test host).
        // An endpoint may allow more (a bulk request); Kestrel is told too, as it reads the socket.
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? options.Value.MaxRequestBodyBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } socket)
            socket.MaxRequestBodySize = limit;
        if (context.Request.ContentLength > limit)
        {
            await Refuse(context, problems, TooLarge(limit));
            return;
        }
        context.Request.EnableBuffering();
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                await Refuse(context, problems, TooLarge(limit));
                return;
            }
            buffer.Write(chunk, 0, read);
        }
        context.Request.Body.Position = 0;
        var bytes = buffer.ToArray();
        context.Items[BodyHashItem] = Convert.ToHexStringLower(SHA256.HashData(bytes));

        if (InBody(bytes) is { } inBody)
        {
            await Refuse(context, problems, inBody);
            return;
        }
        await next(context);
    }

    private static (int, Rejection)? OutsideBody(HttpRequest request)
    {
        foreach (var header in KeptHeaders)
            if (request.Headers.TryGetValue(header, out var values) && values.Any(CardNumbers.LooksLikeCardNumber))
                return CardNumber(header);
        foreach (var (name, values) in request.Query)
        {
            if (CardNumbers.LooksLikeCardNumber(name) || values.Any(CardNumbers.LooksLikeCardNumber))
                return CardNumber(name);
            if (StorableText.HasNul(name) || values.Any(v => v is not null && StorableText.HasNul(v)))
                return Nul(name);
        }
        return null;
    }

    /// <summary>The same screening for a JSON body that arrives another way (a command from a queue): the status and rule it would get, or null.</summary>
    public static (int Status, Rejection Rejection)? Screen(byte[] body) => InBody(body);

    private static (int, Rejection)? InBody(byte[] body)
    {
        try
        {
            // The parser refuses bytes that are not UTF-8 outside strings; inside one (a value or a name) the walk's decoding
            // does, so the refusal names the field.
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
            return Walk(document.RootElement, "");
        }
        catch (JsonException)
        {
            return null; // malformed JSON is the model binder's to refuse, with the position of the error
        }
    }

    private static (int, Rejection)? Walk(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string raw;
                    try
                    {
                        raw = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return InvalidText(path.Length == 0 ? "body" : path);
                    }
                    var name = Text(raw, path, isName: true);
                    if (name.Refusal is { } badName)
                        return badName;
                    if (Walk(property.Value, path.Length == 0 ? name.Value! : $"{path}.{name.Value}") is { } inside)
                        return inside;
                }
                return null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                    if (Walk(item, $"{path}[{i++}]") is { } inside)
                        return inside;
                return null;
            case JsonValueKind.String:
                string value;
                try
                {
                    value = element.GetString()!;
                }
                catch (InvalidOperationException)
                {
                    return InvalidText(path);
                }
                return Text(value, path, isName: false).Refusal;
            case JsonValueKind.Number when CardNumbers.LooksLikeCardNumber(element.GetRawText()):
                return CardNumber(path);
            default:
                return null;
        }
    }

    private static (string? Value, (int, Rejection)? Refusal) Text(string text, string path, bool isName)
    {
        var field = isName ? (path.Length == 0 ? text : $"{path}.{text}") : path;
        if (StorableText.HasUnpairedSurrogate(text))
            return (null, InvalidText(isName ? path : field));
        if (StorableText.HasNul(text))
            return (null, Nul(field));
        return CardNumbers.LooksLikeCardNumber(text) ? (null, CardNumber(field)) : (text, null);
    }

    private static (int, Rejection) CardNumber(string field) => (422, new Rejection(CardNumbers.Rule,
        "A full card number was sent. This ledger never stores card numbers: send only the card brand and its last four digits.", field));

    private static (int, Rejection) InvalidText(string field) => (400, new Rejection("invalid-text",
        $"'{field}' is not valid Unicode text (bytes that are not UTF-8, or an unpaired surrogate).", field));

    private static (int, Rejection) Nul(string field) => (400, new Rejection("invalid-text", $"'{field}' contains a NUL character.", field));

    private static (int, Rejection) TooLarge(long limit) => (413, new Rejection("body-too-large", $"Request bodies are at most {limit} bytes."));

    private static Task Refuse(HttpContext context, IProblemDetailsService problems, (int Status, Rejection Rejection) refusal)
    {
        context.Response.StatusCode = refusal.Status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = Problems.Describe(refusal.Rejection, refusal.Status),
        }).AsTask();
    }
}
