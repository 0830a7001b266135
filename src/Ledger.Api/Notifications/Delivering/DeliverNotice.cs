using Ledger.Projections;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Notifications.Email;
using Ledger.Api.Notifications.Letters;
using Ledger.Api.Statements;
using Ledger.Api.Statements.Rendering;
using Ledger.Domain.Notifications;
using Ledger.Projections.Statements;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

using Ledger.Api.Infrastructure.Databases;

namespace Ledger.Api.Notifications.Delivering;

/// <summary>Send one notice (cascaded from the write that recorded its event; durable, retried, dead-lettered at last).</summary>
public sealed record DeliverNotice(Notice Notice);

/// <summary>The delivery record, keyed by the notice id: checked before sending, written in the same transaction as the audit event.</summary>
public sealed record NoticeDelivery(Guid Id, Guid AccountId, NoticeChannel Channel, string To, DateTimeOffset DeliveredAt);

/// <summary>A send failed; Wolverine's error policy (see <see cref="NotificationSetup"/>) retries it and, at last, dead-letters it.</summary>
public sealed class NoticeDeliveryException(Guid noticeId, Exception inner)
    : Exception($"Notice {noticeId} could not be delivered: {inner.Message}", inner);

public static class DeliverNoticeHandler
{
    public static async Task Handle(DeliverNotice message, IDocumentSession session, IDocumentStore store, NoticeMailer mailer, LetterRenderer letters,
        StatementRenderer statements, Accounts.Profile.ContactConfirmationLinks links, ServiceRequests.FeedbackLinks feedback,
        IOptions<NotificationOptions> options, TimeProvider clock, Envelope envelope, CancellationToken ct)
    {
        var notice = message.Notice;
        // The confirmation link is made now and stored nowhere: not in the event, not in the outbox message.
        if (notice.Kind == NoticeKind.ConfirmEmail && Guid.TryParse(notice.Reference, out var verificationId))
            notice = notice with { Detail = links.LinkFor(notice.AccountId, verificationId, notice.OccurredAt + Domain.Accounts.Profile.ChangeContactPreferences.VerificationLifetime) };
        // Likewise the single-use feedback link of a completed service request.
        if (notice is { Kind: NoticeKind.ServiceRequestCompleted, RequestId: { } requestId })
            notice = notice with { FeedbackLink = feedback.LinkFor(requestId, notice.OccurredAt) };
        // At least once in, at most once out: a redelivered or replayed message finds the record and stops here.
        if (await session.LoadAsync<NoticeDelivery>(notice.NoticeId, ct) is not null)
            return;
        // Not while the account's bucket moves to another database: sent now, its record would be left behind.
        await BucketMoves.ThrowIfMovingAsync(session, ct);
        var template = options.Value.TemplateVersion;
        var now = clock.GetUtcNow();
        object recorded;
        if (notice.To.Channel == NoticeChannel.Email)
        {
            var enclosure = await Enclosure(session, store, statements, notice, ct);
            var name = notice.ProofSha256 is null ? $"statement-{notice.StatementId}.pdf" : $"{notice.Reference}-proof.pdf";
            var email = mailer.Compose(notice, template, enclosure is { } attached ? (name, attached.Bytes) : null);
            try
            {
                await mailer.SendAsync(email, ct);
            }
            catch (Exception failure) when (!ct.IsCancellationRequested)
            {
                await RecordFailure(store, notice, envelope.Attempts, failure, now, ct);
                throw new NoticeDeliveryException(notice.NoticeId, failure);
            }
            recorded = new NoticeSent(notice.NoticeId, notice.AccountId, notice.Kind, notice.EventVersion, notice.To.Display, email.MessageId!, template,
                envelope.Attempts, enclosure is { } sent ? $"{name} sha256:{sent.Sha256}" : null, now);
        }
        else
        {
            var day = DateOnly.FromDateTime(now.UtcDateTime);
            var pdf = letters.Render(notice, template);
            var enclosed = notice.DocumentSha256 ?? notice.ProofSha256;
            session.Store(new Letter(notice.NoticeId, notice.AccountId, day, notice.Kind, notice.To.Display, pdf, enclosed, now));
            recorded = new LetterQueued(notice.NoticeId, notice.AccountId, notice.Kind, notice.EventVersion, notice.To.Display, day, template,
                enclosed is null ? 1 : 2, now);
        }
        session.Store(new NoticeDelivery(notice.NoticeId, notice.AccountId, notice.To.Channel, notice.To.Display, now));
        Stamp(session);
        // Queued, not raced: a version conflict here would rerun the handler and send the email again. One node's notice
        // queue is sequential, but several nodes deliver at once.
        await Infrastructure.SideStreams.AppendQueuedAsync(session, NotificationStream.IdFor(notice.AccountId), recorded, ct);
    }

    /// <summary>The bill exactly as issued: the stored bytes, or re-rendered from the record when they are missing (checked against the hash).</summary>
    private static async Task<(string Sha256, byte[] Bytes)?> Enclosure(IDocumentSession session, IDocumentStore store, StatementRenderer renderer, Notice notice,
        CancellationToken ct)
    {
        // A service request's signed proof of completion, stored (in the main database) before the completion was recorded.
        if (notice.ProofSha256 is { } proof)
        {
            await using var main = store.QuerySession();
            return await ServiceRequests.RequestDocuments.LoadAsync(main, proof, ct) is { } signed
                ? (proof, signed)
                : throw new InvalidOperationException($"The proof {proof} of request {notice.Reference} is not stored; not sending the notice without it.");
        }
        if (notice.DocumentSha256 is not { } sha)
            return null;
        if (await StatementDocuments.LoadAsync(session, sha, ct) is { } stored)
            return (sha, stored);
        var view = await session.LoadAsync<StatementView>(notice.StatementId!.Value, ct);
        var bytes = view is null ? null : renderer.Render(view.Content, view.TemplateVersion,
            Domain.Statements.Composing.PendingOn(await StatementEvents.UpToIssue(session, notice.AccountId, view.Id, onlyTheIssue: false, ct), view.Content),
            view.IssuedAt);
        return bytes is not null && StatementRenderer.Sha256(bytes) == sha
            ? (sha, bytes)
            : throw new InvalidOperationException($"Statement {notice.StatementId} cannot be reproduced with hash {sha}; not sending a different bill.");
    }

    // Its own short transaction: the handler's own rolls back with the exception, but the attempt belongs on the trail.
    private static async Task RecordFailure(IDocumentStore store, Notice notice, int attempt, Exception failure, DateTimeOffset now, CancellationToken ct)
    {
        await using var session = store.SessionFor(notice.AccountId);
        Stamp(session);
        await Infrastructure.SideStreams.AppendQueuedAsync(session, NotificationStream.IdFor(notice.AccountId), new NoticeDeliveryFailed(notice.NoticeId,
            notice.AccountId, notice.Kind, notice.EventVersion, notice.To.Display, attempt, $"{failure.GetType().Name}: {failure.Message}", now), ct);
        await session.SaveChangesAsync(ct);
    }

    private static void Stamp(IDocumentSession session)
    {
        session.LastModifiedBy = NotificationStream.Actor;
        session.SetHeader(EventHeaders.Actor, NotificationStream.Actor);
        session.SetHeader(EventHeaders.Role, "system");
        session.SetHeader(EventHeaders.Channel, "notifications");
    }
}
