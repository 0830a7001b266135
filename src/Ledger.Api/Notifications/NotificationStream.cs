using Ledger.Domain;

namespace Ledger.Api.Notifications;

/// <summary>
/// Each account's delivery records live in a stream of their own, with an id derived from the account's. Appending them
/// to the account's stream would move the versions clients hold as ETags, the runs statements are composed from and the
/// hash chain; the history endpoint merges the two streams by sequence instead.
/// </summary>
public static class NotificationStream
{
    public static Guid IdFor(Guid accountId) => DeterministicId.From($"notifications|{accountId}");

    public const string Actor = "system:notifications";
}
