using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ledger.IntegrationTests.Harness;

/// <summary>Small helpers that keep the tests about the ledger, not about HTTP plumbing.</summary>
public static class Api
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<Guid> OpenAccount(this HttpClient desk, string customerId, string currency = "USD", string holder = "Jane Holder")
    {
        var response = await desk.PostAsJsonAsync("/api/accounts", new
        {
            customerId, holderName = holder, currency, billingDay = 5,
            address = new { line1 = "1 Main St", city = "Springfield", postalCode = "12345", country = "US" },
        });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Body())["id"]!.GetValue<Guid>();
    }

    public static async Task<Guid> Post(this HttpClient client, Guid accountId, string what, object body)
    {
        var response = await client.PostAsJsonAsync($"/api/accounts/{accountId}/{what}", body);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Body())["id"]!.GetValue<Guid>();
    }

    /// <summary>A payment that has to clear (a customer's transfer, check or card; the desk's check or transfer): 202, pending.</summary>
    public static async Task<JsonObject> PayPending(this HttpClient client, Guid accountId, object body)
    {
        var response = await client.PostAsJsonAsync($"/api/accounts/{accountId}/payments", body);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var answer = await response.Body();
        answer["status"]!.GetValue<string>().Should().Be("pending");
        return answer;
    }

    public static async Task<JsonObject> Account(this HttpClient client, Guid accountId)
    {
        var response = await client.GetAsync($"/api/accounts/{accountId}");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Body();
    }

    public static async Task<long> Version(this HttpClient client, Guid accountId) => (await client.Account(accountId))["version"]!.GetValue<long>();

    public static async Task<decimal> Balance(this HttpClient client, Guid accountId) => (await client.Account(accountId))["balance"]!.GetValue<decimal>();

    public static async Task<JsonObject> Body(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text)?.AsObject() ?? throw new InvalidOperationException($"Not a JSON object: {text}");
    }

    /// <summary>Asserts an RFC 9457 answer with this status that names this rule.</summary>
    public static async Task<JsonObject> ShouldBeProblem(this HttpResponseMessage response, HttpStatusCode status, string? rule = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, text);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", text);
        var problem = JsonNode.Parse(text)!.AsObject();
        problem["status"]!.GetValue<int>().Should().Be((int)status);
        if (rule is not null)
            problem["rule"]?.GetValue<string>().Should().Be(rule, text);
        text.Should().NotContain("   at ", "no stack trace is ever shown");
        return problem;
    }
}
