using System.Globalization;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using JasperFx.Events;
using Microsoft.Extensions.Options;

namespace Ledger.Api.EventFeed;

/// <summary>
/// An account event as the world outside the ledger sees it, on every channel (webhooks, the message feed): a
/// CloudEvents 1.0 event whose id is the event's own, type <c>ledger.account.{type}</c>, source the account's URL,
/// the extensions <c>accountid</c> and <c>streamversion</c>, and the event's data as the API writes JSON.
/// </summary>
public sealed class AccountCloudEvents(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    public static readonly CloudEventAttribute AccountId = CloudEventAttribute.CreateExtension("accountid", CloudEventAttributeType.String);
    public static readonly CloudEventAttribute StreamVersion = CloudEventAttribute.CreateExtension("streamversion", CloudEventAttributeType.String);

    private readonly JsonEventFormatter _formatter = new(json.Value.SerializerOptions, new JsonDocumentOptions());
    private readonly JsonSerializerOptions _data = json.Value.SerializerOptions;

    /// <summary>The CloudEvents <c>type</c> of an account event type name (<c>charge_posted</c>).</summary>
    public static string TypeOf(string eventTypeName) => $"ledger.account.{eventTypeName}";

    public CloudEvent For(IEvent e) => new(CloudEventsSpecVersion.V1_0, [AccountId, StreamVersion])
    {
        Id = e.Id.ToString(),
        Source = new Uri($"/api/accounts/{e.StreamId}", UriKind.Relative),
        Type = TypeOf(e.EventTypeName),
        Time = e.Timestamp,
        DataContentType = "application/json",
        Data = JsonSerializer.SerializeToElement(e.Data, e.EventType, _data),
        [AccountId] = e.StreamId.ToString(),
        [StreamVersion] = e.Version.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The structured JSON message (<c>application/cloudevents+json</c>): every attribute and the data in one document.</summary>
    public byte[] Structured(IEvent e) => _formatter.EncodeStructuredModeMessage(For(e), out _).ToArray();

    /// <summary>The data alone, for binary mode (the attributes travel as headers).</summary>
    public byte[] Data(IEvent e) => JsonSerializer.SerializeToUtf8Bytes(e.Data, e.EventType, _data);
}
