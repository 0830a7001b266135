using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Webhooks;

/// <summary>What the webhook tests do through the API, as an admin would.</summary>
public static class Subscriptions
{
    public const string Route = "/api/webhook-subscriptions";

    public sealed record Subscribed(Guid Id, string Secret, long Version);

    public static async Task<Subscribed> Subscribe(this HttpClient admin, string url, params string[] eventTypes)
    {
        var response = await admin.PostAsJsonAsync(Route, new { url, eventTypes = eventTypes.Length == 0 ? ["*"] : eventTypes, description = "tests" });
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Created, body);
        var answer = JsonNode.Parse(body)!;
        var id = answer["subscription"]!["id"]!.GetValue<Guid>();
        response.Headers.Location!.ToString().Should().Be($"{Route}/{id}");
        return new Subscribed(id, answer["secret"]!.GetValue<string>(), answer["subscription"]!["version"]!.GetValue<long>());
    }

    public static async Task<JsonObject> Subscription(this HttpClient admin, Guid id)
    {
        var response = await admin.GetAsync($"{Route}/{id}");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Body();
    }

    public static async Task<HttpResponseMessage> Change(this HttpClient admin, Guid id, long version, string url, bool active, string reason = "tests",
        params string[] eventTypes)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"{Route}/{id}")
        {
            Content = JsonContent.Create(new { url, eventTypes = eventTypes.Length == 0 ? ["*"] : eventTypes, active, reason }),
        };
        request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue($"\"{version}\""));
        return await admin.SendAsync(request);
    }

    public static async Task<List<JsonObject>> Deliveries(this HttpClient admin, Guid id, bool? failed = null)
    {
        var response = await admin.GetAsync($"{Route}/{id}/deliveries?pageSize=200" + (failed is { } f ? $"&failed={f.ToString().ToLowerInvariant()}" : ""));
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Body())["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
    }

    public static async Task<T> Eventually<T>(Func<Task<T?>> probe, TimeSpan? timeout = null) where T : class =>
        await Poll.Until(probe, found => found is not null, timeout) ?? throw new TimeoutException("The condition was not met in time.");

    /// <summary>Per account, the versions the receiver accepted, each at its first acceptance (a redelivery is allowed, not counted).</summary>
    public static Dictionary<Guid, List<long>> FirstAcceptedVersions(IEnumerable<WebhookReceiver.Request> accepted)
    {
        var seen = new HashSet<string>();
        return accepted.Where(r => seen.Add(r.Id!)).GroupBy(r => r.AccountId).ToDictionary(g => g.Key, g => g.Select(r => r.Version).ToList());
    }
}
