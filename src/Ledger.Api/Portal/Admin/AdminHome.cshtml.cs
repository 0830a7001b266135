using Ledger.Api.Access;
using Ledger.Api.Portal.Shared;
using Ledger.Api.Statements;
using Ledger.Api.Webhooks;
using Ledger.Domain.Webhooks;
using Ledger.Domain.Collections;
using Ledger.Domain.Corporate;
using Ledger.Domain.Policies;
using Ledger.Domain.ServiceRequests;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Persistence.Durability;

namespace Ledger.Api.Portal.Admin;

/// <summary>One policy the ledger runs by: its version in force and where it is read and changed (each change an event on its stream).</summary>
public sealed record PolicyRow(string Name, string Version, string Summary, string ReadAt, string ChangeAt);

/// <summary>
/// The admin's start: the console's pages, what waits (dead letters, failing receivers, the last statement run), and every
/// other policy with its version and the API route that changes it (their pages are still to come: read here, change there).
/// </summary>
[Authorize(Policy = AccessPolicies.Admin)]
public sealed class AdminHomeModel(IQuerySession query, IMessageStore messages) : PortalPage
{
    public IReadOnlyList<PolicyRow> Policies { get; private set; } = [];
    public int DeadLetters { get; private set; }
    public int FailingWebhooks { get; private set; }
    public StatementRunRecord? LastRun { get; private set; }

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        var limits = await query.LoadAsync<PolicyState>(PolicyState.StreamId, ct);
        var dunning = await query.LoadAsync<DunningPolicyState>(DunningPolicyState.StreamId, ct);
        var requests = await query.LoadAsync<ServiceRequestPolicyState>(ServiceRequestPolicyState.StreamId, ct);
        var types = await query.Query<RequestTypeState>().ToListAsync(ct);
        var subscriptions = await query.Query<WebhookSubscription>().ToListAsync(ct);
        var corporate = (await query.Query<CorporateLimitsState>().ToListAsync(ct)).Where(c => c.Current is not null).ToList();
        Policies =
        [
            new("Limits policy", V(limits?.Version), "what CSRs and managers may post alone", "/portal/admin/policy", "/portal/admin/policy"),
            new("Dunning policy", V(dunning?.Version), "reminders, fees and suspension of past-due accounts", "GET /api/collections/policy", "PUT /api/collections/policy"),
            new("Service-request timing", V(requests?.Version), "response times and the working calendar", "GET /api/service-requests/policy", "PUT /api/service-requests/policy"),
            new("Service-request types", $"{types.Count(t => !t.Retired)} in use, {types.Count(t => t.Retired)} retired",
                string.Join(", ", types.Where(t => !t.Retired).OrderBy(t => t.Code, StringComparer.Ordinal).Select(t => $"{t.Code} v{t.Version}")),
                "GET /api/service-request-types", "PUT /api/service-request-types/{code}"),
            new("Webhook subscriptions", $"{subscriptions.Count(s => s.Active)} active, {subscriptions.Count(s => !s.Active)} paused",
                string.Join(", ", subscriptions.OrderBy(s => s.SubscribedAt).Select(s => $"{s.Url} v{s.Version}")),
                "GET /api/webhook-subscriptions", "PUT /api/webhook-subscriptions/{subscriptionId}"),
            new("Corporate customers' desk limits", $"{corporate.Count} customer(s) with their own",
                string.Join(", ", corporate.OrderBy(c => c.CorporateId, StringComparer.Ordinal).Select(c => $"{c.CorporateId} v{c.Version}")),
                "GET /api/corporates/{corporateId}/limits", "PUT /api/corporates/{corporateId}/limits"),
        ];
        DeadLetters = (await Notifications.DeadLetters.DeadLetterEndpoints.ListAsync(messages, null, ct)).Count;
        foreach (var subscription in subscriptions.Where(s => s.Active))
            if ((await WebhookEndpoints.ViewAsync(query, subscription, ct)).Delivery.Status == WebhookDeliveryStatus.Failing)
                FailingWebhooks++;
        LastRun = (await StatementRuns.LatestAsync(query, ct)).FirstOrDefault();
    }

    private static string V(long? version) => version is { } v ? $"version {v}" : "not recorded yet";
}
