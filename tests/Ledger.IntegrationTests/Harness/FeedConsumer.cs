using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Ledger.IntegrationTests.Harness;

/// <summary>
/// A consumer of the ledger's event feed as an in-house system would run one, with the plain RabbitMQ client: its own
/// queue bound to the exchange, every message kept with its routing key, headers and body.
/// </summary>
public sealed class FeedConsumer : IAsyncDisposable
{
    public static string BrokerUri => Environment.GetEnvironmentVariable("LEDGER_TEST_RABBITMQ") ?? "amqp://guest:guest@localhost:5672/";

    public sealed record Message(string RoutingKey, string? ContentType, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public string Id => Headers["cloudEvents:id"];
        public Guid AccountId => Headers.TryGetValue("cloudEvents:accountid", out var id) ? Guid.Parse(id) : Guid.Empty;
        public long Version => long.Parse(Headers["cloudEvents:streamversion"], System.Globalization.CultureInfo.InvariantCulture);
        public JsonObject Data => JsonNode.Parse(Body)!.AsObject();
    }

    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentQueue<Message> _messages = new();

    private FeedConsumer(IConnection connection, IChannel channel) => (_connection, _channel) = (connection, channel);

    public IReadOnlyList<Message> Messages => _messages.ToList();

    /// <summary>Declares the exchange as the ledger does (so either may start first) and binds a queue of its own to it.</summary>
    public static async Task<FeedConsumer> StartAsync(string exchange, string binding = "ledger.account.#")
    {
        IConnection connection;
        try
        {
            connection = await new ConnectionFactory { Uri = new Uri(BrokerUri) }.CreateConnectionAsync();
        }
        catch (Exception unreachable)
        {
            throw new InvalidOperationException(
                $"RabbitMQ is not reachable at {BrokerUri} ({unreachable.Message}): `./ledger test` installs and starts it, or set LEDGER_TEST_RABBITMQ.", unreachable);
        }
        var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true, autoDelete: false);
        var queue = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
        await channel.QueueBindAsync(queue.QueueName, exchange, binding);
        var consumer = new FeedConsumer(connection, channel);
        var receiver = new AsyncEventingBasicConsumer(channel);
        receiver.ReceivedAsync += (_, delivery) =>
        {
            consumer._messages.Enqueue(new Message(delivery.RoutingKey, delivery.BasicProperties.ContentType, Headers(delivery.BasicProperties),
                Encoding.UTF8.GetString(delivery.Body.Span)));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, receiver);
        return consumer;
    }

    /// <summary>Publishes raw bytes to a queue as any system would (no Wolverine headers), persistent.</summary>
    public static async Task PublishAsync(string queue, string body)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(BrokerUri) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.BasicPublishAsync("", queue, mandatory: true, new BasicProperties { Persistent = true, ContentType = "application/json" },
            Encoding.UTF8.GetBytes(body));
    }

    /// <summary>Takes every message waiting in a queue (a dead-letter queue, say), waiting up to <paramref name="timeout"/> for at least <paramref name="count"/>.</summary>
    public static async Task<List<Message>> TakeAsync(string queue, int count, TimeSpan timeout)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(BrokerUri) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var taken = new List<Message>();
        var deadline = DateTime.UtcNow + timeout;
        while (taken.Count < count && DateTime.UtcNow < deadline)
        {
            BasicGetResult? got;
            try
            {
                got = await channel.BasicGetAsync(queue, autoAck: true);
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                return taken; // the queue does not exist (yet)
            }
            if (got is null)
            {
                await Task.Delay(100);
                continue;
            }
            taken.Add(new Message(got.RoutingKey, got.BasicProperties.ContentType, Headers(got.BasicProperties), Encoding.UTF8.GetString(got.Body.Span)));
        }
        return taken;
    }

    public async Task<IReadOnlyList<Message>> WaitFor(Func<Message, bool> which, int distinct, TimeSpan? timeout = null) =>
        await Poll.UntilCollected(() => Messages.Where(which).ToList(), found => found.Select(m => m.Id).Distinct().Count() >= distinct, timeout);

    /// <summary>AMQP header values arrive as bytes; as text they are what the sender wrote.</summary>
    private static Dictionary<string, string> Headers(IReadOnlyBasicProperties properties) =>
        (properties.Headers ?? new Dictionary<string, object?>())
        .ToDictionary(h => h.Key, h => h.Value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : h.Value?.ToString() ?? "");

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _channel.Dispose();
        _connection.Dispose();
    }
}
