using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Ledger.IntegrationTests.Access;
using Ledger.IntegrationTests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ledger.IntegrationTests.Fuzzing;

/// <summary>The fuzzer's own application and database: what it changes (policies, bills) never reaches other tests.</summary>
public sealed class FuzzApp : LedgerApp;

/// <summary>
/// Walks the service's own OpenAPI document and sends, for every operation, valid requests and requests with one part
/// mutated in every way JSON and HTTP allow (<see cref="RequestGenerator"/>, <see cref="HostileValues"/>). The oracle:
/// no 5xx and no stack trace; every refusal is a ProblemDetails with its status, naming the field, parameter or header
/// that was mutated when it is a 400 or 422; no refused request appends an event, and no read appends one to an account.
/// LEDGER_FUZZ_REQUESTS sets how many (100,000 by default); LEDGER_FUZZ_SEED replays a run.
/// </summary>
public sealed class OpenApiFuzzTests(FuzzApp app) : IClassFixture<FuzzApp>
{
    private const string CorrelationPrefix = "fz-";

    [Fact]
    public async Task Every_operation_answers_generated_and_mutated_requests_without_a_5xx_with_problem_details_and_appends_nothing_when_refusing()
    {
        var requests = long.TryParse(Environment.GetEnvironmentVariable("LEDGER_FUZZ_REQUESTS"), out var n) ? n : 100_000;
        var seed = Environment.GetEnvironmentVariable("LEDGER_FUZZ_SEED");
        using var http = app.CreateClient();
        // Outside Development the document is for staff only (docs/security.md).
        using var staff = app.ClientFor(TestUser.Auditor("ann.fuzz"));
        var document = JsonNode.Parse(await staff.GetStringAsync("/swagger/v1/swagger.json"))!.AsObject();
        var operations = OpenApiOperations.From(document);
        var accounts = await AccountsAsync();
        var examples = AccessMatrixTests.Table.ToDictionary(r => RequestGenerator.Normalize(r.Key), r => r.Value);
        // A well-formed confirmation token (for a request that is not pending), so that mutations are judged against a valid body.
        var links = app.Services.GetRequiredService<Ledger.Api.Accounts.Profile.ContactConfirmationLinks>();
        examples["POST /api/contact-confirmations"] = (["anonymous"],
            new { token = links.TokenFor(accounts[0].AccountId, Guid.NewGuid(), DateTimeOffset.UtcNow.AddDays(1)) });
        var tokens = new Dictionary<string, string>
        {
            ["csr"] = LedgerApp.Token(TestUser.Csr("csr.fuzz")), ["manager"] = LedgerApp.Token(TestUser.Manager("mgr.fuzz")),
            ["auditor"] = LedgerApp.Token(TestUser.Auditor("ann.fuzz")), ["admin"] = LedgerApp.Token(TestUser.Admin("ada.fuzz")),
            ["other-customer"] = LedgerApp.Token(TestUser.Customer("fz-someone-else")),
            ["broker"] = LedgerApp.Token(TestUser.Broker("fz-broker")),
            ["corporate-admin"] = LedgerApp.Token(TestUser.CorporateAdmin("fz-corporate")),
        };
        foreach (var scope in new[] { "ledger.read", "ledger.accounts.write", "ledger.charges.write", "ledger.payments.write" })
            tokens[scope] = LedgerApp.TokenWith([new("client_id", "fuzz-system"), new("scope", scope)]);
        var customerTokens = accounts.ToDictionary(a => a.CustomerId, a => LedgerApp.Token(TestUser.Customer(a.CustomerId)));

        long sent = 0;
        var statuses = new ConcurrentDictionary<int, long>();
        var covered = new ConcurrentDictionary<string, long>();
        var failures = new ConcurrentQueue<string>();
        var refused = new ConcurrentDictionary<string, string>();
        var reads = new ConcurrentDictionary<string, string>();
        var clock = Stopwatch.StartNew();

        await new RequestGenerator(operations, accounts, examples).Requests.SampleAsync(async request =>
        {
            var number = Interlocked.Increment(ref sent);
            var correlation = $"{CorrelationPrefix}{number}";
            using var message = Message(request, correlation, request.Caller switch
            {
                "anonymous" => null,
                "customer" => customerTokens[accounts.FirstOrDefault(a => request.Path.Contains(a.AccountId.ToString()))?.CustomerId ?? accounts[0].CustomerId],
                var role => tokens[role],
            });
            int status;
            string text;
            MediaTypeHeaderValue? type;
            try
            {
                using var response = await http.SendAsync(message);
                (status, text, type) = ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType);
            }
            catch (Exception e)
            {
                failures.Enqueue($"threw {e.GetType().Name}: {e.Message}{(e.GetBaseException() is { } inner && inner != e ? $" ({inner.Message})" : "")} — {request}");
                return;
            }
            statuses.AddOrUpdate(status, 1, (_, c) => c + 1);
            covered.AddOrUpdate(request.Operation, 1, (_, c) => c + 1);
            if (Judge(request, status, text, type) is { } failure)
                failures.Enqueue($"{failure} — {request}");
            var hasOwnCorrelation = request.Headers.All(h => h.Key != "X-Correlation-Id");
            if (hasOwnCorrelation && status >= 400)
                refused[correlation] = $"{status} {request}";
            else if (hasOwnCorrelation && !request.IsWrite)
                reads[correlation] = $"{status} {request}";
        }, seed: seed, iter: requests, threads: 16, print: r => r.ToString());

        var seconds = clock.Elapsed.TotalSeconds;
        var appended = await CorrelationsWithEvents();
        var appendedByRefusal = appended.Where(a => refused.ContainsKey(a.Correlation)).Select(a => $"{a.Type} after {refused[a.Correlation]}").ToList();
        var appendedByRead = appended.Where(a => reads.ContainsKey(a.Correlation) && a.Type != "statement_reprinted")
            .Select(a => $"{a.Type} after {reads[a.Correlation]}").ToList();
        var summary = $"fuzz: {sent} requests, {covered.Count} of {operations.Count} operations, {seconds:F0} s ({sent / seconds:F0}/s), " +
            $"statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}, {failures.Count} failures, " +
            $"{appendedByRefusal.Count} refused requests that appended, {appendedByRead.Count} reads that wrote";
        var results = Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(results);
        await File.WriteAllTextAsync(Path.Combine(results, "fuzz-summary.txt"), summary + Environment.NewLine);

        if (!failures.IsEmpty)
        {
            await File.WriteAllLinesAsync(Path.Combine(results, "fuzz-failures.txt"), failures);
        }
        failures.Take(40).Should().BeEmpty($"{failures.Count} requests broke the oracle; the first are listed");
        appendedByRefusal.Should().BeEmpty("a refused request appends nothing");
        appendedByRead.Should().BeEmpty("a read never writes to an account");
        covered.Keys.Should().BeEquivalentTo(operations.Select(o => o.Key), "every operation of the document was exercised");
        sent.Should().Be(requests);
    }

    private static HttpRequestMessage Message(FuzzRequest request, string correlation, string? token)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path + request.Query);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is { } contentType)
                message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        if (token is not null)
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        foreach (var (name, value) in request.Headers.Where(h => h.Key != "Content-Type"))
            message.Headers.TryAddWithoutValidation(name, value);
        if (request.Headers.All(h => h.Key != "X-Correlation-Id"))
            message.Headers.TryAddWithoutValidation("X-Correlation-Id", correlation);
        return message;
    }

    /// <summary>Why this answer breaks a promise, or null when it keeps them all.</summary>
    private static string? Judge(FuzzRequest request, int status, string text, MediaTypeHeaderValue? type)
    {
        if (status >= 500)
            return $"{status}: {Short(text)}";
        if (text.Contains("   at ", StringComparison.Ordinal) || text.Contains("Exception", StringComparison.Ordinal))
            return $"{status} with what looks like a stack trace: {Short(text)}";
        if (status < 400)
            return null;
        if (type?.MediaType != "application/problem+json")
            return $"{status} as {type?.MediaType ?? "no content type"}, not a ProblemDetails: {Short(text)}";
        JsonObject problem;
        try
        {
            problem = JsonNode.Parse(text)!.AsObject();
        }
        catch (JsonException)
        {
            return $"{status} with a body that is not JSON: {Short(text)}";
        }
        if (problem["status"]?.GetValue<int>() != status || problem["title"] is null)
            return $"{status} whose ProblemDetails lacks its status or title: {Short(text)}";
        // The request is valid but for the mutated part, so malformed input (400) is about that part and must say so. A
        // 422 may be the state of the account refusing the valid rest (not suspended, over a limit): it names its rule.
        // Text that is not JSON has no fields: the detail gives the position instead.
        if (status == 400 && request.Target is { Length: > 0 } target && target != "body" && problem["rule"]?.ToString() != "malformed-json"
            && !Names(problem, target))
            return $"{status} that does not name '{target}': {Short(text)}";
        if (status is 400 or 422 && problem["rule"] is null)
            return $"{status} without the rule that refused it: {Short(text)}";
        return null;
    }

    /// <summary>Whether the problem names the mutated part (its field, an errors key, or the detail says it).</summary>
    private static bool Names(JsonObject problem, string target)
    {
        var leaf = target.Split('.')[^1];
        bool Mentions(string? s) => s is not null && (s.Contains(leaf, StringComparison.OrdinalIgnoreCase) || s.Contains(target, StringComparison.OrdinalIgnoreCase));
        return Mentions(problem["field"]?.ToString()) || Mentions(problem["detail"]?.ToString())
            || (problem["errors"] as JsonObject)?.Any(e => Mentions(e.Key)) == true;
    }

    private static string Short(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private async Task<IReadOnlyList<FuzzAccount>> AccountsAsync()
    {
        using var desk = app.ClientFor(TestUser.Csr("csr.fuzz-setup"));
        var accounts = new List<FuzzAccount>();
        // Enough accounts that the streams the valid writes grow stay short enough to read whole (history, integrity).
        for (var i = 0; i < 64; i++)
        {
            var customer = $"fz-cust-{i}";
            var accountId = await desk.OpenAccount(customer);
            var charge = await desk.Post(accountId, "charges", new { amount = 500m, description = "Line rental", category = "telecom" });
            accounts.Add(new FuzzAccount(accountId, customer, charge));
        }
        return accounts;
    }

    private async Task<List<(string Correlation, string Type)>> CorrelationsWithEvents()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select distinct correlation_id, type from ledger.mt_events where correlation_id like '{CorrelationPrefix}%'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var found = new List<(string, string)>();
        while (await reader.ReadAsync())
            found.Add((reader.GetString(0), reader.GetString(1)));
        return found;
    }
}
