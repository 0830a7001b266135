using System.Net;
using Ledger.IntegrationTests.Harness;
using Ledger.IntegrationTests.Portal;

namespace Ledger.IntegrationTests.Access;

/// <summary>
/// The portal's pages × every role, signed in the way a browser is (the demo sign-in form and its cookie). Anonymous
/// visitors are sent to the sign-in page; a signed-in role a page is not for gets a 403. Part of the endpoint table
/// in <see cref="AccessMatrixTests"/>: a page added without a row here fails there.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class PortalAccessMatrixTests(LedgerApp app)
{
    private const string Anyone = "anonymous";
    private static readonly string[] Everyone = ["customer", "csr", "manager", "auditor", "admin", "broker", "corporate-admin"];
    private static readonly string[] Readers = ["customer", "csr", "manager", "auditor"];
    private static readonly string[] SelfService = ["customer", "csr", "manager"];
    private static readonly string[] Desk = ["csr", "manager"];
    private static readonly string[] Staff = ["csr", "manager", "auditor"];
    private static readonly string[] RequestReaders = ["customer", "csr", "manager", "auditor", "admin"];

    public static readonly Dictionary<string, string[]> Rows = new()
    {
        ["GET /"] = [Anyone],
        ["GET /portal/sign-in"] = [Anyone],
        ["GET /portal/confirm-email"] = [Anyone],
        ["GET /portal/portal.css"] = [Anyone],
        ["GET /portal"] = Everyone,
        ["GET /portal/my"] = ["customer"],
        ["GET /portal/accounts/{accountId:guid}"] = Readers,
        ["GET /portal/accounts/{accountId:guid}/entries/{entryId:guid}/dispute"] = SelfService,
        ["GET /portal/accounts/{accountId:guid}/statements"] = Readers,
        ["GET /portal/accounts/{accountId:guid}/statements/{statementId:guid}/pdf"] = Readers,
        ["GET /portal/accounts/{accountId:guid}/pay"] = SelfService,
        ["GET /portal/accounts/{accountId:guid}/refund"] = SelfService,
        ["GET /portal/accounts/{accountId:guid}/payments/{paymentId:guid}"] = Readers,
        ["GET /portal/accounts/{accountId:guid}/profile"] = SelfService,
        ["GET /portal/accounts/{accountId:guid}/post"] = Desk,
        ["GET /portal/accounts/{accountId:guid}/history"] = Staff,
        ["GET /portal/desk"] = Staff,
        ["GET /portal/approvals"] = Staff,
        ["GET /portal/bank-lines"] = Desk,
        ["GET /portal/requests"] = ["customer"],
        ["GET /portal/accounts/{accountId:guid}/requests/new"] = SelfService,
        ["GET /portal/request-types/{code}"] = RequestReaders,
        ["GET /portal/requests/{requestId:guid}"] = SelfService,
        ["GET /portal/requests/{requestId:guid}/documents/{documentId:guid}"] = RequestReaders,
        ["GET /portal/requests/{requestId:guid}/proof"] = RequestReaders,
        // The completion notice's feedback link: the token is the credential.
        ["GET /portal/feedback"] = [Anyone],
        ["GET /portal/desk/requests"] = Desk,
        ["GET /portal/desk/requests/{requestId:guid}"] = Desk,
        ["GET /portal/book"] = ["broker"],
        // Server-sent events: the status is in the headers (the stream is read by BrokerLiveTests).
        ["GET /portal/book/changes"] = ["broker"],
        // A corporate admin's tree, spend report and its CSV (the matrix's admin has no tree: a readable 404 or a ProblemDetails 404).
        ["GET /portal/corporate"] = ["corporate-admin"],
        ["GET /portal/corporate/spend"] = ["corporate-admin"],
        ["GET /portal/corporate/spend.csv"] = ["corporate-admin"],
        // The admin console.
        ["GET /portal/admin"] = ["admin"],
        ["GET /portal/admin/policy"] = ["admin"],
        ["GET /portal/admin/policy/simulation"] = ["admin"],
        ["GET /portal/admin/statement-runs"] = ["admin"],
        ["GET /portal/admin/dead-letters"] = ["admin"],
    };

    [Fact]
    public async Task Every_portal_page_answers_every_role_signed_in_by_cookie_as_the_table_says()
    {
        using var desk = app.ClientFor(TestUser.Csr());
        var callers = new Dictionary<string, HttpClient>
        {
            [Anyone] = Browser(),
            ["customer"] = await SignedIn("cara", "customer", "cust-matrix"),
            ["csr"] = await SignedIn("carol.csr", "csr"),
            ["manager"] = await SignedIn("mike.manager", "manager"),
            ["auditor"] = await SignedIn("ann.auditor", "auditor"),
            ["admin"] = await SignedIn("ada.admin", "admin"),
            ["broker"] = await PortalClient.SignedInAsync(app, "bea.broker", "broker", brokerId: "broker-matrix"),
            ["corporate-admin"] = await PortalClient.SignedInAsync(app, "cora.corporate", "corporate-admin", corporateId: "cust-matrix"),
        };
        var failures = new List<string>();
        foreach (var (route, allowed) in Rows)
        foreach (var (caller, client) in callers)
        {
            var accountId = await desk.OpenAccount("cust-matrix");
            var path = route.Split(' ')[1].Replace("{accountId:guid}", accountId.ToString())
                .Replace("{entryId:guid}", Guid.NewGuid().ToString()).Replace("{statementId:guid}", Guid.NewGuid().ToString())
                .Replace("{paymentId:guid}", Guid.NewGuid().ToString()).Replace("{requestId:guid}", Guid.NewGuid().ToString())
                .Replace("{documentId:guid}", Guid.NewGuid().ToString()).Replace("{code}", "address-change");
            using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            var status = response.StatusCode;
            var toSignIn = status == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.Contains("/portal/sign-in") == true;
            var expected = allowed.Contains(Anyone) || allowed.Contains(caller) ? "allowed" : caller == Anyone ? "sign-in" : "403";
            var ok = expected switch
            {
                "sign-in" => toSignIn,
                "403" => status == HttpStatusCode.Forbidden,
                _ => !toSignIn && status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)status < 500,
            };
            if (!ok)
                failures.Add($"{route} as {caller}: expected {expected}, got {(int)status} {response.Headers.Location}");
        }
        failures.Should().BeEmpty();
    }

    [Fact]
    public async Task A_portal_form_posted_without_its_antiforgery_token_is_refused_and_changes_nothing()
    {
        using var desk = app.ClientFor(TestUser.Csr());
        var accountId = await desk.OpenAccount("cust-forgery");
        var customer = await SignedIn("cara", "customer", "cust-forgery");
        var response = await customer.PostAsync($"/portal/accounts/{accountId}/pay", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["amount"] = "10", ["method"] = "transfer",
        }));
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await desk.Version(accountId)).Should().Be(1, "nothing was appended");
    }

    [Fact]
    public async Task The_api_never_accepts_the_portal_cookie()
    {
        var csr = await SignedIn("carol.csr", "csr");
        (await csr.GetAsync("/api/accounts")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    private HttpClient Browser() => PortalClient.Anonymous(app);

    private Task<HttpClient> SignedIn(string name, string role, string? customerId = null) => PortalClient.SignedInAsync(app, name, role, customerId);
}
