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
public static class RequestNotices
{
    public static async Task AddAsync(OutgoingMessages then, IDocumentStore store, ServiceRequest request, string typeName, IReadOnlyList<object> events,
        long firstVersion, CancellationToken ct)
    {
        var version = firstVersion;
        var told = new List<(long Version, NoticeKind Kind, DateTimeOffset At, string? Detail, DateOnly? Due, string? Sha)>();
        foreach (var e in events)
        {
            switch (e)
            {
                case ServiceRequestSubmitted s:
                    told.Add((version, NoticeKind.ServiceRequestReceived, s.SubmittedAt, $"{typeName}; we will complete it by {When(s.DueAt)}", null, null));
                    break;
                case ServiceRequestInformationRequested i:
                    told.Add((version, NoticeKind.ServiceRequestWaiting, i.RequestedAt,
                        i.Message + (i.Documents.Count > 0 ? $" (please upload: {string.Join(", ", i.Documents)})" : ""), null, null));
                    break;
                case ServiceRequestEscalated x:
                    told.Add((version, NoticeKind.ServiceRequestDelayed, x.EscalatedAt, $"{x.Reason}; we now expect to complete it by {When(x.DueAt)}", null, null));
                    break;
                case ServiceRequestMessageSent m:
                    told.Add((version, NoticeKind.ServiceRequestMessage, m.SentAt, m.Text, null, null));
                    break;
                case ServiceRequestResolved r:
                    told.Add((version, NoticeKind.ServiceRequestCompleted, r.ResolvedAt, r.Resolution, null, r.ProofSha256));
                    break;
                case ServiceRequestRejected r:
                    told.Add((version, NoticeKind.ServiceRequestRejected, r.RejectedAt, r.Reason, null, null));
                    break;
                case ServiceRequestDraftReminded d:
                    told.Add((version, NoticeKind.ServiceRequestDraftExpiring, d.RemindedAt, typeName,
                        DateOnly.FromDateTime(d.ExpiresAt.UtcDateTime), null));
                    break;
            }
            version++;
        }
        if (told.Count == 0)
            return;
        await using var query = store.QueryFor(request.AccountId);
        if (await query.LoadAsync<Account>(request.AccountId, ct) is not { } account)
            return;
        foreach (var (at, kind, when, detail, due, sha) in told)
            foreach (var to in Noticing.Recipients(account))
                then.Add(new DeliverNotice(new Notice(DeterministicId.From($"notice|service-request|{request.Id}|{at}|{to.Key}"), kind, account.Id,
                    account.AccountNumber, at, to, account.Currency, null, request.Number ?? "draft", detail, when, DueDate: due)
                { RequestId = request.Id, ProofSha256 = sha }));
    }

    /// <summary>A moment as the customer reads it (UTC, to the minute).</summary>
    public static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
