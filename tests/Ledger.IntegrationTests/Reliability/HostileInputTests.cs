using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Bogus;
using Ledger.IntegrationTests.Infrastructure;
using Npgsql;

namespace Ledger.IntegrationTests.Reliability;

/// <summary>
/// Thousands of generated malformed requests against every write endpoint: none may be answered with a 5xx,
/// every refusal is a ProblemDetails, and not one event is appended anywhere.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class HostileInputTests(LedgerApp app)
{
    private static readonly string[] WriteRoutes =
    [
        "POST /api/accounts", "POST /api/accounts/{a}/charges", "POST /api/accounts/{a}/payments", "POST /api/accounts/{a}/credits",
        "POST /api/accounts/{a}/corrections", "POST /api/accounts/{a}/corrections/{g}/reversal", "POST /api/accounts/{a}/disputes",
        "POST /api/accounts/{a}/disputes/{g}/resolution", "POST /api/accounts/{a}/suspension", "POST /api/accounts/{a}/reactivation",
        "POST /api/accounts/{a}/closure", "PUT /api/accounts/{a}/profile", "PUT /api/accounts/{a}/entries/{g}/category",
        "POST /api/approvals/{g}/approve", "POST /api/approvals/{g}/reject", "PUT /api/policy",
        // Not POST /api/statement-runs: every field is optional, so most of this corpus is a valid "bill whoever is due now".
    ];

    private static readonly string[] Nasty =
    [
        "'; drop table ledger.mt_events; --", "<script>alert(1)</script>", "\u202Egnp.exe", "\u0000", "zero\u200Bwidth", "🧾💸",
        "../../etc/passwd", "${jndi:ldap://x}", "%s%s%s%n", "\uFFFF\uFFFE", new string('A', 5000), "NaN", "-Infinity",
    ];

    /// <summary>Bodies that no endpoint accepts: broken JSON, wrong types, absurd numbers, or required fields missing.</summary>
    private static IEnumerable<(string Body, string ContentType)> Bodies(Faker f)
    {
        foreach (var s in Nasty)
        {
            var text = System.Text.Json.JsonSerializer.Serialize(s);
            yield return ($"{{\"amount\":-1,\"description\":{text},\"category\":{text},\"reason\":{text},\"reasonCode\":{text}}}", "application/json");
            yield return ($"{{\"amount\":{text},\"method\":{text},\"entryId\":{text},\"outcome\":{text},\"limits\":{text}}}", "application/json");
            yield return ($"{{\"holderName\":{text},\"address\":{text},\"category\":\"\",\"reason\":\"\",\"note\":{{}}}}", "application/json");
        }
        string[] broken =
        [
            "", "{", "}", "[]", "null", "\"just a string\"", "42", "{\"amount\":}", "{\"amount\":1,}", "{amount:1}", "{'amount':1}",
            "{\"amount\":NaN}", "{\"amount\":Infinity}", "{\"amount\":1e309}", "{\"amount\":-1e309}", "{\"amount\":99999999999999999999999999999999}",
            "{\"amount\":0x10}", "{\"amount\":01}", "{\"amount\":1 /* c */}", "{\"amount\":true}", "{\"amount\":[1]}", "{\"amount\":{\"v\":1}}",
            "{\"billingDay\":1.5}", "{\"billingDay\":\"3\"}", "{\"entryId\":\"00000000-0000-0000-0000-00000000000g\"}",
            "{\"cutoff\":\"not a date\"}", "{\"accountIds\":\"all\"}", "{\"limits\":{\"csr\":{\"maxSingleCredit\":\"lots\"}}}",
            new string('[', 200) + new string(']', 200), "{\"a\":" + new string('[', 100) + new string(']', 100) + "}",
            "{\"amount\":-0.001,\"description\":\"x\",\"category\":\"y\",\"method\":\"card\",\"reason\":\"r\",\"reasonCode\":\"c\",\"entryId\":\"" + Guid.Empty + "\"}",
        ];
        foreach (var b in broken)
            yield return (b, "application/json");
        for (var i = 0; i < 20; i++)
            yield return (f.Random.String2(f.Random.Int(1, 300), "{}[]\":,0123456789.-eEtruefalsn \\u"), "application/json");
        yield return ("{\"amount\":10,\"description\":\"" + new string('x', 70_000) + "\"}", "application/json");
        yield return ("amount=10&description=x", "application/x-www-form-urlencoded");
        yield return ("<charge amount=\"10\"/>", "application/xml");
        yield return ("{\"amount\":10}", "text/plain");
    }

    [Fact]
    public async Task Thousands_of_malformed_requests_get_problem_details_never_a_5xx_and_append_nothing()
    {
        using var desk = app.ClientFor(TestUser.Csr("csr.hostile"));
        var accountId = await desk.OpenAccount("cust-hostile");
        await desk.Post(accountId, "charges", new { amount = 10m, description = "Base", category = "fees" });
        var clients = new[] { desk, app.ClientFor(TestUser.Manager("mgr.hostile")), app.ClientFor(TestUser.Admin("ada.hostile")) };
        var before = await EventCount();
        var faker = new Faker { Random = new Randomizer(9) };
        string[] ids = [accountId.ToString(), Guid.NewGuid().ToString(), Guid.Empty.ToString(), "not-a-guid", new string('9', 400), "%2500", "..%2F..%2F"];

        var tried = 0;
        var failures = new List<string>();
        var requests = (from route in WriteRoutes
                        from body in Bodies(faker)
                        select (route, body)).ToList();
        foreach (var (route, (body, contentType)) in requests)
        {
            var id = ids[tried % ids.Length];
            var (method, path) = (route.Split(' ')[0], route.Split(' ')[1].Replace("{a}", id).Replace("{g}", ids[(tried + 1) % ids.Length]));
            var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            if (tried % 11 == 0)
            {
                var key = faker.PickRandom(Nasty);
                request.Headers.TryAddWithoutValidation("Idempotency-Key", key[..Math.Min(40, key.Length)]);
            }
            if (tried % 13 == 0)
                request.Headers.TryAddWithoutValidation("If-Match", faker.PickRandom("\"x\"", "*", "\"-1\"", "W/\"1\""));
            var response = await clients[tried % clients.Length].SendAsync(request);
            tried++;
            var text = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 500 || response.IsSuccessStatusCode
                || response.Content.Headers.ContentType?.MediaType != "application/problem+json" || text.Contains("   at "))
                failures.Add($"{route} [{contentType}] {body[..Math.Min(body.Length, 80)]} -> {(int)response.StatusCode} {text[..Math.Min(text.Length, 200)]}");
        }

        Console.WriteLine($"hostile input: {tried} requests, {failures.Count} failures, {await EventCount() - before} events appended");
        tried.Should().BeGreaterThan(1_000);
        failures.Should().BeEmpty();
        (await EventCount()).Should().Be(before, "no malformed request may append anything");
    }

    private async Task<long> EventCount()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from ledger.mt_events", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
