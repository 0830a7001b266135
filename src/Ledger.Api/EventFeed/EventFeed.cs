using System.Globalization;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Wolverine;
using Wolverine.Marten.Subscriptions;
using Wolverine.Runtime.Serialization;

namespace Ledger.Api.EventFeed;

/// <summary>Section <c>Messaging:RabbitMq</c>: where the event feed goes. Without <see cref="Uri"/> there is no feed.</summary>
public sealed class EventFeedOptions
{
    public const string Section = "Messaging:RabbitMq";

    /// <summary>The broker, e.g. <c>amqp://ledger:secret@rabbitmq:5672/</c>.</summary>
    public string? Uri { get; set; }

    /// <summary>The topic exchange every account event is published to, routed by its CloudEvents type.</summary>
    public string Exchange { get; set; } = "ledger.events";
}

/// <summary>One account event on its way to the exchange: its routing key, its CloudEvents attributes and its data.</summary>
public sealed record FeedEvent(string RoutingKey, Dictionary<string, string> Attributes, byte[] Data);

/// <summary>
/// Publishes every committed account event, from Marten's async daemon: the messages go to Wolverine's durable outbox
/// in the same transaction as this subscription's progress, and from there to the exchange with publisher confirms.
/// So nothing reaches the exchange that was not committed (the subscription reads only committed events), and nothing
/// committed is lost (an event is either in the outbox or not yet read; a crash resends what was not confirmed).
/// </summary>
public sealed class EventFeedSubscription : BatchSubscription
{
    public const string Name = "rabbitmq-feed";

    private readonly AccountCloudEvents _cloudEvents;
    private readonly HostStarted _started;

    public EventFeedSubscription(AccountCloudEvents cloudEvents, HostStarted started) : base(Name)
    {
        (_cloudEvents, _started) = (cloudEvents, started);
        foreach (var type in Domain.Accounts.AccountEventTypes.All.Concat(Domain.Corporate.CorporateAlerts.Outward))
            IncludeType(type);
        // An account archived before this subscription reached its last events still has them delivered (archive-closed).
        IncludeArchivedEvents = true;
        // From the first event: a feed switched on for an existing ledger carries its whole history first. (Not
        // SubscribeFromPresent: that jumps to the present at every start, and skipped the backlog a crash left behind —
        // EventFeedCrashTests.)
    }

    public override async Task ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, IMessageBus bus,
        CancellationToken cancellationToken)
    {
        await _started.WaitAsync(cancellationToken);
        foreach (var e in page.Events)
        {
            // An event copied here with its account's bucket (move-bucket) was published from the database it came from.
            if (e.Headers?.ContainsKey(Infrastructure.Databases.BucketMoves.MovedFromHeader) == true)
                continue;
            var feedEvent = For(e);
            // The attributes go with the envelope (stored with it in the outbox), so a resend after a crash carries them too.
            var delivery = new DeliveryOptions();
            foreach (var (name, value) in feedEvent.Attributes)
                delivery.Headers[name] = value;
            await bus.PublishAsync(feedEvent, delivery);
        }
    }

    /// <summary>
    /// Binary content mode of the CloudEvents AMQP binding: the data is the body (<c>application/json</c>), every
    /// attribute a <c>cloudEvents:</c> header; the routing key is the CloudEvents type, so a queue binds
    /// <c>ledger.account.#</c> for everything or one key per type it wants (<c>ledger.account.payment_received</c>);
    /// corporate trees' alerts are <c>ledger.corporate.#</c>.
    /// </summary>
    public FeedEvent For(IEvent e)
    {
        var cloudEvent = _cloudEvents.For(e);
        var attributes = new Dictionary<string, string>
        {
            ["cloudEvents:specversion"] = cloudEvent.SpecVersion.VersionId,
            ["cloudEvents:id"] = cloudEvent.Id!,
            ["cloudEvents:source"] = cloudEvent.Source!.ToString(),
            ["cloudEvents:type"] = cloudEvent.Type!,
            ["cloudEvents:time"] = cloudEvent.Time!.Value.ToString("O", CultureInfo.InvariantCulture),
            ["cloudEvents:datacontenttype"] = "application/json",
            ["cloudEvents:streamversion"] = (string)cloudEvent[AccountCloudEvents.StreamVersion]!,
        };
        if (cloudEvent[AccountCloudEvents.AccountId] is string accountId)
            attributes["cloudEvents:accountid"] = accountId;
        if (cloudEvent[AccountCloudEvents.TreeId] is string treeId)
            attributes["cloudEvents:treeid"] = treeId;
        return new FeedEvent(cloudEvent.Type!, attributes, _cloudEvents.Data(e));
    }
}

/// <summary>Writes a <see cref="FeedEvent"/> as its data alone (its attributes travel as headers, see <see cref="EventFeedSubscription.For"/>).</summary>
public sealed class FeedEventSerializer : IMessageSerializer
{
    public string ContentType => "application/json";

    public byte[] Write(Envelope envelope) => ((FeedEvent)envelope.Message!).Data;

    public byte[] WriteMessage(object message) => ((FeedEvent)message).Data;

    // The feed is published, never consumed by the ledger itself.
    public object ReadFromData(Type messageType, Envelope envelope) => throw new NotSupportedException("The ledger does not read its own event feed.");

    public object ReadFromData(byte[] data) => throw new NotSupportedException("The ledger does not read its own event feed.");
}
