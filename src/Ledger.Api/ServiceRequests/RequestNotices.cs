using System.Globalization;
using Ledger.Api.Infrastructure.Databases;
using Ledger.Api.Notifications.Delivering;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Notifications;
using Ledger.Domain.ServiceRequests;
using Marten;
using Wolverine;

namespace Ledger.Api.ServiceRequests;

/// <summary>
/// What the customer is told about their request, by the channel they chose on the account: the number and due time when it
/// is received, what the desk asks of them, a delay with its reason and new expected time, the desk's messages, the
/// outcome, and a draft about to expire. Internal notes and alerts to staff never leave the desk.
/// </summary>
/// <summary>One thing to tell the customer about a request: at which version of its stream, what, when, and with what.</summary>
public sealed record RequestNoticeItem(long Version, NoticeKind Kind, DateTimeOffset At, string? Detail, DateOnly? Due, string? ProofSha256);

/// <summary>
/// Tell the customer (cascaded from the write, after it committed): the recipients are read from the account then, never
/// while the request's stream is locked — a writer holding that lock never waits for a second connection.
/// </summary>
public sealed record TellCustomerAboutRequest(Guid RequestId, Guid AccountId, string? Number, IReadOnlyList<RequestNoticeItem> Items);

/// <summary>
/// What the customer is told about their request, by the channel they chose on the account: the number and due time when it
/// is received, what the desk asks of them, a delay with its reason and new expected time, the desk's messages, the
/// outcome, and a draft about to expire. Internal notes and alerts to staff never leave the desk.
/// </summary>
public static class RequestNotices
{
    public static TellCustomerAboutRequest? For(ServiceRequest request, string typeName, IReadOnlyList<object> events, long firstVersion)
    {
        var version = firstVersion;
        var told = new List<RequestNoticeItem>();
        foreach (var e in events)
        {
            RequestNoticeItem? item = e switch
            {
                ServiceRequestSubmitted s => new(version, NoticeKind.ServiceRequestReceived, s.SubmittedAt, $"{typeName}; we will complete it by {When(s.DueAt)}", null, null),
                ServiceRequestInformationRequested i => new(version, NoticeKind.ServiceRequestWaiting, i.RequestedAt,
                    i.Message + (i.Documents.Count > 0 ? $" (please upload: {string.Join(", ", i.Documents)})" : ""), null, null),
                ServiceRequestEscalated x => new(version, NoticeKind.ServiceRequestDelayed, x.EscalatedAt,
                    $"{x.Reason}; we now expect to complete it by {When(x.DueAt)}", null, null),
                ServiceRequestMessageSent m => new(version, NoticeKind.ServiceRequestMessage, m.SentAt, m.Text, null, null),
                ServiceRequestResolved r => new(version, NoticeKind.ServiceRequestCompleted, r.ResolvedAt, r.Resolution, null, r.ProofSha256),
                ServiceRequestRejected r => new(version, NoticeKind.ServiceRequestRejected, r.RejectedAt, r.Reason, null, null),
                ServiceRequestDraftReminded d => new(version, NoticeKind.ServiceRequestDraftExpiring, d.RemindedAt, typeName,
                    DateOnly.FromDateTime(d.ExpiresAt.UtcDateTime), null),
                _ => null,
            };
            if (item is not null)
                told.Add(item);
            version++;
        }
        return told.Count == 0 ? null : new TellCustomerAboutRequest(request.Id, request.AccountId, request.Number, told);
    }

    /// <summary>A moment as the customer reads it (UTC, to the minute).</summary>
    public static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}

public static class TellCustomerAboutRequestHandler
{
    /// <summary>One notice per item and recipient, with ids derived from the request, the version and the recipient (a rerun sends none twice).</summary>
    public static async Task<OutgoingMessages> Handle(TellCustomerAboutRequest message, IDocumentStore store, CancellationToken ct)
    {
        var then = new OutgoingMessages();
        await using var query = store.QueryFor(message.AccountId);
        if (await query.LoadAsync<Account>(message.AccountId, ct) is not { } account)
            return then;
        foreach (var item in message.Items)
            foreach (var to in Noticing.Recipients(account))
                then.Add(new DeliverNotice(new Notice(DeterministicId.From($"notice|service-request|{message.RequestId}|{item.Version}|{to.Key}"), item.Kind,
                    account.Id, account.AccountNumber, item.Version, to, account.Currency, null, message.Number ?? "draft", item.Detail, item.At, DueDate: item.Due)
                { RequestId = message.RequestId, ProofSha256 = item.ProofSha256 }));
        return then;
    }
}
