using Marten;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Wolverine;
using Wolverine.Marten;
using Wolverine.ErrorHandling;
using Wolverine.RabbitMQ;

namespace Ledger.Api.EventFeed;

public static class EventFeedSetup
{
    /// <summary>
    /// The RabbitMQ feed, when <c>Messaging:RabbitMq:Uri</c> is set: a durable topic exchange, publisher confirms, the
    /// durable outbox, and the subscription that fills it. One-off commands (seed, import, verify) publish nothing:
    /// the serving process's daemon publishes what they write.
    /// </summary>
    public static WebApplicationBuilder AddEventFeed(this WebApplicationBuilder builder, bool oneOffCommand)
    {
        builder.Services.TryAddSingleton<AccountCloudEvents>();
        builder.Services.TryAddSingleton<HostStarted>();
        var options = builder.Configuration.GetSection(EventFeedOptions.Section).Get<EventFeedOptions>() ?? new EventFeedOptions();
        if (string.IsNullOrWhiteSpace(options.Uri) || oneOffCommand)
            return builder;
        builder.Services.SubscribeToEventsWithServices<EventFeedSubscription>(ServiceLifetime.Singleton);
        builder.Services.AddOptions<Intake.IntakeOptions>().BindConfiguration(Intake.IntakeOptions.Section);
        var intake = builder.Configuration.GetSection(Intake.IntakeOptions.Section).Get<Intake.IntakeOptions>() ?? new Intake.IntakeOptions();
        builder.Services.ConfigureWolverine(wolverine =>
        {
            wolverine.UseRabbitMq(new Uri(options.Uri))
                .AutoProvision()
                .DeclareExchange(options.Exchange, exchange =>
                {
                    exchange.ExchangeType = ExchangeType.Topic;
                    exchange.IsDurable = true;
                })
                // The broker acknowledges each message before the outbox lets it go: a message it did not take is sent again.
                .ConfigureChannelCreation(channel => (channel.PublisherConfirmationsEnabled, channel.PublisherConfirmationTrackingEnabled) = (true, true));
            wolverine.PublishMessagesToRabbitMqExchange<FeedEvent>(options.Exchange, e => e.RoutingKey)
                .DefaultSerializer(new FeedEventSerializer())
                .UseDurableOutbox();

            // Command intake on the same broker: charges pushed by the rating engine, payments by the bank feed. The durable inbox takes a message
            // off the queue only once it is stored; a refused one goes to <queue>.dead-letters with its ProblemDetails.
            void Listen<T>(string queue, Func<byte[], string?, Intake.IQueuedCommand> wrap) => wolverine.ListenToRabbitQueue(queue)
                .DefaultIncomingMessage<T>()
                .DefaultSerializer(new Intake.RawCommandSerializer(wrap))
                .UseDurableInbox()
                .DeadLetterQueueing(new DeadLetterQueue($"{queue}.dead-letters"));
            Listen<Intake.QueuedCharge>(intake.ChargesQueue, (body, correlation) => new Intake.QueuedCharge(body, correlation));
            Listen<Intake.QueuedPayment>(intake.PaymentsQueue, (body, correlation) => new Intake.QueuedPayment(body, correlation));
            wolverine.OnException<Intake.QueuedCommandRefused>().MoveToErrorQueue();
        });
        return builder;
    }
}
