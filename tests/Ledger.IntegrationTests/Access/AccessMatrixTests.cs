using System.Net;
using System.Net.Http.Json;
using System.Text;
using Ledger.IntegrationTests.Harness;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.IntegrationTests.Access;

/// <summary>
/// Every endpoint of the running app × every role and every system scope (a client-credentials token holding that
/// one scope), plus no token, an expired token and a forged one.
/// The table is checked against the app's own endpoint list: an endpoint added without a row fails here.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class AccessMatrixTests(LedgerApp app)
{
    internal const string Anyone = "anonymous";
    private static readonly string[] Readers = ["customer", "csr", "manager", "auditor", "ledger.read"];
    private static readonly string[] SelfService = ["customer", "csr", "manager"];
    private static readonly string[] Desk = ["csr", "manager"];
    private static readonly string[] Queue = ["csr", "manager", "auditor"];
    private static readonly string[] Staff = ["csr", "manager", "auditor", "admin"];
    private static readonly string[] AdminOnly = ["admin"];
    private static readonly string[] RequestReaders = ["customer", "csr", "manager", "auditor", "admin"];
    private static readonly string[] CorporateWriters = ["corporate-admin", "csr", "manager"];

    /// <summary>Route pattern → who may call it, and a request body that is valid enough to reach the rules.</summary>
    internal static readonly Dictionary<string, (string[] Allowed, object? Body)> Table = new()
    {
        ["GET /health/live"] = ([Anyone], null),
        ["GET /health/ready"] = ([Anyone], null),
        // Open in Development and Testing; outside them admins and the scrape token only (MetricsAccessTests).
        ["GET /metrics"] = ([Anyone], null),
        ["POST /api/accounts/"] = ([.. Desk, "ledger.accounts.write"], new
        {
            customerId = "cust-x", holderName = "X", currency = "USD", billingDay = 1,
            address = new { line1 = "1 St", city = "C", postalCode = "1", country = "US" },
        }),
        ["GET /api/accounts/"] = (Readers, null),
        ["GET /api/accounts/{accountId:guid}"] = ([.. Readers, "broker", "corporate-admin"], null),
        ["GET /api/accounts/{accountId:guid}/entries"] = (Readers, null),
        ["GET /api/accounts/{accountId:guid}/entries/{entryId:guid}"] = (Readers, null),
        ["POST /api/accounts/{accountId:guid}/charges"] = ([.. Desk, "ledger.charges.write"], new { amount = 1m, description = "d", category = "c" }),
        ["POST /api/bulk/charges"] = ([.. Desk, "ledger.charges.write"], new { items = new[] { new { accountId = Guid.NewGuid(), idempotencyKey = "k-1", amount = 1m, description = "d", category = "c" } } }),
        ["POST /api/accounts/{accountId:guid}/payments"] = (SelfService, new { amount = 1m, method = "transfer" }),
        ["GET /api/accounts/{accountId:guid}/payments/{paymentId:guid}"] = (Readers, null),
        ["POST /api/accounts/{accountId:guid}/payments/{paymentId:guid}/confirmation"] = (["manager"], new { amount = 1m, bankReference = "NTRY-1" }),
        ["POST /api/accounts/{accountId:guid}/payments/{paymentId:guid}/failure"] = (["manager"], new { reasonCode = "AC04", reason = "Account closed" }),
        ["POST /api/accounts/{accountId:guid}/payments/{paymentId:guid}/return"] = (["manager"], new { bankReference = "RTN-1", reasonCode = "AM04", reason = "Insufficient funds" }),
        // The processor's signature is the credential (a missing one is a 400, see CardPaymentTests), never a token.
        ["POST /api/payment-webhooks/stripe"] = ([Anyone], new { id = "evt_unsigned" }),
        ["GET /api/payment-webhooks/review"] = (Queue, null),
        ["POST /api/accounts/{accountId:guid}/refunds"] = (SelfService, new { amount = 1m, reason = "Moving away", destinationAccount = "GB82WEST12345698765432" }),
        ["GET /api/accounts/{accountId:guid}/refunds/{refundId:guid}"] = (Readers, null),
        ["POST /api/accounts/{accountId:guid}/refunds/{refundId:guid}/confirmation"] = (["manager"], new { bankReference = "NTRY-OUT-1" }),
        ["POST /api/accounts/{accountId:guid}/refunds/{refundId:guid}/failure"] = (["manager"], new { reasonCode = "AC04", reason = "Account closed" }),
        // Managers alone say money arrived (a JSON body reaches the media-type check, 415); the desk works what waits.
        ["POST /api/bank-statements/"] = (["manager", "ledger.payments.write"], new { not = "a camt file" }),
        ["POST /api/bank-credits"] = (["manager", "ledger.payments.write"], new
        {
            idempotencyKey = "matrix-credit", accountId = Guid.NewGuid(), amount = 1m, currency = "USD", method = "transfer", bankReference = "NTRY-M",
        }),
        ["GET /api/bank-statements/queue"] = (Desk, null),
        ["GET /api/bank-statements/lines/{lineId:guid}"] = (Desk, null),
        ["POST /api/bank-statements/lines/{lineId:guid}/assignment"] = (Desk, new { accountId = Guid.NewGuid() }),
        ["POST /api/bank-statements/lines/{lineId:guid}/return-to-sender"] = (Desk, new { reason = "Unknown payer" }),
        ["POST /api/accounts/{accountId:guid}/credits"] = (SelfService, new { amount = 1m, reasonCode = "goodwill", reason = "r" }),
        ["POST /api/accounts/{accountId:guid}/corrections"] = (Desk, new { entryId = Guid.NewGuid(), amount = 1m, reason = "r" }),
        ["POST /api/accounts/{accountId:guid}/corrections/{correctionId:guid}/reversal"] = (Desk, new { reason = "r" }),
        ["POST /api/accounts/{accountId:guid}/disputes"] = (SelfService, new { entryId = Guid.NewGuid(), reason = "r" }),
        ["POST /api/accounts/{accountId:guid}/disputes/{disputeId:guid}/resolution"] = (Desk, new { outcome = "upheld", note = "n" }),
        ["POST /api/accounts/{accountId:guid}/suspension"] = (Desk, new { reason = "r" }),
        ["POST /api/accounts/{accountId:guid}/reactivation"] = (Desk, new { reason = "r" }),
        ["POST /api/accounts/{accountId:guid}/closure"] = (Desk, new { reason = "r" }),
        ["PUT /api/accounts/{accountId:guid}/profile"] = (SelfService, new
        {
            holderName = "New Name", address = new { line1 = "2 St", city = "C", postalCode = "2", country = "US" },
        }),
        ["GET /api/approvals/"] = (Queue, null),
        ["GET /api/approvals/{approvalId:guid}"] = (Queue, null),
        ["POST /api/approvals/{approvalId:guid}/approve"] = (Desk, new { note = "ok" }),
        ["POST /api/approvals/{approvalId:guid}/reject"] = (Desk, new { reason = "no" }),
        ["GET /api/policy/"] = (Staff, null),
        ["GET /api/policy/history"] = (Staff, null),
        // Read-only, so a valid proposal (the fuzzer's mutations then meet a request that would pass).
        ["POST /api/policy/simulations"] = (AdminOnly, new
        {
            limits = new
            {
                csr = new { maxSingleCredit = 85, maxSingleCorrection = 100, dailyCreditTotal = 200, accountCreditTotal30Days = 300 },
                manager = new { maxSingleCredit = 1000, maxSingleCorrection = 1000, dailyCreditTotal = 5000, accountCreditTotal30Days = 3000 },
                secondApprovalAbove = 5000, approvalExpiryHours = 48,
            },
            days = 1,
        }),
        // An invalid policy: reaches the rules (422) without changing the limits other tests rely on.
        ["PUT /api/policy/"] = (AdminOnly, new
        {
            limits = new
            {
                csr = new { maxSingleCredit = -1, maxSingleCorrection = 1, dailyCreditTotal = 1, accountCreditTotal30Days = 1 },
                manager = new { maxSingleCredit = 1, maxSingleCorrection = 1, dailyCreditTotal = 1, accountCreditTotal30Days = 1 },
                secondApprovalAbove = 1, approvalExpiryHours = 1,
            },
            reason = "matrix",
        }),
        ["GET /api/collections/policy"] = (Staff, null),
        ["POST /api/accounts/{accountId:guid}/late-fees/{feeEntryId:guid}/waiver"] = (SelfService, new { reason = "r" }),
        ["PUT /api/accounts/{accountId:guid}/broker"] = (Desk, new { brokerId = "broker-matrix" }),
        ["POST /api/accounts/{accountId:guid}/callback-requests"] = (["broker"], new { note = "Please call" }),
        ["POST /api/accounts/{accountId:guid}/callback-requests/{requestId:guid}/completion"] = (Desk, new { outcome = "Called" }),
        ["GET /api/brokers/me/book"] = (["broker"], null),
        ["GET /api/brokers/{brokerId}/book"] = (Staff, null),
        // Server-sent events: the status is in the headers; the stream itself is read by BrokerLiveTests.
        ["GET /api/brokers/me/risk-changes"] = (["broker"], null),
        ["POST /api/accounts/{accountId:guid}/payment-plans"] = (Desk, new { instalments = new[] { new { dueOn = "2099-01-01", amount = 1m } } }),
        // An invalid policy (steps out of order): reaches the rules (422) without changing the policy other tests rely on.
        ["PUT /api/collections/policy"] = (AdminOnly, new
        {
            policy = new
            {
                daysPastDue = new { reminder = 10, lateNotice = 5, intentToCancel = 30, suspension = 45, cancellation = 60 },
                lateFee = new { @fixed = 10, percent = 0, capPerBill = 25 }, minimumAmount = 1, minimumDaysBetweenSteps = 7, reinstatementDays = 30,
            },
            reason = "matrix",
        }),
        // Reviews every account at the real time: the suite's bills are not due yet, so nothing is written.
        ["POST /api/collections/runs"] = (AdminOnly, null),
        ["GET /api/me/limits"] = (Desk, null),
        ["GET /api/accounts/{accountId:guid}/history"] = (Queue, null),
        ["GET /api/audit"] = (Queue, null),
        ["GET /api/disputes"] = (Desk, null),
        ["GET /api/accounts/{accountId:guid}/integrity"] = (["auditor", "manager"], null),
        ["POST /api/integrity/anchors/"] = (AdminOnly, null),
        ["GET /api/integrity/anchors/"] = (["admin", "auditor"], null),
        ["GET /api/accounts/{accountId:guid}/statements"] = (Readers, null),
        ["GET /api/accounts/{accountId:guid}/statements/{statementId:guid}"] = (Readers, null),
        ["GET /api/accounts/{accountId:guid}/statements/{statementId:guid}/pdf"] = (Readers, null),
        // Only the listed account, which has nothing to bill: reaches the handler without touching other tests' accounts.
        ["POST /api/statement-runs"] = (AdminOnly, new { accountIds = new[] { Guid.Empty } }),
        ["GET /api/statement-runs/"] = (AdminOnly, null),
        ["GET /api/statement-runs/{runId:guid}"] = (AdminOnly, null),
        ["PUT /api/accounts/{accountId:guid}/entries/{entryId:guid}/category"] = (SelfService, new { category = "mine" }),
        ["GET /api/accounts/{accountId:guid}/category-totals"] = (Readers, null),
        // An e-mail preference without an address: reaches the rules (422) without sending anything.
        ["PUT /api/accounts/{accountId:guid}/contact-preferences"] = (SelfService, new { channel = "email" }),
        ["GET /api/operations/dead-letters/"] = (AdminOnly, null),
        ["POST /api/operations/dead-letters/{deadLetterId:guid}/replay"] = (AdminOnly, null),
        // A type no message has: reaches the store and replays nothing.
        ["POST /api/operations/dead-letters/replays"] = (AdminOnly, new { messageType = "Matrix.NoSuchMessage" }),
        ["GET /api/operations/cluster"] = (AdminOnly, null),
        ["GET /api/correspondence/batches/{day}"] = (AdminOnly, null),
        // Webhooks are the admin's: a target on this host is refused (422) in the shared app, so nothing is subscribed here.
        ["GET /api/webhook-subscriptions/event-types"] = (AdminOnly, null),
        ["POST /api/webhook-subscriptions/"] = (AdminOnly, new { url = "http://localhost/hook", eventTypes = new[] { "*" } }),
        ["GET /api/webhook-subscriptions/"] = (AdminOnly, null),
        ["GET /api/webhook-subscriptions/{subscriptionId:guid}"] = (AdminOnly, null),
        ["PUT /api/webhook-subscriptions/{subscriptionId:guid}"] = (AdminOnly, new { url = "http://localhost/hook", eventTypes = new[] { "*" }, active = true, reason = "r" }),
        ["POST /api/webhook-subscriptions/{subscriptionId:guid}/secret-rotations"] = (AdminOnly, new { }),
        ["GET /api/webhook-subscriptions/{subscriptionId:guid}/deliveries"] = (AdminOnly, null),
        ["POST /api/webhook-subscriptions/{subscriptionId:guid}/retries"] = (AdminOnly, null),
        // Service requests. The catalogue's writes name a type that does not exist, or are invalid: nothing other tests use changes.
        ["GET /api/service-request-types/"] = (RequestReaders, null),
        ["GET /api/service-request-types/{code}"] = (RequestReaders, null),
        ["PUT /api/service-request-types/{code}"] = (AdminOnly, new { definition = new { code = "another-type" }, reason = "matrix" }),
        ["POST /api/service-request-types/{code}/retirement"] = (AdminOnly, new { reason = "matrix" }),
        ["GET /api/service-requests/policy/"] = (Staff, null),
        ["PUT /api/service-requests/policy/"] = (AdminOnly, new
        {
            policy = new
            {
                calendar = new { timeZone = "Nowhere/Land", week = Array.Empty<object>(), holidays = Array.Empty<string>() },
                alertAtPercent = 75, escalationExtensionPercent = 50, draftLifetimeDays = 30, draftReminderDays = 7,
            },
            reason = "matrix",
        }),
        ["POST /api/accounts/{accountId:guid}/service-requests"] = (SelfService, new { type = "address-change", fields = new { line1 = "1 St" } }),
        ["GET /api/service-requests/"] = (RequestReaders, null),
        ["GET /api/service-requests/{requestId:guid}"] = (RequestReaders, null),
        ["PUT /api/service-requests/{requestId:guid}/draft"] = (SelfService, new { fields = new { line1 = "1 St" } }),
        ["DELETE /api/service-requests/{requestId:guid}/draft"] = (SelfService, null),
        ["POST /api/service-requests/{requestId:guid}/submission"] = (SelfService, new { }),
        ["POST /api/service-requests/{requestId:guid}/documents"] = (SelfService, null),
        ["GET /api/service-requests/{requestId:guid}/documents/{documentId:guid}"] = (RequestReaders, null),
        ["GET /api/service-requests/{requestId:guid}/proof"] = (RequestReaders, null),
        ["POST /api/service-requests/{requestId:guid}/assignment"] = (Desk, new { team = "accounts" }),
        ["POST /api/service-requests/{requestId:guid}/review"] = (Desk, null),
        ["POST /api/service-requests/{requestId:guid}/information-requests"] = (Desk, new { message = "m" }),
        ["POST /api/service-requests/{requestId:guid}/answer"] = (SelfService, new { message = "m" }),
        ["POST /api/service-requests/{requestId:guid}/notes"] = (Desk, new { text = "t" }),
        ["POST /api/service-requests/{requestId:guid}/messages"] = (Desk, new { text = "t" }),
        ["POST /api/service-requests/{requestId:guid}/rejection"] = (Desk, new { reason = "r" }),
        ["POST /api/service-requests/{requestId:guid}/completion"] = (Desk, new { resolution = "r" }),
        ["GET /api/service-request-reports/turnaround"] = (["manager", "auditor"], null),
        ["GET /api/service-request-reports/open"] = (["manager", "auditor"], null),
        // Corporate trees: the matrix's corporate admin administers "cust-matrix", so "matrix-corp" is another's (404, not 403).
        ["POST /api/corporates/"] = (Desk, new { corporateId = "matrix-corp", name = "Matrix Ltd" }),
        ["GET /api/corporates/{corporateId}"] = (["csr", "manager", "auditor", "admin", "corporate-admin"], null),
        ["POST /api/corporates/{corporateId}/nodes"] = (CorporateWriters, new { parentId = Guid.NewGuid(), name = "Unit", kind = "division" }),
        ["PUT /api/corporates/{corporateId}/nodes/{nodeId:guid}"] = (CorporateWriters, new { name = "Renamed" }),
        ["POST /api/corporates/{corporateId}/nodes/{nodeId:guid}/move"] = (CorporateWriters, new { parentId = Guid.NewGuid() }),
        ["POST /api/corporates/{corporateId}/nodes/{nodeId:guid}/closure"] = (CorporateWriters, null),
        ["PUT /api/corporates/{corporateId}/members/{accountId:guid}"] = (CorporateWriters, new { nodeId = Guid.NewGuid() }),
        ["DELETE /api/corporates/{corporateId}/members/{accountId:guid}"] = (CorporateWriters, null),
        ["PUT /api/corporates/{corporateId}/budgets/{targetId:guid}"] = (CorporateWriters, new { amount = 100m, currency = "USD" }),
        ["GET /api/corporates/{corporateId}/budgets"] = (["csr", "manager", "auditor", "admin", "corporate-admin"], null),
        ["PUT /api/corporates/{corporateId}/templates/{code}"] = (CorporateWriters, new { name = "Engineer", allowedCategories = new[] { "data" } }),
        ["PUT /api/corporates/{corporateId}/members/{accountId:guid}/template"] = (CorporateWriters, new { template = "engineer" }),
        ["DELETE /api/corporates/{corporateId}/members/{accountId:guid}/template"] = (CorporateWriters, null),
        ["GET /api/corporates/{corporateId}/flagged-charges"] = (["csr", "manager", "auditor", "admin", "corporate-admin"], null),
        ["PUT /api/corporates/{corporateId}/nodes/{nodeId:guid}/billing"] = (CorporateWriters, new { mode = "parentPays", currency = "USD" }),
        ["POST /api/corporates/{corporateId}/nodes/{nodeId:guid}/bills"] = (["admin"], new { }),
        ["GET /api/corporates/{corporateId}/nodes/{nodeId:guid}/bills"] = (["csr", "manager", "auditor", "admin", "corporate-admin"], null),
        ["GET /api/corporates/{corporateId}/nodes/{nodeId:guid}/bills/{billId:guid}"] = (["csr", "manager", "auditor", "admin", "corporate-admin"], null),
        ["GET /api/corporates/{corporateId}/nodes/{nodeId:guid}/bills/{billId:guid}/document"] =
            (["csr", "manager", "auditor", "admin", "corporate-admin"], null),
        ["POST /api/corporates/{corporateId}/nodes/{nodeId:guid}/payments"] = (Desk, new { amount = 1m, method = "transfer" }),
        ["GET /api/corporates/{corporateId}/nodes/{nodeId:guid}/payments"] = (["csr", "manager", "auditor", "admin", "corporate-admin"], null),
        ["GET /api/corporates/{corporateId}/nodes/{nodeId:guid}/open-items"] = (["csr", "manager", "auditor", "admin", "corporate-admin"], null),
        ["PUT /api/corporates/{corporateId}/contact"] = (CorporateWriters, new { name = "Fleet", email = "fleet@example.org" }),
        ["GET /api/corporates/{corporateId}/limits"] = (["csr", "manager", "auditor", "admin"], null),
        ["PUT /api/corporates/{corporateId}/limits"] = (["admin"], new { limits = (object?)null, reason = "matrix" }),
        ["GET /api/corporates/{corporateId}/limits/history"] = (["csr", "manager", "auditor", "admin"], null),
        ["GET /api/corporates/{corporateId}/spend"] = (["csr", "manager", "auditor", "admin", "corporate-admin"], null),
        // The link in the completion notice is the credential: anyone holding it (a made-up one is a 404).
        ["GET /api/service-request-feedback/{token}"] = ([Anyone], null),
        ["POST /api/service-request-feedback/{token}"] = ([Anyone], new { rating = 5 }),
        // The link mailed to a new address is the proof: anyone holding it may confirm (a made-up token is a 400).
        ["POST /api/contact-confirmations"] = ([Anyone], new { token = "not-a-token" }),
    };

    /// <summary>A row's method and a concrete path for it: the given account, fresh ids for everything else.</summary>
    internal static (string Method, string Path) Request(string route, Guid accountId)
    {
        var (method, pattern) = (route.Split(' ')[0], route.Split(' ')[1]);
        return (method, pattern.Replace("{accountId:guid}", accountId.ToString())
            .Replace("{entryId:guid}", Guid.NewGuid().ToString()).Replace("{correctionId:guid}", Guid.NewGuid().ToString())
            .Replace("{disputeId:guid}", Guid.NewGuid().ToString()).Replace("{approvalId:guid}", Guid.NewGuid().ToString()).Replace("{statementId:guid}", Guid.NewGuid().ToString())
            .Replace("{paymentId:guid}", Guid.NewGuid().ToString()).Replace("{lineId:guid}", Guid.NewGuid().ToString())
            .Replace("{refundId:guid}", Guid.NewGuid().ToString()).Replace("{subscriptionId:guid}", Guid.NewGuid().ToString())
            .Replace("{deadLetterId:guid}", Guid.NewGuid().ToString()).Replace("{runId:guid}", Guid.NewGuid().ToString()).Replace("{day}", "2020-01-01")
            .Replace("{feeEntryId:guid}", Guid.NewGuid().ToString()).Replace("{requestId:guid}", Guid.NewGuid().ToString())
            .Replace("{brokerId}", "broker-matrix").Replace("{code}", "matrix-type").Replace("{documentId:guid}", Guid.NewGuid().ToString())
            .Replace("{token}", "not-a-token").Replace("{corporateId}", "matrix-corp").Replace("{nodeId:guid}", Guid.NewGuid().ToString())
            .Replace("{targetId:guid}", Guid.NewGuid().ToString()).Replace("{billId:guid}", Guid.NewGuid().ToString()));
    }

    private IEnumerable<(string Method, string Pattern)> AppEndpoints() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'))));

    [Fact]
    public void Every_endpoint_of_the_app_has_a_row_in_the_access_table_and_every_row_an_endpoint()
    {
        var actual = AppEndpoints().Select(e => $"{e.Method} {e.Pattern}").ToHashSet();
        actual.Should().BeEquivalentTo(Table.Keys.Concat(PortalAccessMatrixTests.Rows.Keys),
            "a new endpoint needs a row in this table (or the portal's) saying who may call it");
    }

    [Fact]
    public async Task Every_endpoint_answers_every_role_and_every_bad_token_as_the_table_says()
    {
        using var desk = app.ClientFor(TestUser.Csr());
        var failures = new List<string>();
        var callers = new Dictionary<string, string?>
        {
            ["no token"] = null,
            ["expired token"] = LedgerApp.Token(TestUser.Csr(), expires: DateTime.UtcNow.AddHours(-1)),
            ["forged token"] = LedgerApp.Token(TestUser.Manager(), key: Encoding.UTF8.GetBytes("some-other-key-some-other-key-some-other-key!!")),
            ["customer"] = LedgerApp.Token(TestUser.Customer("cust-matrix")),
            ["csr"] = LedgerApp.Token(TestUser.Csr()),
            ["manager"] = LedgerApp.Token(TestUser.Manager()),
            ["auditor"] = LedgerApp.Token(TestUser.Auditor()),
            ["admin"] = LedgerApp.Token(TestUser.Admin()),
            ["broker"] = LedgerApp.Token(TestUser.Broker("broker-matrix")),
            ["corporate-admin"] = LedgerApp.Token(TestUser.CorporateAdmin("cust-matrix")),
        };
        foreach (var scope in new[] { "ledger.read", "ledger.accounts.write", "ledger.charges.write", "ledger.payments.write" })
            callers[scope] = LedgerApp.TokenWith([new("sub", "matrix-system"), new("client_id", "matrix-system"), new("scope", scope)]);

        foreach (var (route, (allowed, body)) in Table)
        foreach (var (caller, token) in callers)
        {
            // A fresh account per call, owned by the customer above, so one call's effect never changes the next one's answer.
            var accountId = await desk.OpenAccount("cust-matrix");
            var (method, path) = Request(route, accountId);
            using var client = app.CreateClient();
            var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : JsonContent.Create(body) };
            if (token is not null)
                request.Headers.Authorization = new("Bearer", token);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var status = response.StatusCode;

            var expected = allowed.Contains(Anyone) ? "allowed"
                : token is null || caller.EndsWith("token") ? "401"
                : allowed.Contains(caller) ? "allowed" : "403";
            var ok = expected switch
            {
                "401" => status == HttpStatusCode.Unauthorized,
                "403" => status == HttpStatusCode.Forbidden,
                _ => status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)status < 500,
            };
            if (!ok)
                failures.Add($"{route} as {caller}: expected {expected}, got {(int)status}");
        }

        failures.Should().BeEmpty();
    }
}
