namespace Ledger.Domain.Notifications;

// Facts of an account's notification stream (its own stream, see NotificationStream in the API): what was sent to
// whom and how it went. Kept apart from the account's stream so deliveries never shift the account's versions.

public sealed record NoticeSent(
    Guid NoticeId, Guid AccountId, NoticeKind Kind, long EventVersion, string To, string MessageId, int TemplateVersion, int Attempt,
    string? Attachment, DateTimeOffset SentAt);

public sealed record NoticeDeliveryFailed(
    Guid NoticeId, Guid AccountId, NoticeKind Kind, long EventVersion, string To, int Attempt, string Error, DateTimeOffset FailedAt);

public sealed record LetterQueued(
    Guid NoticeId, Guid AccountId, NoticeKind Kind, long EventVersion, string To, DateOnly BatchDay, int TemplateVersion, int Pages,
    DateTimeOffset QueuedAt);
