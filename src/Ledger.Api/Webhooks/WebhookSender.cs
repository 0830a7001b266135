using Ledger.Api.Infrastructure;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using JasperFx.Events;
using Ledger.Domain.Webhooks;
using Ledger.Api.EventFeed;
using Ledger.Api.Infrastructure.Databases;
using Ledger.Api.Infrastructure.Telemetry;
using Marten;
using StandardWebhooks;

namespace Ledger.Api.Webhooks;

/// <summary>
/// Sends an account's events to a receiver: each as a CloudEvents 1.0 structured JSON message, signed per the
/// Standard Webhooks specification with every secret the subscription holds at that moment (a signature each,
/// space-separated, while a rotation overlaps), its <c>webhook-id</c> the event's own id so retries and replays
/// can be recognised. Every attempt goes to the subscription's delivery log.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, AccountCloudEvents cloudEvents, TimeProvider clock)
{
    public const string ClientName = "webhooks";
    public const string ContentType = "application/cloudevents+json";

    private static readonly WebhookConfigurationOptions Headers = WebhookConfigurationOptions.StandardWebhooks;

    /// <summary>
    /// Delivers the lane's events after <see cref="WebhookLane.Delivered"/> up to <see cref="WebhookLane.Pending"/>, in
    /// stream order, moving the lane on after each; stops at the first that fails. Returns every attempt (for the
    /// delivery log) and why it stopped (null: all delivered).
    /// </summary>
    public async Task<(List<WebhookDeliveryAttempt> Attempts, string? Failure)> CatchUpAsync(IQuerySession session, WebhookSubscription subscription,
        WebhookLane lane, CancellationToken ct)
    {
        var attempts = new List<WebhookDeliveryAttempt>();
        if (lane.Pending <= lane.Delivered)
            return (attempts, null);
        // The account's events are in the database of its bucket; the secrets, with the subscription, in the main one.
        await using var own = session.DocumentStore.IsSharded() ? session.DocumentStore.QueryFor(lane.AccountId) : null;
        var events = await (own ?? session).Events.FetchAsync(lane.AccountId, toVersion: lane.Pending, fromVersion: lane.Delivered + 1, ct: ct);
        // A corporate tree's stream (its alerts) is in the main database whatever bucket its id would name.
        if (events.Count == 0 && own is not null)
            events = await session.Events.FetchAsync(lane.AccountId, toVersion: lane.Pending, fromVersion: lane.Delivered + 1, ct: ct);
        IReadOnlyList<WebhookSecret>? secrets = null;
        foreach (var e in events)
        {
            if (e.Version <= lane.Delivered)
                continue;
            if (WebhookLane.Covers(subscription, e))
            {
                var now = clock.GetUtcNow();
                secrets ??= await session.LoadManyAsync<WebhookSecret>(ct, subscription.SigningSecrets(now).ToArray());
                var attempt = await SendAsync(subscription, secrets.Where(s => subscription.SigningSecrets(now).Contains(s.Id)).ToList(), e, now, ct);
                attempts.Add(attempt);
                if (!attempt.Delivered)
                    return (attempts, attempt.Error);
            }
            lane.Delivered = e.Version;
        }
        return (attempts, null);
    }

    /// <summary>The <c>webhook-signature</c> header: <c>v1,</c> and the base64 HMAC-SHA256 of <c>id.timestamp.body</c>, once per secret.</summary>
    public static string Signature(IEnumerable<string> secrets, string id, DateTimeOffset timestamp, string body) =>
        string.Join(' ', secrets.Select(secret => new StandardWebhook(secret).Sign(id, timestamp, body)));

    private async Task<WebhookDeliveryAttempt> SendAsync(WebhookSubscription subscription, IReadOnlyList<WebhookSecret> secrets, IEvent e, DateTimeOffset now,
        CancellationToken ct)
    {
        var body = cloudEvents.Structured(e);
        var id = e.Id.ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(ContentType) { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(Headers.IdHeaderKey, id);
        request.Headers.TryAddWithoutValidation(Headers.TimestampHeaderKey, now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(Headers.SignatureHeaderKey, Signature(secrets.Select(s => s.Value), id, now, Encoding.UTF8.GetString(body)));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("EventSourcedLedger-Webhooks", "1"));
        var attempt = new WebhookDeliveryAttempt
        {
            Id = Guid.CreateVersion7(), SubscriptionId = subscription.Id, EventId = e.Id, AccountId = e.StreamId, Version = e.Version,
            EventType = e.EventTypeName, AttemptedAt = now,
        };
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            attempt.StatusCode = (int)response.StatusCode;
            attempt.Delivered = response.IsSuccessStatusCode;
            if (!attempt.Delivered)
            {
                attempt.Error = $"The receiver answered {(int)response.StatusCode} {response.ReasonPhrase}.";
                LedgerMetrics.WebhookFailed("status");
            }
        }
        catch (HttpRequestException failed)
        {
            attempt.Error = $"No answer: {failed.Message}";
            LedgerMetrics.WebhookFailed("no-answer");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            attempt.Error = "No answer within the delivery timeout.";
            LedgerMetrics.WebhookFailed("timeout");
        }
        attempt.Milliseconds = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return attempt;
    }
}
