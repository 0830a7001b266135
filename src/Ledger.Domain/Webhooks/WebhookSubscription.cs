namespace Ledger.Domain.Webhooks;

/// <summary>An admin asked for the account events of <see cref="EventTypes"/> to be sent to <see cref="Url"/>.</summary>
public sealed record WebhookSubscribed(Guid SubscriptionId, string Url, IReadOnlyList<string> EventTypes, string? Description, Guid SecretId,
    DateTimeOffset SubscribedAt);

/// <summary>Where, what and whether: a change of the subscription's target, its event types or its state, with the admin's reason.</summary>
public sealed record WebhookSubscriptionChanged(Guid SubscriptionId, string Url, IReadOnlyList<string> EventTypes, string? Description, bool Active,
    string Reason, DateTimeOffset ChangedAt);

/// <summary>
/// A new signing secret: deliveries carry a signature with each secret still valid, so the receiver can switch to the
/// new one at any time before <see cref="PreviousValidUntil"/>. The secrets themselves are never in an event.
/// </summary>
public sealed record WebhookSecretRotated(Guid SubscriptionId, Guid SecretId, Guid PreviousSecretId, DateTimeOffset PreviousValidUntil,
    DateTimeOffset RotatedAt);

/// <summary>A webhook subscription as its events built it.</summary>
public sealed record WebhookSubscription(
    Guid Id, string Url, IReadOnlyList<string> EventTypes, string? Description, bool Active, DateTimeOffset SubscribedAt, Guid SecretId,
    Guid? PreviousSecretId, DateTimeOffset? PreviousSecretValidUntil, long Version)
{
    /// <summary>Subscribes to every account event type, the ones added later included.</summary>
    public const string AllTypes = "*";

    /// <summary>The secrets a delivery at <paramref name="now"/> is signed with: the current one, and the previous while its overlap lasts.</summary>
    public IEnumerable<Guid> SigningSecrets(DateTimeOffset now)
    {
        yield return SecretId;
        if (PreviousSecretId is { } previous && PreviousSecretValidUntil > now)
            yield return previous;
    }

    public static WebhookSubscription? Evolve(WebhookSubscription? state, object @event) => (state, @event) switch
    {
        (null, WebhookSubscribed e) => new WebhookSubscription(e.SubscriptionId, e.Url, e.EventTypes, e.Description, true, e.SubscribedAt, e.SecretId,
            null, null, 1),
        (null, _) => null,
        (_, WebhookSubscriptionChanged e) => state with
        {
            Url = e.Url, EventTypes = e.EventTypes, Description = e.Description, Active = e.Active, Version = state.Version + 1,
        },
        (_, WebhookSecretRotated e) => state with
        {
            SecretId = e.SecretId, PreviousSecretId = e.PreviousSecretId, PreviousSecretValidUntil = e.PreviousValidUntil, Version = state.Version + 1,
        },
        _ => state,
    };
}
