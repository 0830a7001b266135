using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Spectre.Console;

namespace Ledger.Benchmarks;

/// <summary>
/// N clients each posting requests of 1,000 charges to <c>POST /api/bulk/charges</c>, spread over many accounts. Its
/// unit is the charge applied (not the request), its latency is per request. A build without the route, or one whose
/// body limit refuses such a request, is reported as not measured and the rest of the bench runs on.
/// </summary>
public sealed class BulkCharges(LedgerProcess api, List<Guid> accounts)
{
    public const int ItemsPerRequest = 1_000;
    private const string Route = "/api/bulk/charges";

    // At 32 clients a request waits behind 31,000 other charges: seconds, not the 30 s default, unless something is wrong.
    private readonly HttpClient _csr = api.Client("bench.bulk", "csr", TimeSpan.FromMinutes(5));
    private long _requests, _applied, _notApplied;
    private string? _firstRefusal;
    private Task<string?>? _unavailable;

    public async Task<Measurement> RunAsync(HttpScenarios scenarios, int clients, TimeSpan duration)
    {
        if (await (_unavailable ??= Probe()) is { } reason)
        {
            AnsiConsole.MarkupLine($"{"bulk-charges",-26} {clients,3} clients: [yellow]not measured[/]: {Markup.Escape(reason)}");
            return Measurement.NotMeasured("bulk-charges", clients, reason);
        }
        await scenarios.Settle("bulk-charges", clients, duration, Send);
        (_applied, _notApplied, _firstRefusal) = (0, 0, null);
        var m = await Measurement.RunAsync("bulk-charges", clients, duration, Send);

        // Measurement counts requests; restate it in charges, the unit the target compares with pgbench's rows.
        var (requests, applied) = (m.Operations, Interlocked.Read(ref _applied));
        var seconds = m.OpsPerSecond > 0 ? requests / m.OpsPerSecond : duration.TotalSeconds;
        m = m with
        {
            OpsPerSecond = applied / seconds, Operations = applied, Errors = Interlocked.Read(ref _notApplied),
            Cpu = applied > 0 ? m.Cpu?.Scaled((double)requests / applied) : null,
            Note = $"{requests} requests of {ItemsPerRequest:N0} charges ({requests / seconds:F1} requests/s) over {accounts.Count:N0} accounts; " +
                   $"latency per request; errors = charges not applied{(_firstRefusal is { } r ? $", first: {r}" : "")}",
        };
        AnsiConsole.MarkupLine($"{"bulk-charges",-26} {clients,3} clients: [green]{m.OpsPerSecond,8:F0}[/] charges/s  {requests / seconds:F1} requests/s  " +
                               $"p50 {m.P50Ms:F0} ms  p99 {m.P99Ms:F0} ms per request  not applied {m.Errors}");
        if (_firstRefusal is not null)
            AnsiConsole.MarkupLine($"[yellow]  first refusal: {Markup.Escape(_firstRefusal)}[/]");
        return m;
    }

    private async Task<bool> Send(int client, long i)
    {
        try
        {
            using var response = await Post();
            var (applied, refusal) = await Outcome(response);
            Interlocked.Add(ref _applied, applied);
            Interlocked.Add(ref _notApplied, ItemsPerRequest - applied);
            if (refusal is not null)
                Interlocked.CompareExchange(ref _firstRefusal, refusal, null);
            return refusal is null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            Interlocked.Add(ref _notApplied, ItemsPerRequest);
            Interlocked.CompareExchange(ref _firstRefusal, $"{e.GetType().Name}: {e.Message}", null);
            return false;
        }
    }

    /// <summary>One full-size request first: a missing route (404/405) or a body limit below 1,000 charges (413) ends the scenario here, said plainly.</summary>
    private async Task<string?> Probe()
    {
        try
        {
            using var response = await Post();
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
                return $"POST {Route} answered {(int)response.StatusCode}: the route is not in this build";
            var (_, refusal) = await Outcome(response);
            return response.StatusCode == HttpStatusCode.OK ? null : $"POST {Route} of {ItemsPerRequest:N0} charges answered {refusal}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return $"POST {Route}: {e.GetType().Name}: {e.Message}";
        }
    }

    private async Task<HttpResponseMessage> Post()
    {
        using var content = new ReadOnlyMemoryContent(Body(Interlocked.Increment(ref _requests)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await _csr.PostAsync(Route, content);
    }

    /// <summary>Charges applied, and what the first refused one (or the whole request) was refused for.</summary>
    private static async Task<(int Applied, string? Refusal)> Outcome(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            using var problem = body.Length > 0 && body[0] == '{' ? JsonDocument.Parse(body) : null;
            return (0, $"{(int)response.StatusCode} {(problem is null ? "" : Problem(problem.RootElement))}".Trim());
        }
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var applied = root.GetProperty("applied").GetInt32();
        if (root.GetProperty("refused").GetInt32() == 0)
            return (applied, null);
        var item = root.GetProperty("items").EnumerateArray().First(i => i.GetProperty("status").GetInt32() >= 400);
        return (applied, $"item {item.GetProperty("index").GetInt32()}: {item.GetProperty("status").GetInt32()} {Problem(item.GetProperty("problem"))}".Trim());
    }

    /// <summary>Title and detail, and the field the refusal names (which item, which member).</summary>
    private static string Problem(JsonElement problem) =>
        problem.ValueKind != JsonValueKind.Object ? ""
        : string.Join(": ", new[] { "title", "detail" }.Select(p => problem.TryGetProperty(p, out var v) ? v.GetString() : null).OfType<string>())
          + (problem.TryGetProperty("field", out var field) && field.ValueKind == JsonValueKind.String ? $" (field {field.GetString()})" : "");

    private ReadOnlyMemory<byte> Body(long request)
    {
        var buffer = new ArrayBufferWriter<byte>(ItemsPerRequest * 200);
        using (var json = new Utf8JsonWriter(buffer))
        {
            // 1,000 distinct accounts from a random place in the pool: concurrent requests share some accounts, as real batches would.
            var start = Random.Shared.Next(accounts.Count);
            json.WriteStartObject();
            json.WriteStartArray("items");
            for (var k = 0; k < ItemsPerRequest; k++)
            {
                json.WriteStartObject();
                json.WriteString("accountId", accounts[(start + k) % accounts.Count]);
                // Unique in the run: the request number goes on across warm-up and measurement, and a reused key is a replay, not a charge.
                json.WriteString("idempotencyKey", $"bench.{request}.{k}");
                json.WriteNumber("amount", 12.34m);
                json.WriteString("description", "Bench");
                json.WriteString("category", "usage");
                json.WriteNull("serviceFrom");
                json.WriteNull("serviceTo");
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenMemory;
    }
}
