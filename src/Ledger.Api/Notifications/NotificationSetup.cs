using Ledger.Api.Notifications.DeadLetters;
using Ledger.Api.Notifications.Delivering;
using Ledger.Api.Notifications.Email;
using Ledger.Api.Notifications.Letters;
using Marten;
using Wolverine;
using Wolverine.ErrorHandling;

namespace Ledger.Api.Notifications;

public static class NotificationSetup
{
    public const string Queue = "notifications";

    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section);
        services.AddSingleton<INoticeTemplate, NoticeTemplateV1>();
        services.AddSingleton<NoticeTemplates>();
        services.AddSingleton<NoticeMailer>();
        services.AddSingleton<LetterRenderer>();
        services.ConfigureMarten(o =>
        {
            o.Schema.For<NoticeDelivery>().Index(d => d.AccountId);
            o.Schema.For<Letter>().Index(l => l.BatchDay);
        });

        var options = builder.Configuration.GetSection(NotificationOptions.Section).Get<NotificationOptions>() ?? new NotificationOptions();
        services.ConfigureWolverine(wolverine =>
        {
            // One delivery at a time per node: the delivery record and the account's notification stream are written
            // by one handler at a time, so a version conflict can never make a sent notice go out again.
            wolverine.LocalQueue(Queue).Sequential();
            wolverine.PublishMessage<DeliverNotice>().ToLocalQueue(Queue);
            // Short in-memory cooldowns for a blip, then durable scheduled retries for an outage, then the dead letters.
            var (cooldowns, scheduled) = (NotificationOptions.Delays(options.RetryCooldowns), NotificationOptions.Delays(options.ScheduledRetries));
            var policy = wolverine.OnException<NoticeDeliveryException>();
            if (cooldowns.Length > 0 && scheduled.Length > 0)
                policy.RetryWithCooldown(cooldowns).Then.ScheduleRetry(scheduled).Then.MoveToErrorQueue();
            else if (cooldowns.Length > 0)
                policy.RetryWithCooldown(cooldowns).Then.MoveToErrorQueue();
            else if (scheduled.Length > 0)
                policy.ScheduleRetry(scheduled).Then.MoveToErrorQueue();
            else
                policy.MoveToErrorQueue();
        });
        return builder;
    }

    public static WebApplication MapNotifications(this WebApplication app)
    {
        DeadLetterEndpoints.Map(app);
        LetterBatchEndpoint.Map(app);
        return app;
    }
}
