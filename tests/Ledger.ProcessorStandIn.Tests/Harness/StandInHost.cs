using System.Net;
using Ledger.ProcessorStandIn.State;
using Ledger.ProcessorStandIn.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stripe;
using Stripe.Checkout;

namespace Ledger.ProcessorStandIn.Tests.Harness;

/// <summary>
/// The stand-in on Kestrel at a free loopback port, spoken to by the real Stripe.net client through <c>ApiBase</c>,
/// its webhooks delivered into an in-process <see cref="WebhookReceiver"/> through the pluggable HttpClient.
/// </summary>
public sealed class StandInHost : IAsyncDisposable
{
    public const string ApiKey = "sk_test_ledger_standin_tests";
    public const string WebhookSecret = "whsec_ledger_standin_tests_0123456789";
    public const string WebhookUrl = "http://ledger.test" + WebhookReceiver.Path;
    public const string SuccessUrl = "https://ledger.test/payments/done?session={CHECKOUT_SESSION_ID}";
    public const int MaxDeliveryAttempts = 3;

    private readonly WebApplication _app;

    private StandInHost(WebApplication app, WebhookReceiver receiver, CapturedLogs logs, string baseUrl)
    {
        _app = app;
        Receiver = receiver;
        Logs = logs;
        BaseUrl = baseUrl;
        // No proxy and no redirects: the tests see the stand-in's own answers (a 303 is a result, not a hop).
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        Client = new StripeClient(new StripeClientOptions
        {
            ApiKey = ApiKey,
            ApiBase = baseUrl,
            HttpClient = new SystemNetHttpClient(new HttpClient(new SocketsHttpHandler { UseProxy = false })),
        });
    }

    public WebhookReceiver Receiver { get; }
    public CapturedLogs Logs { get; }
    public string BaseUrl { get; }
    public HttpClient Http { get; }
    public StripeClient Client { get; }
    public IServiceProvider Services => _app.Services;
    public ProcessorState State => Services.GetRequiredService<ProcessorState>();
    public WebhookDeliveryLog Deliveries => Services.GetRequiredService<WebhookDeliveryLog>();

    /// <summary>Starts a stand-in; <paramref name="configure"/> runs after the test defaults, to change them.</summary>
    public static async Task<StandInHost> StartAsync(Action<ProcessorStandInOptions>? configure = null)
    {
        var receiver = new WebhookReceiver();
        await receiver.StartAsync();
        var logs = new CapturedLogs();

        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
        builder.Services.AddProcessorStandIn(options =>
            {
                options.Webhooks.Add(new WebhookEndpointOptions { Url = WebhookUrl, Secret = WebhookSecret });
                options.FirstRetryDelay = TimeSpan.FromMilliseconds(50);
                options.MaxDeliveryAttempts = MaxDeliveryAttempts;
                configure?.Invoke(options);
            })
            .ConfigurePrimaryHttpMessageHandler(() => receiver.Server.CreateHandler());
        var app = builder.Build();
        app.MapProcessorStandIn();
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new StandInHost(app, receiver, logs, address);
    }

    public Task<Session> CreateSessionAsync(string ledgerPaymentId, long amount = 4250, RequestOptions? requestOptions = null) =>
        new SessionService(Client).CreateAsync(new SessionCreateOptions
        {
            Mode = "payment",
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = "eur",
                        UnitAmount = amount,
                        ProductData = new SessionLineItemPriceDataProductDataOptions { Name = "Statement of November 2026" },
                    },
                },
            ],
            SuccessUrl = SuccessUrl,
            CancelUrl = "https://ledger.test/payments/cancelled",
            ClientReferenceId = "account-42",
            Metadata = new Dictionary<string, string> { ["ledger_payment_id"] = ledgerPaymentId },
            PaymentIntentData = new SessionPaymentIntentDataOptions
            {
                Metadata = new Dictionary<string, string> { ["ledger_payment_id"] = ledgerPaymentId },
            },
        }, requestOptions);

    /// <summary>Types a card into the session's hosted page and submits it, as a customer's browser would.</summary>
    public Task<HttpResponseMessage> PayAsync(Session session, string cardNumber, string expiry = "12 / 34", string cvc = "123") =>
        Http.PostAsync(session.Url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["card_number"] = cardNumber,
            ["card_expiry"] = expiry,
            ["card_cvc"] = cvc,
        }));

    /// <summary>The first accepted delivery of an event of this type, verified by Stripe.net's own signature check.</summary>
    public Task<Event> DeliveredAsync(string type, Func<Event, bool>? match = null) =>
        Eventually.Find(() => Receiver.Accepted
            .Select(w => EventUtility.ConstructEvent(w.Payload, w.Signature, WebhookSecret))
            .FirstOrDefault(e => e.Type == type && (match?.Invoke(e) ?? true)), $"a delivered {type} event");

    public async Task<string> ControlAsync(HttpMethod method, string path)
    {
        using var response = await Http.SendAsync(new HttpRequestMessage(method, path));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().BeOneOf([HttpStatusCode.OK, HttpStatusCode.Accepted], body);
        return body;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
