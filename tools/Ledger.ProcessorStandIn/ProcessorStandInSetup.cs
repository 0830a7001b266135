using Ledger.ProcessorStandIn.CheckoutSessions;
using Ledger.ProcessorStandIn.Control;
using Ledger.ProcessorStandIn.Paying;
using Ledger.ProcessorStandIn.PaymentIntents;
using Ledger.ProcessorStandIn.Refunds;
using Ledger.ProcessorStandIn.State;
using Ledger.ProcessorStandIn.Webhooks;
using Ledger.ProcessorStandIn.Wire;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Ledger.ProcessorStandIn;

/// <summary>Hosts the stand-in in any ASP.NET Core app: its own process (Program) or a test's in-process host.</summary>
public static class ProcessorStandInSetup
{
    /// <summary>
    /// Registers the stand-in, bound from the <c>ProcessorStandIn</c> configuration section and then
    /// <paramref name="configure"/>. Returns the builder of the HttpClient webhooks are sent with: a test delivers
    /// into an in-process host with <c>.ConfigurePrimaryHttpMessageHandler(() =&gt; factory.Server.CreateHandler())</c>.
    /// </summary>
    public static IHttpClientBuilder AddProcessorStandIn(this IServiceCollection services, Action<ProcessorStandInOptions>? configure = null)
    {
        var options = services.AddOptions<ProcessorStandInOptions>().BindConfiguration(ProcessorStandInOptions.Section);
        if (configure is not null)
            options.Configure(configure);
        options
            .Validate(o => o.Webhooks.All(w => Uri.TryCreate(w.Url, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"),
                "Every ProcessorStandIn:Webhooks entry needs an absolute http(s) Url.")
            .Validate(o => o.MaxDeliveryAttempts >= 1, "ProcessorStandIn:MaxDeliveryAttempts must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<ProcessorStandInOptions>, SigningSecrets>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ProcessorState>();
        services.AddSingleton<WebhookQueue>();
        services.AddSingleton<WebhookDeliveryLog>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<IdempotencyMemory>();
        services.AddHostedService<WebhookDeliveryWorker>();
        return services.AddHttpClient(WebhookSender.HttpClientName, (provider, client) =>
            client.Timeout = provider.GetRequiredService<IOptions<ProcessorStandInOptions>>().Value.WebhookTimeout);
    }

    /// <summary>
    /// Maps Stripe's <c>/v1/…</c> API, the hosted page <c>/pay/{id}</c> and the <c>/_standin/…</c> controls. Map it on a
    /// group (<c>app.MapGroup("/stripe").MapProcessorStandIn()</c>) to share a host; the API base is then that prefix.
    /// </summary>
    public static IEndpointRouteBuilder MapProcessorStandIn(this IEndpointRouteBuilder routes)
    {
        var v1 = routes.MapGroup("/v1").AddEndpointFilter<SecretKeyAuthentication>().ExcludeFromDescription();
        CreateSessionEndpoint.Map(v1);
        GetSessionEndpoint.Map(v1);
        ExpireSessionEndpoint.Map(v1);
        GetPaymentIntentEndpoint.Map(v1);
        GetChargeEndpoint.Map(v1);
        CreateRefundEndpoint.Map(v1);
        // Anything else Stripe has is answered as Stripe answers an unknown URL, naming what the stand-in lacks.
        v1.Map("/{**rest}", (HttpContext http) => StripeErrors.Error(StatusCodes.Status404NotFound, StripeErrors.InvalidRequest,
            $"Unrecognized request URL ({http.Request.Method}: {http.Request.Path}). The processor stand-in does not implement it."));

        ShowPaymentPageEndpoint.Map(routes);
        SubmitPaymentPageEndpoint.Map(routes);
        StandInControl.Map(routes);
        return routes;
    }
}
