using Ledger.Domain.Notifications;

namespace Ledger.Api.Notifications.Letters;

/// <summary>
/// A letter waiting for the print house, in the batch of the day it was queued (UTC). A statement notice encloses the
/// bill exactly as issued (<see cref="EnclosureSha256"/>, the stored document's key).
/// </summary>
public sealed record Letter(Guid Id, Guid AccountId, DateOnly BatchDay, NoticeKind Kind, string To, byte[] Pdf, string? EnclosureSha256, DateTimeOffset QueuedAt);
