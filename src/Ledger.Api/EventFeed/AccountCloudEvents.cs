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

    /// <summary>The extension naming the corporate tree of a corporate event (its stream).</summary>
    public static readonly CloudEventAttribute TreeId = CloudEventAttribute.CreateExtension("treeid", CloudEventAttributeType.String);

    /// <summary>The CloudEvents <c>type</c> of a corporate tree's alert (<c>ledger.corporate.corporate_budget_alerted</c>).</summary>
    public static string CorporateTypeOf(string eventTypeName) => $"ledger.corporate.{eventTypeName}";

    public static bool IsCorporate(object data) => Array.IndexOf(Domain.Corporate.CorporateAlerts.Outward, data.GetType()) >= 0;

    /// <summary>
    /// An account's event; or a corporate tree's alert (<see cref="Domain.Corporate.CorporateAlerts.Outward"/>): type
    /// <c>ledger.corporate.{type}</c>, source the tree, the extension <c>treeid</c> (and <c>accountid</c> for a member's flagged charge).
    /// </summary>
    public CloudEvent For(IEvent e)
    {
        var corporate = IsCorporate(e.Data);
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0, corporate ? [TreeId, AccountId, StreamVersion] : [AccountId, StreamVersion])
        {
            Id = e.Id.ToString(),
            Source = new Uri(corporate ? $"/api/corporate-trees/{e.StreamId}" : $"/api/accounts/{e.StreamId}", UriKind.Relative),
            Type = corporate ? CorporateTypeOf(e.EventTypeName) : TypeOf(e.EventTypeName),
            Time = e.Timestamp,
            DataContentType = "application/json",
            Data = JsonSerializer.SerializeToElement(e.Data, e.EventType, _data),
            [StreamVersion] = e.Version.ToString(CultureInfo.InvariantCulture),
        };
        if (corporate)
        {
            cloudEvent[TreeId] = e.StreamId.ToString();
            if (e.Data is Domain.Corporate.CorporateChargeFlagged flagged)
                cloudEvent[AccountId] = flagged.AccountId.ToString();
        }
        else
            cloudEvent[AccountId] = e.StreamId.ToString();
        return cloudEvent;
    }

    /// <summary>The structured JSON message (<c>application/cloudevents+json</c>): every attribute and the data in one document.</summary>
    public byte[] Structured(IEvent e) => _formatter.EncodeStructuredModeMessage(For(e), out _).ToArray();

    /// <summary>The data alone, for binary mode (the attributes travel as headers).</summary>
    public byte[] Data(IEvent e) => JsonSerializer.SerializeToUtf8Bytes(e.Data, e.EventType, _data);
}
