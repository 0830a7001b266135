using System.Security.Cryptography;
using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.GettingDetails;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain;
using Ledger.Domain.Webhooks;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace Ledger.Api.Webhooks;

/// <summary>Where a subscription sends and what: the part of a request that creating and changing one share.</summary>
public interface IWebhookTargetRequest
{
    string? Url { get; }
    List<string>? EventTypes { get; }
    string? Description { get; }
}

public sealed record CreateWebhookSubscriptionRequest(string? Url, List<string>? EventTypes, string? Description, string? Secret) : IWebhookTargetRequest;

public sealed record ChangeWebhookSubscriptionRequest(string? Url, List<string>? EventTypes, string? Description, bool? Active, string? Reason)
    : IWebhookTargetRequest;

public sealed record RotateWebhookSecretRequest(string? Secret, int? OverlapMinutes);

public enum WebhookDeliveryStatus { Delivering, Failing, Paused }

public sealed record WebhookDeliveryState(WebhookDeliveryStatus Status, DateTimeOffset? FailingSince, int Failures, string? LastError,
    DateTimeOffset? LastFailureAt, DateTimeOffset? RecoveredAt, int HeldAccounts);

public sealed record WebhookSecretsView(Guid CurrentSecretId, Guid? PreviousSecretId, DateTimeOffset? PreviousValidUntil);

public sealed record WebhookSubscriptionView(Guid Id, string Url, IReadOnlyList<string> EventTypes, string? Description, bool Active,
    DateTimeOffset SubscribedAt, long Version, WebhookSecretsView Secrets, WebhookDeliveryState Delivery);

/// <summary>The answer to a new subscription: the secret is shown this once (it is never readable again; rotate to get a new one).</summary>
public sealed record SubscribedWebhook(WebhookSubscriptionView Subscription, string Secret);

public sealed record WebhookSecretAnswer(Guid SubscriptionId, Guid SecretId, string Secret, Guid PreviousSecretId, DateTimeOffset PreviousValidUntil);

public sealed record WebhookEventTypeView(string Name, string CloudEventType);

public sealed record WebhookDeliveryView(Guid Id, Guid EventId, string WebhookId, Guid AccountId, long Version, string EventType, DateTimeOffset AttemptedAt,
    bool Delivered, int? StatusCode, string? Error, long Milliseconds);

public sealed record WebhookRetryAnswer(Guid SubscriptionId, string Status);

public static class WebhookSecrets
{
    /// <summary>A Standard Webhooks secret: <c>whsec_</c> and 32 random bytes in base64.</summary>
    public static string New() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static bool IsWellFormed(string? secret)
    {
        if (secret is null || !secret.StartsWith("whsec_", StringComparison.Ordinal))
            return false;
        var bytes = new byte[128];
        return Convert.TryFromBase64String(secret["whsec_".Length..], bytes, out var length) && length is >= 24 and <= 64;
    }
}

/// <summary>The shape of a target (the rules on where it may point and which types exist come after, as 422s).</summary>
public sealed class WebhookTargetValidator : AbstractValidator<IWebhookTargetRequest>
{
    public WebhookTargetValidator()
    {
        RuleFor(r => r.Url).NotEmpty().MaximumLength(2000);
        RuleFor(r => r.EventTypes).Cascade(CascadeMode.Stop).NotEmpty().Must(t => t!.Count <= 64).WithMessage("At most 64 event types.")
            .Must(t => t!.Distinct().Count() == t!.Count).WithMessage("Each event type once.");
        RuleForEach(r => r.EventTypes).NotEmpty().MaximumLength(100);
        RuleFor(r => r.Description).MaximumLength(200);
    }
}

public sealed class CreateWebhookSubscriptionValidator : AbstractValidator<CreateWebhookSubscriptionRequest>
{
    public CreateWebhookSubscriptionValidator()
    {
        Include(new WebhookTargetValidator());
        RuleFor(r => r.Secret).Must(WebhookSecrets.IsWellFormed).When(r => r.Secret is not null)
            .WithMessage("A secret is 'whsec_' followed by 24 to 64 bytes in base64; leave it out to have one made.");
    }
}

public sealed class ChangeWebhookSubscriptionValidator : AbstractValidator<ChangeWebhookSubscriptionRequest>
{
    public ChangeWebhookSubscriptionValidator()
    {
        Include(new WebhookTargetValidator());
        RuleFor(r => r.Active).NotNull();
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
    }
}

public sealed class RotateWebhookSecretValidator : AbstractValidator<RotateWebhookSecretRequest>
{
    public RotateWebhookSecretValidator()
    {
        RuleFor(r => r.Secret).Must(WebhookSecrets.IsWellFormed).When(r => r.Secret is not null)
            .WithMessage("A secret is 'whsec_' followed by 24 to 64 bytes in base64; leave it out to have one made.");
        RuleFor(r => r.OverlapMinutes).InclusiveBetween(0, 7 * 24 * 60);
    }
}

/// <summary>Webhook subscriptions (admin): register, change, pause, rotate secrets, read the delivery log, retry now.</summary>
public static class WebhookEndpoints
{
    private const string Route = "/api/webhook-subscriptions";

    public static void MapWebhooks(this WebApplication app)
    {
        var group = app.MapGroup(Route).WithTags("Webhooks").RequireAuthorization(AccessPolicies.Admin);

        group.MapGet("/event-types", () => WebhookEventTypes.Names.Select(n => new WebhookEventTypeView(n, EventFeed.AccountCloudEvents.TypeOf(n))).ToList())
            .WithName("ListWebhookEventTypes").Produces<List<WebhookEventTypeView>>()
            .WithSummary("The account event types a subscription may name (\"*\" names them all, later ones included).");

        group.MapPost("/", async (CreateWebhookSubscriptionRequest body, HttpContext http, IMessageBus bus, IQuerySession query, IOptions<WebhookOptions> options) =>
            {
                if (Refusal(body.Url!, body.EventTypes!, options.Value) is { } refused)
                    return Problems.Rule(refused);
                var context = Writes.Context(http);
                if (Writes.BadIdempotencyKey(context) is { } badKey)
                    return badKey;
                var id = Guid.CreateVersion7();
                var outcome = await Writes.OnceAsync(bus, query, context,
                    new SubscribeWebhook(id, body.Url!, body.EventTypes!, body.Description, body.Secret ?? WebhookSecrets.New(), context), id, http.RequestAborted);
                if (Writes.Refusal(outcome) is { } problem)
                    return TypedResults.Problem(problem);
                var view = await ViewAsync(query, outcome.AccountId, http.RequestAborted);
                var secret = await query.LoadAsync<WebhookSecret>(view!.Secrets.CurrentSecretId, http.RequestAborted);
                http.Response.Headers.ETag = ETags.For(view.Version);
                return Results.Created($"{Route}/{view.Id}", new SubscribedWebhook(view, secret!.Value));
            })
            .Validated<CreateWebhookSubscriptionRequest>()
            .WithName("CreateWebhookSubscription").Produces<SubscribedWebhook>(StatusCodes.Status201Created).Write(answers: false, ifMatch: false, onAccount: false)
            .WithSummary("Send the account events of these types to this URL, signed with the secret (made for you unless given; shown only in this answer).");

        group.MapGet("/", async (IQuerySession query, HttpContext http) =>
            {
                var subscriptions = await query.Query<WebhookSubscription>().OrderBy(s => s.SubscribedAt).ToListAsync(http.RequestAborted);
                var views = new List<WebhookSubscriptionView>(subscriptions.Count);
                foreach (var subscription in subscriptions)
                    views.Add(await ViewAsync(query, subscription, http.RequestAborted));
                return Results.Ok(views);
            })
            .WithName("ListWebhookSubscriptions").Produces<List<WebhookSubscriptionView>>()
            .WithSummary("Every subscription, oldest first, with how its deliveries stand.");

        group.MapGet("/{subscriptionId:guid}", async (Guid subscriptionId, IQuerySession query, HttpContext http) =>
            {
                if (await ViewAsync(query, subscriptionId, http.RequestAborted) is not { } view)
                    return NotFound(subscriptionId);
                http.Response.Headers.ETag = ETags.For(view.Version);
                return Results.Ok(view);
            })
            .WithName("GetWebhookSubscription").Produces<WebhookSubscriptionView>().Versioned()
            .WithSummary("One subscription: where, what, its secrets' ids and validity, and whether its receiver is taking deliveries.");

        group.MapPut("/{subscriptionId:guid}", async (Guid subscriptionId, ChangeWebhookSubscriptionRequest body, HttpContext http, IMessageBus bus,
                IQuerySession query, IOptions<WebhookOptions> options) =>
            {
                if (Refusal(body.Url!, body.EventTypes!, options.Value) is { } refused)
                    return Problems.Rule(refused);
                var context = Writes.Context(http);
                if (Writes.BadIdempotencyKey(context) is { } badKey)
                    return badKey;
                var outcome = await Writes.OnceAsync(bus, query, context, new ChangeWebhookSubscription(subscriptionId, body.Url!, body.EventTypes!,
                    body.Description, body.Active!.Value, body.Reason!, context), subscriptionId, http.RequestAborted);
                if (outcome.Kind == OutcomeKind.NotFound)
                    return NotFound(subscriptionId);
                if (Writes.Refusal(outcome) is { } problem)
                {
                    http.Response.Headers.ETag = ETags.For(outcome.Version);
                    return TypedResults.Problem(problem);
                }
                var view = await ViewAsync(query, subscriptionId, http.RequestAborted);
                http.Response.Headers.ETag = ETags.For(view!.Version);
                return Results.Ok(view);
            })
            .Validated<ChangeWebhookSubscriptionRequest>()
            .WithName("ChangeWebhookSubscription").Produces<WebhookSubscriptionView>().Write(answers: false, onAccount: false).Refuses(StatusCodes.Status404NotFound)
            .WithSummary("Change the URL, the event types or the description, or pause (active: false) and resume: with a reason, If-Match guarding " +
                         "against a concurrent change. A paused subscription holds its events and sends them, in order, when resumed.");

        group.MapPost("/{subscriptionId:guid}/secret-rotations", async (Guid subscriptionId, RotateWebhookSecretRequest body, HttpContext http,
                IMessageBus bus, IQuerySession query, IOptions<WebhookOptions> options) =>
            {
                var context = Writes.Context(http);
                if (Writes.BadIdempotencyKey(context) is { } badKey)
                    return badKey;
                var overlap = body.OverlapMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : options.Value.SecretOverlap;
                var outcome = await Writes.OnceAsync(bus, query, context,
                    new RotateWebhookSecret(subscriptionId, body.Secret ?? WebhookSecrets.New(), overlap, context), subscriptionId, http.RequestAborted);
                if (outcome.Kind == OutcomeKind.NotFound)
                    return NotFound(subscriptionId);
                if (Writes.Refusal(outcome) is { } problem)
                {
                    http.Response.Headers.ETag = ETags.For(outcome.Version);
                    return TypedResults.Problem(problem);
                }
                var subscription = (await query.LoadAsync<WebhookSubscription>(subscriptionId, http.RequestAborted))!;
                var secret = await query.LoadAsync<WebhookSecret>(outcome.ResourceId!.Value, http.RequestAborted);
                http.Response.Headers.ETag = ETags.For(outcome.Version);
                return Results.Created($"{Route}/{subscriptionId}", new WebhookSecretAnswer(subscriptionId, outcome.ResourceId.Value,
                    secret?.Value ?? "", subscription.PreviousSecretId ?? Guid.Empty, subscription.PreviousSecretValidUntil ?? DateTimeOffset.MinValue));
            })
            .Validated<RotateWebhookSecretRequest>()
            .WithName("RotateWebhookSecret").Produces<WebhookSecretAnswer>(StatusCodes.Status201Created).Write(answers: false, onAccount: false)
            .Refuses(StatusCodes.Status404NotFound)
            .WithSummary("A new signing secret (shown only in this answer). Until previousValidUntil deliveries carry a signature with each secret, " +
                         "so the receiver can switch when it likes.");

        group.MapGet("/{subscriptionId:guid}/deliveries", async (Guid subscriptionId, int? page, int? pageSize, bool? failed, IQuerySession query,
                HttpContext http) =>
            {
                if (Paging.Check(page, pageSize) is { } bad)
                    return Problems.Rule(bad, StatusCodes.Status400BadRequest);
                if (await query.LoadAsync<WebhookSubscription>(subscriptionId, http.RequestAborted) is null)
                    return NotFound(subscriptionId);
                int current = page ?? 1, size = pageSize ?? 50;
                var attempts = query.Query<WebhookDeliveryAttempt>().Where(a => a.SubscriptionId == subscriptionId);
                if (failed is { } onlyFailed)
                    attempts = attempts.Where(a => a.Delivered == !onlyFailed);
                var total = await attempts.CountAsync(http.RequestAborted);
                var items = await attempts.OrderByDescending(a => a.AttemptedAt).ThenByDescending(a => a.Id)
                    .Skip((current - 1) * size).Take(size).ToListAsync(http.RequestAborted);
                return Results.Ok(new PagedResult<WebhookDeliveryView>(items.Select(a => new WebhookDeliveryView(a.Id, a.EventId, a.EventId.ToString(),
                    a.AccountId, a.Version, a.EventType, a.AttemptedAt, a.Delivered, a.StatusCode, a.Error, a.Milliseconds)).ToList(), current, size, total));
            })
            .WithName("ListWebhookDeliveries").Produces<PagedResult<WebhookDeliveryView>>().Refuses(StatusCodes.Status404NotFound)
            .WithSummary("The delivery log, newest first: every attempt, its answer or error and how long it took (?failed=true: the failures).");

        group.MapPost("/{subscriptionId:guid}/retries", async (Guid subscriptionId, IQuerySession query, IMessageBus bus, HttpContext http) =>
            {
                if (await query.LoadAsync<WebhookSubscription>(subscriptionId, http.RequestAborted) is null)
                    return NotFound(subscriptionId);
                var retry = new RetryWebhookDeliveries(subscriptionId);
                await bus.PublishAsync(retry, retry.Lane());
                return Results.Accepted($"{Route}/{subscriptionId}", new WebhookRetryAnswer(subscriptionId, "retrying"));
            })
            .WithName("RetryWebhookDeliveries").Produces<WebhookRetryAnswer>(StatusCodes.Status202Accepted).Refuses(StatusCodes.Status404NotFound)
            .WithSummary("Try the receiver now instead of at the next scheduled attempt (and after the retries ran out, when it went to the dead letters).");
    }

    private static Rejection? Refusal(string url, IReadOnlyList<string> eventTypes, WebhookOptions options) =>
        WebhookTargets.Check(url, options.AllowLoopback) ?? WebhookEventTypes.Unknown(eventTypes);

    private static IResult NotFound(Guid subscriptionId) => Problems.NotFound($"Webhook subscription {subscriptionId}");

    private static async Task<WebhookSubscriptionView?> ViewAsync(IQuerySession query, Guid id, CancellationToken ct) =>
        await query.LoadAsync<WebhookSubscription>(id, ct) is { } subscription ? await ViewAsync(query, subscription, ct) : null;

    public static async Task<WebhookSubscriptionView> ViewAsync(IQuerySession query, WebhookSubscription s, CancellationToken ct)
    {
        var health = await query.LoadAsync<WebhookHealth>(s.Id, ct);
        var held = await query.Query<WebhookLane>().Where(l => l.SubscriptionId == s.Id && l.Pending > l.Delivered).CountAsync(ct);
        var status = !s.Active ? WebhookDeliveryStatus.Paused : health?.FailingSince is not null ? WebhookDeliveryStatus.Failing : WebhookDeliveryStatus.Delivering;
        return new WebhookSubscriptionView(s.Id, s.Url, s.EventTypes, s.Description, s.Active, s.SubscribedAt, s.Version,
            new WebhookSecretsView(s.SecretId, s.PreviousSecretId, s.PreviousSecretValidUntil),
            new WebhookDeliveryState(status, health?.FailingSince, health?.Failures ?? 0, health?.LastError, health?.LastFailureAt, health?.RecoveredAt, held));
    }
}
