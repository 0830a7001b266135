using System.Net;
using System.Text.Json.Nodes;
using Ledger.ProcessorStandIn;
using Ledger.ProcessorStandIn.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ledger.IntegrationTests.Harness;

/// <summary>
/// The processor stand-in on Kestrel at a free loopback port: the ledger's real Stripe.net client talks to it, and it
/// delivers its signed webhooks into the ledger under test through <paramref name="ledger"/>'s in-memory handler.
/// </summary>
public sealed class StandIn : IAsyncDisposable
{
    public const string ApiKey = "sk_test_ledger_integration_tests";
    public const string WebhookSecret = "whsec_ledger_integration_tests_0123456789";

    private readonly WebApplication _app;

    private StandIn(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
    }

    public string BaseUrl { get; }

    /// <summary>A browser on the hosted page (no redirects followed: the tests look at where it is sent).</summary>
    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a stand-in whose webhooks go to the ledger's <c>/api/payment-webhooks/stripe</c> through <paramref name="ledger"/>.</summary>
    public static async Task<StandIn> StartAsync(Func<HttpMessageHandler> ledger, Action<ProcessorStandInOptions>? configure = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddProcessorStandIn(options =>
            {
                options.Webhooks.Add(new WebhookEndpointOptions { Url = "http://localhost/api/payment-webhooks/stripe", Secret = WebhookSecret });
                options.FirstRetryDelay = TimeSpan.FromMilliseconds(200);
                options.MaxDeliveryAttempts = 4;
                configure?.Invoke(options);
            })
            .ConfigurePrimaryHttpMessageHandler(ledger);
        var app = builder.Build();
        app.MapProcessorStandIn();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new StandIn(app, address);
    }

    /// <summary>The ledger's settings that point its Stripe client at this stand-in.</summary>
    public IEnumerable<(string Key, string Value)> Settings =>
    [
        ("Payments:Stripe:ApiKey", ApiKey),
        ("Payments:Stripe:ApiBase", BaseUrl),
        ("Payments:Stripe:WebhookSecret", WebhookSecret),
    ];

    /// <summary>Types a card on a payment's hosted page and submits it, as the customer's browser would.</summary>
    public async Task<HttpResponseMessage> PayAsync(string pageUrl, string cardNumber = "4242 4242 4242 4242") =>
        await Http.PostAsync(pageUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["card_number"] = cardNumber,
            ["card_expiry"] = "12 / 34",
            ["card_cvc"] = "123",
        }));

    /// <summary>How many Checkout Sessions (hosted pages) the processor has opened so far.</summary>
    public int SessionCount =>
        Services.GetRequiredService<Ledger.ProcessorStandIn.State.ProcessorState>().Read(records => records.Sessions.Count);

    /// <summary>Every webhook delivery attempt so far (event id, type, status).</summary>
    public async Task<JsonArray> DeliveriesAsync(string? eventId = null)
    {
        var body = await Http.GetStringAsync(eventId is null ? "/_standin/deliveries" : $"/_standin/deliveries?eventId={eventId}");
        var node = JsonNode.Parse(body)!;
        return node as JsonArray ?? node["data"]!.AsArray();
    }

    /// <summary>Every event the stand-in has sent, of one type if given.</summary>
    public async Task<JsonArray> EventsAsync(string? type = null)
    {
        var body = await Http.GetStringAsync(type is null ? "/_standin/events" : $"/_standin/events?type={type}");
        var node = JsonNode.Parse(body)!;
        return node as JsonArray ?? node["data"]!.AsArray();
    }

    public async Task ControlAsync(string path)
    {
        using var response = await Http.PostAsync(path, null);
        response.StatusCode.Should().BeOneOf([HttpStatusCode.OK, HttpStatusCode.Accepted], await response.Content.ReadAsStringAsync());
    }

    /// <summary>Delivers webhooks to a ledger listening on a real port, known only once it has started.</summary>
    public sealed class ToLedgerAt(Func<Uri> baseAddress) : DelegatingHandler(new SocketsHttpHandler { UseProxy = false })
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            request.RequestUri = new Uri(baseAddress(), request.RequestUri!.PathAndQuery);
            return base.SendAsync(request, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
