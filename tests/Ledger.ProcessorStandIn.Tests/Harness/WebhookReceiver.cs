using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace Ledger.ProcessorStandIn.Tests.Harness;

/// <summary>
/// An in-process app standing where the ledger's webhook endpoint will be, on a TestServer: the same kind of host a
/// WebApplicationFactory gives, so the stand-in reaches it the way it will reach the ledger (through
/// <c>Server.CreateHandler()</c>). It keeps what arrived, and can be told to answer 500.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const string Path = "/webhooks/stripe";

    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private WebApplication? _app;
    private int _failuresLeft;
    private volatile bool _failAll;

    public TestServer Server => _app?.GetTestServer() ?? throw new InvalidOperationException("The receiver has not started.");

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public IReadOnlyList<ReceivedWebhook> Accepted => [.. _received.Where(r => r.AnsweredWith == StatusCodes.Status200OK)];

    /// <summary>Answers the next <paramref name="count"/> deliveries with 500.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failuresLeft, count);

    /// <summary>Answers every delivery with 500 from now on, like an endpoint that is down for good.</summary>
    public void FailAll() => _failAll = true;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        _app = builder.Build();
        _app.MapPost(Path, async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var payload = await reader.ReadToEndAsync();
            var status = _failAll || TakeFailure() ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
            _received.Enqueue(new ReceivedWebhook(payload, request.Headers["Stripe-Signature"].ToString(), status));
            return Results.StatusCode(status);
        });
        await _app.StartAsync();
    }

    private bool TakeFailure()
    {
        while (true)
        {
            var left = Volatile.Read(ref _failuresLeft);
            if (left <= 0)
                return false;
            if (Interlocked.CompareExchange(ref _failuresLeft, left - 1, left) == left)
                return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }
}
