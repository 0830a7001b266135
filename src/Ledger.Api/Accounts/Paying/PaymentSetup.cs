using Ledger.Api.Access;
using Ledger.Api.Accounts.Paying.Stripe;
using Marten;

namespace Ledger.Api.Accounts.Paying;

public static class PaymentSetup
{
    public static IServiceCollection AddPayments(this IServiceCollection services)
    {
        services.AddOptions<PaymentOptions>().BindConfiguration(PaymentOptions.Section);
        services.AddHttpClient(CardCheckout.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<CardCheckout>();
        services.AddScoped<PaymentStarts>();
        services.ConfigureMarten(o => o.Schema.For<ProcessorEventForReview>().Index(e => e.ReceivedAt));
        return services;
    }

    public static WebApplication MapPayments(this WebApplication app)
    {
        StripeWebhookEndpoint.Map(app);
        app.MapGet("/api/payment-webhooks/review", async (IQuerySession query, CancellationToken ct) =>
                (await query.Query<ProcessorEventForReview>().OrderByDescending(e => e.ReceivedAt).Take(200).ToListAsync(ct))
                .Select(e => new ProcessorEventSummary(e.Id, e.Type, e.Reason, e.ReceivedAt)))
            .RequireAuthorization(AccessPolicies.Audit)
            .WithTags("Payments")
            .WithName("ListProcessorEventsForReview")
            .Produces<List<ProcessorEventSummary>>()
            .WithSummary("Processor events the ledger kept without applying (an unknown payment, a differing amount), newest first.");
        return app;
    }
}

/// <summary>A processor event set aside for review, without its payload (which the audit log keeps).</summary>
public sealed record ProcessorEventSummary(string Id, string Type, string Reason, DateTimeOffset ReceivedAt);
