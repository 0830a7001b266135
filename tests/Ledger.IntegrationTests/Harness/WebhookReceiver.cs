using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ledger.IntegrationTests.Harness;

/// <summary>
/// A real HTTP server on a free loopback port that takes webhooks as an in-house system would: it verifies every
/// request's Standard Webhooks signature with the secrets it knows (written here from the specification, not with the
/// ledger's code), and keeps what it was sent. How it answers is up to the test: accept, fail (503), hang until
/// released, or fail at random.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public enum Behaviour { Accept, Fail, Hang }

    public sealed record Request(string Path, string? Id, string? Timestamp, string? Signature, string? ContentType, string Body, bool Accepted)
    {
        public JsonObject Envelope => JsonNode.Parse(Body)!.AsObject();
        public Guid AccountId => Guid.TryParse(Envelope["accountid"]?.GetValue<string>(), out var id) ? id : Guid.Empty;
        public long Version => long.Parse(Envelope["streamversion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        public string Type => Envelope["type"]!.GetValue<string>();
    }

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Request> _requests = new();
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _hanging;

    private WebhookReceiver(WebApplication app) => _app = app;

    public Behaviour Answer { get; set; } = Behaviour.Accept;

    /// <summary>When above 0, that share of requests is answered 503 whatever <see cref="Answer"/> says.</summary>
    public double FailureRate { get; set; }

    public string BaseUrl { get; private set; } = "";

    /// <summary>How many requests are being held open right now (the sender is waiting for their answers).</summary>
    public int Hanging => Volatile.Read(ref _hanging);

    public string Url(string path = "hook") => $"{BaseUrl}/{path}";

    public IReadOnlyList<Request> Requests => _requests.ToList();

    /// <summary>What the receiver accepted (answered 2xx), in arrival order.</summary>
    public IReadOnlyList<Request> Accepted => _requests.Where(r => r.Accepted).ToList();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", (Delegate)receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = app.Urls.First().TrimEnd('/');
        return receiver;
    }

    /// <summary>Lets every hanging request (and every later one) go on to be accepted.</summary>
    public void Release()
    {
        Answer = Behaviour.Accept;
        _release.TrySetResult();
    }

    public void HangAgain() => (_release, Answer) = (new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), Behaviour.Hang);

    private async Task<IResult> HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        var answer = Answer;
        if (answer == Behaviour.Hang)
        {
            Interlocked.Increment(ref _hanging);
            try
            {
                await _release.Task.WaitAsync(http.RequestAborted);
            }
            finally
            {
                Interlocked.Decrement(ref _hanging);
            }
            answer = Behaviour.Accept;
        }
        var accept = answer == Behaviour.Accept && !(FailureRate > 0 && Random.Shared.NextDouble() < FailureRate);
        _requests.Enqueue(new Request(http.Request.Path.Value!.TrimStart('/'), http.Request.Headers["webhook-id"], http.Request.Headers["webhook-timestamp"],
            http.Request.Headers["webhook-signature"], http.Request.ContentType, body, accept));
        return accept ? Results.NoContent() : Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
    }

    public async Task<IReadOnlyList<Request>> WaitForAccepted(Func<Request, bool> which, int count, TimeSpan? timeout = null) =>
        await Poll.UntilCollected(() => Accepted.Where(which).ToList(), found => found.Count >= count, timeout);

    /// <summary>
    /// The Standard Webhooks check a receiver makes: for each space-separated <c>v1,</c> signature, whether it is the
    /// base64 HMAC-SHA256, keyed with the secret's base64-decoded bytes, of <c>id.timestamp.body</c>.
    /// </summary>
    public static bool SignedWith(Request request, string secret)
    {
        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret["whsec_".Length..] : secret);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{request.Id}.{request.Timestamp}.{request.Body}")));
        return (request.Signature ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(s => s.StartsWith("v1,", StringComparison.Ordinal) &&
                      CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s[3..]), Encoding.ASCII.GetBytes(expected)));
    }

    public async ValueTask DisposeAsync()
    {
        _release.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
