using System.Text;

namespace Ledger.ProcessorStandIn.Webhooks;

/// <summary>
/// Sends one signed delivery through the named HttpClient <see cref="HttpClientName"/>, whose handler a test replaces
/// to deliver into an in-process host (a WebApplicationFactory's <c>Server.CreateHandler()</c>).
/// </summary>
internal sealed class WebhookSender(IHttpClientFactory clients, WebhookQueue queue, TimeProvider clock)
{
    public const string HttpClientName = "Ledger.ProcessorStandIn.Webhooks";

    public async Task<(int? StatusCode, string? Error)> SendAsync(WebhookDeliveryJob job, CancellationToken cancellationToken)
    {
        if (queue.TakeSimulatedFailure())
            return (null, "simulated connection failure (/_standin/webhooks/fail-next)");

        var secret = job.Endpoint.Secret
            ?? throw new InvalidOperationException($"Webhook endpoint {job.Endpoint.Url} has no signing secret.");
        // Signed afresh at every attempt, as Stripe does: a retry hours later must still pass the receiver's tolerance.
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, job.Endpoint.Url)
        {
            Content = new StringContent(job.Event.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Header(secret, timestamp, job.Event.Payload));
        request.Headers.TryAddWithoutValidation("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)");
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            return (status, response.IsSuccessStatusCode ? null : $"endpoint answered {status}");
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A refused connection, a timeout or a bad URL are all "not delivered": the attempt is logged and retried.
            return (null, failure is OperationCanceledException ? "timed out" : failure.Message);
        }
    }
}
