using Ledger.Api.Accounts.Writing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Ledger.Api.Infrastructure.OpenApi;

/// <summary>Endpoint metadata: the request and response headers of an idempotent, versioned write (see <see cref="Answers.Write"/>).</summary>
public sealed record WriteHeaders(bool IfMatch = true, bool ETag = true);

/// <summary>Endpoint metadata: the success answers carry the resource's version as <c>ETag</c> (a read of something writable).</summary>
public sealed record AnswersETag;

/// <summary>Endpoint metadata: the 200 is a file of this media type (binary), named by <c>Content-Disposition</c>.</summary>
public sealed record AnswersFile(string ContentType);

/// <summary>Endpoint metadata: this status is answered with one of these bodies.</summary>
public sealed record AnswersOneOf(int Status, IReadOnlyList<Type> Bodies);

/// <summary>
/// What every operation of a kind can answer, from its metadata, so that no endpoint has to repeat it and none can forget
/// it: 401/403 where it needs a token (and the bearer requirement there only), 429 under the global rate limiter and 503
/// while the database is away (both with <c>Retry-After</c>), 400 and 422 from the screening of every request, 413/415
/// where a body may be sent, 404 where the path names something. Every problem answer uses the one <c>ProblemDetails</c> schema (<see cref="DocumentTagsAndProblems"/>).
/// </summary>
public sealed class StandardAnswers : IOperationFilter
{
    public const string ProblemSchema = "ProblemDetails";
    private const string ProblemJson = "application/problem+json";

    /// <summary>What an answer of a status means wherever an endpoint declares it without saying.</summary>
    private static readonly Dictionary<string, string> Described = new()
    {
        ["200"] = "Done; the body is the result.",
        ["201"] = "Recorded; `Location` says where the new resource is read.",
        ["202"] = "Accepted but not final: pending until someone (a manager, the bank, the processor) decides; `Location` says where to follow it.",
        ["409"] = "The request conflicts with the current state: already decided or settled, a duplicate, or changed by a concurrent " +
                  "writer (retry with the same `Idempotency-Key`); `rule` says which.",
        ["412"] = "`If-Match` names a version the account no longer has; `ETag` carries the current one. Reload and decide again.",
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var document = context.Document;
        operation.Responses ??= new OpenApiResponses();

        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        if (!anonymous && metadata.OfType<IAuthorizeData>().Any())
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] }];
            Problem(operation, 401, "No valid bearer token: sign in (the `WWW-Authenticate` header says how).");
            Problem(operation, 403, "The token is valid but its role, customer or scope may not do this.");
        }
        else
            operation.Security = [];

        // Every request is screened before its endpoint (RequestInspection): a NUL or broken text anywhere is 400, a card
        // number in the query, the kept headers or the body is 422, and a JSON body on a POST or PUT is bounded (413) and UTF-8 (415).
        Problem(operation, 400, "The request is malformed: a body that is not JSON of the right shape, a parameter or header that does " +
                                "not parse or holds a NUL, or fields that break a rule (`errors` names each).");
        Problem(operation, 422, "A rule refused the request (`rule` names it). Whatever the operation, a card number anywhere in the " +
                                "request (query, `Idempotency-Key`, `X-Correlation-Id`, body) is refused with `" + Ledger.Domain.Payments.CardNumbers.Rule + "` and never stored.");
        if (operation.Parameters?.Any(p => p.In == ParameterLocation.Path) == true)
            Problem(operation, 404, "What the path names does not exist or is not visible to the caller.");
        if (context.ApiDescription.HttpMethod is "POST" or "PUT")
        {
            Problem(operation, 413, "The body is larger than the service accepts.");
            Problem(operation, 415, "The body is not in a media type (or charset) this operation reads.");
        }
        if (!metadata.OfType<DisableRateLimitingAttribute>().Any())
            Problem(operation, 429, "Too many requests from this caller for this kind of request; retry after `Retry-After` seconds.", retryAfter: true);
        Problem(operation, 503, "The ledger's database is not reachable; retry after `Retry-After` seconds (a write with the same " +
                                "`Idempotency-Key` is applied at most once).", retryAfter: true);

        foreach (var file in metadata.OfType<AnswersFile>())
            FileAnswer(operation, file);
        foreach (var oneOf in metadata.OfType<AnswersOneOf>())
            operation.Responses[oneOf.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = ReasonPhrases.GetReasonPhrase(oneOf.Status),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = new OpenApiSchema { OneOf = oneOf.Bodies.Select(b => context.SchemaGenerator.GenerateSchema(b, context.SchemaRepository)).ToList() } },
                },
            };

        if (metadata.OfType<WriteHeaders>().FirstOrDefault() is { } write)
            Describe(operation, write);
        else if (metadata.OfType<AnswersETag>().Any())
            foreach (var (status, response) in operation.Responses.Where(r => r.Key.StartsWith('2')))
                Header(response, "ETag", "The resource's version (a quoted number); send it as `If-Match` to write only if nothing changed since.");

        foreach (var (status, response) in operation.Responses)
        {
            if (response is OpenApiResponse concrete && (string.IsNullOrEmpty(concrete.Description) || concrete.Description == ReasonPhrases.GetReasonPhrase(int.Parse(status))))
                concrete.Description = Described.GetValueOrDefault(status) ?? ReasonPhrases.GetReasonPhrase(int.Parse(status));
            if (response.Content is { } content && content.Keys.Any(k => k.Contains("problem", StringComparison.Ordinal)))
            {
                content.Clear();
                content[ProblemJson] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchema, document) };
            }
        }
        operation.Responses = Sorted(operation.Responses);
    }

    private static void FileAnswer(OpenApiOperation operation, AnswersFile file)
    {
        if (!operation.Responses!.TryGetValue("200", out var response) || response is not OpenApiResponse concrete)
            operation.Responses["200"] = concrete = new OpenApiResponse { Description = "OK" };
        concrete.Content ??= new Dictionary<string, OpenApiMediaType>();
        concrete.Content[file.ContentType] = new OpenApiMediaType
        {
            Schema = file.ContentType.StartsWith("text/", StringComparison.Ordinal)
                ? new OpenApiSchema { Type = JsonSchemaType.String }
                : new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
        };
        // Sent with the file; where the 200 may also be JSON (the file only when asked for), not always.
        Header(concrete, "Content-Disposition", "attachment, with the file's name (with the file).", required: concrete.Content.Count == 1);
    }

    private static void Describe(OpenApiOperation operation, WriteHeaders write)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = Writes.IdempotencyKeyHeader, In = ParameterLocation.Header, Required = false,
            Description = "1 to 100 letters, digits, '-', '_', '.' or ':'. A retry with the same key and body gets the first answer " +
                          "and changes nothing; the same key with another body is refused (422 `idempotency-key-reused`).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 100, Pattern = "^[A-Za-z0-9._:-]+$" },
        });
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = Writes.CorrelationIdHeader, In = ParameterLocation.Header, Required = false,
            Description = "Your id for this request, recorded on its events (else the trace id is).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 100 },
        });
        if (write.IfMatch)
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match", In = ParameterLocation.Header, Required = false,
                Description = "The ETag the caller last saw: the write applies only if nothing changed since (else 412 `version-mismatch`).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        foreach (var (status, response) in operation.Responses!)
        {
            if (write.ETag && (status.StartsWith('2') || status == "412"))
                Header(response, "ETag", "The account's version after this write (on 412: its version now).");
            if (status is "201" or "202")
                Header(response, "Location", status == "201" ? "Where the new resource is read." : "Where the request for approval is read.");
        }
    }

    private static void Problem(OpenApiOperation operation, int status, string description, bool retryAfter = false)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!operation.Responses!.TryGetValue(key, out var response))
            operation.Responses[key] = response = new OpenApiResponse { Description = description, Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() } };
        else if (response is OpenApiResponse concrete && (string.IsNullOrEmpty(concrete.Description) || concrete.Description == ReasonPhrases.GetReasonPhrase(status)))
            concrete.Description = description;
        if (retryAfter)
            Header(response, "Retry-After", "Seconds to wait before retrying.", JsonSchemaType.Integer);
    }

    /// <summary>A header of the answer; <paramref name="required"/>: always sent (the suite's contract check holds the service to it).</summary>
    private static void Header(IOpenApiResponse response, string name, string description, JsonSchemaType type = JsonSchemaType.String, bool required = true)
    {
        if (response is not OpenApiResponse concrete)
            return;
        concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
        concrete.Headers[name] = new OpenApiHeader { Description = description, Required = required, Schema = new OpenApiSchema { Type = type } };
    }

    private static OpenApiResponses Sorted(OpenApiResponses responses)
    {
        var sorted = new OpenApiResponses();
        foreach (var (status, response) in responses.OrderBy(r => r.Key, StringComparer.Ordinal))
            sorted[status] = response;
        return sorted;
    }
}
