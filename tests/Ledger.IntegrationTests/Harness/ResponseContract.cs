using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.Swagger;

namespace Ledger.IntegrationTests.Harness;

/// <summary>
/// Every response a test app gives to an operation of its own OpenAPI document is checked against that document: the
/// status is one the operation declares, the headers it says are always sent are there, the media type is one that
/// status declares, and a JSON body satisfies its schema (JSON Schema 2020-12, as OpenAPI 3.1 writes it). The whole integration suite — the OpenAPI fuzzer's hundred
/// thousand requests included — thereby tests the document; what does not match fails the test that received it (the
/// check throws after the answer, and the test host hands that to the client), naming the operation, the status and
/// what differed.
/// </summary>
public sealed partial class ResponseContract(IServiceProvider services)
{
    private const int MaxViolationsKept = 200;
    private readonly ConcurrentQueue<string> violations = new();
    private readonly ConcurrentDictionary<string, int> checkedAnswers = new();
    private readonly ConcurrentDictionary<string, JsonSchema> schemas = new();
    private readonly Lazy<JsonObject> document = new(() => Load(services));

    public IReadOnlyCollection<string> Violations => violations;

    /// <summary>"METHOD /path status" of every answer checked, with how often.</summary>
    public IReadOnlyDictionary<string, int> Checked => checkedAnswers;

    /// <summary>What about this answer differs from the document, or null when nothing does.</summary>
    public string? Check(HttpContext http, byte[] body)
    {
        string? found;
        try
        {
            found = CheckAnswer(http, body);
        }
        catch (Exception e)
        {
            found = $"{http.Request.Method} {http.Request.Path} {http.Response.StatusCode}: the check itself failed: {e.GetType().Name}: {e.Message}";
        }
        if (found is not null && violations.Count < MaxViolationsKept)
            violations.Enqueue(found);
        return found;
    }

    private string? CheckAnswer(HttpContext http, byte[] body)
    {
        if (http.GetEndpoint() is not RouteEndpoint endpoint)
            return null;
        var path = PathOf(endpoint.RoutePattern.RawText ?? "");
        var method = http.Request.Method.ToLowerInvariant();
        if (document.Value["paths"]?[path]?[method] is not JsonObject operation)
            return null; // not described (the portal, the processor's webhook, health)
        var status = http.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var where = $"{method.ToUpperInvariant()} {path} {status}";
        checkedAnswers.AddOrUpdate(where, 1, (_, n) => n + 1);

        var response = operation["responses"]?[status] ?? operation["responses"]?["default"];
        if (response is null)
            return $"{where}: status not in the document (it declares {string.Join(", ", operation["responses"]!.AsObject().Select(r => r.Key))})";
        var missing = (response["headers"]?.AsObject() ?? []).Where(h => h.Value?["required"]?.GetValue<bool>() == true && !http.Response.Headers.ContainsKey(h.Key))
            .Select(h => h.Key).ToList();
        if (missing.Count > 0)
            return $"{where}: the document says it always sends {string.Join(", ", missing)}, this answer has none";
        var content = response["content"]?.AsObject();
        if (body.Length == 0 || HttpMethods.IsHead(http.Request.Method))
        {
            return content is { Count: > 0 } && status != "304"
                ? $"{where}: empty body, the document declares {string.Join(", ", content.Select(c => c.Key))}"
                : null;
        }
        var mediaType = (http.Response.ContentType ?? "").Split(';')[0].Trim();
        if (content?[mediaType] is not JsonObject media)
            return $"{where}: media type '{mediaType}' not in the document (it declares {string.Join(", ", content?.Select(c => c.Key) ?? [])})";
        if (!mediaType.EndsWith("json", StringComparison.Ordinal) || media["schema"] is not JsonObject schema)
            return null;

        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            return $"{where}: body is not JSON ({e.Message})";
        }
        using (json)
        {
            var result = SchemaFor(schema).Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (result.IsValid)
                return null;
            var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Values)}").Take(5);
            return $"{where}: body does not match its schema: {string.Join(" | ", errors)} — body: {Shorten(Encoding.UTF8.GetString(body))}";
        }
    }

    /// <summary>The schema of one response, with the document's components as its <c>$defs</c>.</summary>
    private JsonSchema SchemaFor(JsonObject schema) => schemas.GetOrAdd(schema.ToJsonString(), text =>
    {
        var root = JsonNode.Parse(text.Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal))!.AsObject();
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = JsonNode.Parse(document.Value["components"]!["schemas"]!.ToJsonString()
            .Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal));
        return JsonSchema.FromText(root.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() },
            new Uri($"https://ledger.test/responses/{Guid.NewGuid():N}"));
    });

    private static JsonObject Load(IServiceProvider services)
    {
        var openApi = services.GetRequiredService<ISwaggerProvider>().GetSwagger("v1");
        using var writer = new StringWriter();
        openApi.SerializeAsV31(new OpenApiJsonWriter(writer));
        return JsonNode.Parse(writer.ToString())!.AsObject();
    }

    /// <summary>The document's path for a route: <c>/api/accounts/{accountId:guid}/</c> is <c>/api/accounts/{accountId}</c>.</summary>
    public static string PathOf(string route)
    {
        var path = Parameter().Replace(route, m => "{" + m.Groups["name"].Value + "}").TrimEnd('/');
        return path.StartsWith('/') ? path : "/" + path;
    }

    private static string Shorten(string text) => text.Length <= 400 ? text : text[..400] + "…";

    [GeneratedRegex(@"\{\**(?<name>[A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex Parameter();
}

public sealed class ResponseContractViolation(string message) : Exception("The answer does not match the OpenAPI document: " + message);

/// <summary>Puts <see cref="ResponseContract"/> in front of the whole pipeline: it sees every answer, whoever wrote it.</summary>
public sealed class ResponseContractStartup(ResponseContract contract) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (http, nextMiddleware) =>
        {
            var original = http.Response.Body;
            await using var tee = new TeeStream(original);
            http.Response.Body = tee;
            try
            {
                await nextMiddleware(http);
            }
            finally
            {
                http.Response.Body = original;
            }
            // Thrown after the answer: the test host hands it to the client reading the body, so the test that got an
            // answer the document does not describe fails, with what differed.
            if (!tee.Truncated && contract.Check(http, tee.Copy) is { } violation)
                throw new ResponseContractViolation(violation);
        });
        next(app);
    };

    /// <summary>Writes through to the real body and keeps a copy (up to 4 MB) of what went by.</summary>
    private sealed class TeeStream(Stream inner) : Stream
    {
        private const int MaxKept = 4 * 1024 * 1024;
        private readonly MemoryStream copy = new();

        public byte[] Copy => copy.ToArray();
        public bool Truncated { get; private set; }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, ct);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            if (copy.Length + bytes.Length <= MaxKept)
                copy.Write(bytes);
            else
                Truncated = true;
        }
    }
}
