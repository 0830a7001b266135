using System.Security.Cryptography;
using System.Text.Json;
using Ledger.Domain;
using Ledger.Domain.Payments;

namespace Ledger.Api.Infrastructure;

/// <summary>
/// Looks at every request before an endpoint does. Refuses anything that looks like a full card number, wherever it
/// sits — a header the ledger keeps (the correlation id goes into event metadata, the idempotency key into its
/// record), a query parameter, any value of a JSON body, known field or not — so one is never stored or logged; and
/// fingerprints JSON bodies for Idempotency-Key replays.
/// </summary>
public sealed class RequestInspection(RequestDelegate next, Microsoft.Extensions.Options.IOptions<LedgerOptions> options)
{
    public const string BodyHashItem = "ledger.body-sha256";

    /// <summary>The request headers whose values the ledger stores or echoes.</summary>
    private static readonly string[] KeptHeaders = [Accounts.Writing.Writes.IdempotencyKeyHeader, Accounts.Writing.Writes.CorrelationIdHeader];

    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        if (CardNumberOutsideBody(context.Request) is { } where)
        {
            await RefuseCardNumber(context, problems, where);
            return;
        }
        if (!HttpMethods.IsPost(context.Request.Method) && !HttpMethods.IsPut(context.Request.Method)
            || context.Request.HasJsonContentType() is false)
        {
            await next(context);
            return;
        }

        // Kestrel enforces the same limit on the socket; this also holds under any other server (and the test host).
        var limit = options.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            await TooLarge(context, problems, limit);
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
                await TooLarge(context, problems, limit);
                return;
            }
            buffer.Write(chunk, 0, read);
        }
        context.Request.Body.Position = 0;
        var bytes = buffer.ToArray();
        context.Items[BodyHashItem] = Convert.ToHexStringLower(SHA256.HashData(bytes));

        if (FindCardNumber(bytes) is { } field)
        {
            await RefuseCardNumber(context, problems, field);
            return;
        }

        await next(context);
    }

    private static string? CardNumberOutsideBody(HttpRequest request)
    {
        foreach (var header in KeptHeaders)
            if (request.Headers.TryGetValue(header, out var values) && values.Any(CardNumbers.LooksLikeCardNumber))
                return header;
        foreach (var (name, values) in request.Query)
            if (CardNumbers.LooksLikeCardNumber(name) || values.Any(CardNumbers.LooksLikeCardNumber))
                return name;
        return null;
    }

    private static Task RefuseCardNumber(HttpContext context, IProblemDetailsService problems, string field)
    {
        var rejection = new Rejection("card-number-not-allowed",
            "A full card number was sent. This ledger never stores card numbers: send only the card brand and its last four digits.", field);
        context.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = Problems.Describe(rejection) }).AsTask();
    }

    private static Task TooLarge(HttpContext context, IProblemDetailsService problems, long limit)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = Problems.Describe(new Rejection("body-too-large", $"Request bodies are at most {limit} bytes."), 413),
        }).AsTask();
    }

    private static string? FindCardNumber(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
            return Walk(document.RootElement, "");
        }
        catch (JsonException)
        {
            return null; // malformed JSON is the model binder's to refuse, with the position of the error
        }
    }

    private static string? Walk(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject()
            .Select(p => Walk(p.Value, path.Length == 0 ? p.Name : $"{path}.{p.Name}")).FirstOrDefault(f => f is not null),
        JsonValueKind.Array => element.EnumerateArray().Select((e, i) => Walk(e, $"{path}[{i}]")).FirstOrDefault(f => f is not null),
        JsonValueKind.String when CardNumbers.LooksLikeCardNumber(element.GetString()) => path,
        JsonValueKind.Number when CardNumbers.LooksLikeCardNumber(element.GetRawText()) => path,
        _ => null,
    };
}
