using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Access;

/// <summary>
/// A credential is a customer's or staff's, never both, and a customer's always names one well-formed customer id
/// (docs/security.md, "Roles and scopes"). Every other token is refused on every route with a ProblemDetails naming the
/// rule, and appends nothing; before the rule, an auditor+customer token read every account and paid on other
/// customers' accounts, and a blank customer id listed every account.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class MixedIdentityTests(LedgerApp app)
{
    public static TheoryData<string, string> Incoherent => new()
    {
        { "customer+auditor", "mixed-customer-and-staff-token" },
        { "customer+admin", "mixed-customer-and-staff-token" },
        { "customer+csr", "mixed-customer-and-staff-token" },
        { "customer+manager", "mixed-customer-and-staff-token" },
        { "csr with a customer_id", "mixed-customer-and-staff-token" },
        { "customer with a blank customer_id", "customer-id-missing-or-invalid" },
        { "customer without customer_id", "customer-id-missing-or-invalid" },
        { "customer with two customer_ids", "customer-id-missing-or-invalid" },
        { "customer with a NUL in customer_id", "customer-id-missing-or-invalid" },
        { "broker+csr", "mixed-broker-token" },
        { "csr with a broker_id", "mixed-broker-token" },
        { "broker with a customer_id", "mixed-broker-token" },
        { "broker without broker_id", "broker-id-missing-or-invalid" },
        { "broker with two broker_ids", "broker-id-missing-or-invalid" },
        { "corporate-admin+manager", "mixed-corporate-admin-token" },
        { "customer with a corporate_id", "mixed-corporate-admin-token" },
        { "corporate-admin without corporate_id", "corporate-id-missing-or-invalid" },
        { "corporate-admin with two corporate_nodes", "corporate-id-missing-or-invalid" },
        { "corporate-admin with a corporate_node that is no node id", "corporate-id-missing-or-invalid" },
        { "no ledger role", "token-without-ledger-role" },
        { "no subject", "token-without-subject" },
        // ledger.* scopes are a system's (client credentials); a person's token never carries them, whatever an issuer allows.
        { "csr with a ledger scope", "person-token-with-client-scopes" },
        { "customer with a ledger scope", "person-token-with-client-scopes" },
        { "a person's token an app obtained with a ledger scope", "person-token-with-client-scopes" },
        { "ledger scope without a client id", "client-token-without-client-id" },
        { "ledger scope with a card number for client id", "client-token-without-client-id" },
    };

    private static string TokenFor(string kind)
    {
        Claim Role(string role) => new("role", role);
        Claim Customer(string id) => new("customer_id", id);
        Claim Broker(string id) => new("broker_id", id);
        var subject = new Claim("sub", "mallory");
        Claim Scope(string scope) => new("scope", scope);
        Claim ClientId(string id) => new("client_id", id);
        Claim[] claims = kind switch
        {
            "customer+auditor" => [subject, Role("customer"), Role("auditor"), Customer("cust-mixed")],
            "customer+admin" => [subject, Role("customer"), Role("admin"), Customer("cust-mixed")],
            "customer+csr" => [subject, Role("customer"), Role("csr"), Customer("cust-mixed")],
            "customer+manager" => [subject, Role("manager"), Role("customer"), Customer("cust-mixed")],
            "csr with a customer_id" => [subject, Role("csr"), Customer("cust-mixed")],
            "customer with a blank customer_id" => [subject, Role("customer"), Customer("   ")],
            "customer without customer_id" => [subject, Role("customer")],
            "customer with two customer_ids" => [subject, Role("customer"), Customer("cust-mixed"), Customer("cust-other")],
            "customer with a NUL in customer_id" => [subject, Role("customer"), Customer("cust\0mixed")],
            "broker+csr" => [subject, Role("broker"), Role("csr"), Broker("broker-x")],
            "csr with a broker_id" => [subject, Role("csr"), Broker("broker-x")],
            "broker with a customer_id" => [subject, Role("broker"), Broker("broker-x"), Customer("cust-mixed")],
            "broker without broker_id" => [subject, Role("broker")],
            "broker with two broker_ids" => [subject, Role("broker"), Broker("broker-x"), Broker("broker-y")],
            "corporate-admin+manager" => [subject, Role("corporate-admin"), Role("manager"), new("corporate_id", "acme")],
            "customer with a corporate_id" => [subject, Role("customer"), Customer("cust-mixed"), new("corporate_id", "acme")],
            "corporate-admin without corporate_id" => [subject, Role("corporate-admin")],
            "corporate-admin with two corporate_nodes" =>
                [subject, Role("corporate-admin"), new("corporate_id", "acme"), new("corporate_node", Guid.NewGuid().ToString()), new("corporate_node", Guid.NewGuid().ToString())],
            "corporate-admin with a corporate_node that is no node id" => [subject, Role("corporate-admin"), new("corporate_id", "acme"), new("corporate_node", "../x")],
            "no ledger role" => [subject, Role("payroll")],
            "no subject" => [Role("csr")],
            "csr with a ledger scope" => [subject, Role("csr"), ClientId("mallory"), Scope("ledger.read")],
            "customer with a ledger scope" => [subject, Role("customer"), Customer("cust-mixed"), ClientId("mallory"), Scope("ledger.charges.write")],
            "a person's token an app obtained with a ledger scope" => [subject, ClientId("some-app"), Scope("ledger.read ledger.charges.write")],
            "ledger scope without a client id" => [subject, Scope("ledger.read")],
            "ledger scope with a card number for client id" => [ClientId("4111111111111111"), Scope("ledger.read")],
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        return LedgerApp.TokenWith(claims);
    }

    [Theory]
    [MemberData(nameof(Incoherent))]
    public async Task Given_an_incoherent_token_When_it_calls_any_route_Then_403_naming_the_rule_and_nothing_is_appended(string kind, string rule)
    {
        using var desk = app.ClientFor(TestUser.Csr());
        var mine = await desk.OpenAccount("cust-mixed");
        var theirs = await desk.OpenAccount("cust-victim");
        var token = TokenFor(kind);
        var failures = new List<string>();

        foreach (var (route, (allowed, body)) in AccessMatrixTests.Table)
        foreach (var account in new[] { mine, theirs })
        {
            var (method, path) = AccessMatrixTests.Request(route, account);
            using var client = app.CreateClient();
            var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Authorization = new("Bearer", token);
            using var response = await client.SendAsync(request);
            if (allowed.Contains(AccessMatrixTests.Anyone))
            {
                // Open routes treat such a caller as anyone else: never refused for who it claims to be, never a 5xx.
                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || (int)response.StatusCode >= 500)
                    failures.Add($"{route}: open to anyone, got {(int)response.StatusCode}");
                continue;
            }
            var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? await response.Body() : null;
            if (response.StatusCode != HttpStatusCode.Forbidden || problem?["rule"]?.GetValue<string>() != rule)
                failures.Add($"{route}: expected 403 {rule}, got {(int)response.StatusCode} {problem?["rule"]}");
        }

        failures.Should().BeEmpty();
        (await app.Events(mine)).Select(e => e.Type).Should().Equal("account_opened");
        (await app.Events(theirs)).Select(e => e.Type).Should().Equal("account_opened");
    }

    [Fact]
    public async Task Given_a_customer_token_with_a_blank_customer_id_When_it_searches_Then_it_is_refused_not_shown_every_account()
    {
        using var desk = app.ClientFor(TestUser.Csr());
        await desk.OpenAccount("cust-someone");
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TokenFor("customer with a blank customer_id"));

        using var response = await client.GetAsync("/api/accounts?pageSize=100");

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Body())["rule"]!.GetValue<string>().Should().Be("customer-id-missing-or-invalid");
    }

    [Fact]
    public async Task Given_staff_holding_several_staff_roles_When_they_act_Then_the_most_privileged_role_acts_and_sees_every_account()
    {
        using var desk = app.ClientFor(TestUser.Csr());
        var account = await desk.OpenAccount("cust-multi-staff");
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", LedgerApp.TokenWith([new("sub", "morgan"), new("role", "csr"), new("role", "manager")]));

        (await client.GetAsync($"/api/accounts/{account}")).StatusCode.Should().Be(HttpStatusCode.OK);
        var me = await (await client.GetAsync("/api/me/limits")).Body();

        me["role"]!.GetValue<string>().Should().Be("manager");
    }
}
