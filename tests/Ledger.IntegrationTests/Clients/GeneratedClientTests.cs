using System.Text.Json;
using FluentAssertions;
using Ledger.Client;
using Ledger.IntegrationTests.Harness;
using Xunit.Abstractions;

namespace Ledger.IntegrationTests.Clients;

/// <summary>
/// The clients an integrator generates from <c>clients/openapi/v1.json</c> work: one journey per role through the C#
/// client (NSwag, built with the solution) against the app in-process, and through the TypeScript client
/// (openapi-typescript + openapi-fetch, generated and compiled here) against the API as a real process.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class GeneratedClientTests(LedgerApp app, ITestOutputHelper output)
{
    private LedgerClient As(TestUser user) => new(app.ClientFor(user));

    [Fact]
    public async Task One_journey_per_role_through_the_generated_CSharp_client()
    {
        var customerId = $"cust-cs-{Guid.NewGuid():N}"[..20];
        var csr = As(TestUser.Csr("csr.csharp-client"));

        // CSR: open, charge, read with ETag, credit within limits with If-Match; a stale If-Match is a typed 412 problem.
        var opened = await csr.OpenAccountAsync(new OpenAccountRequest
        {
            CustomerId = customerId, HolderName = "Cee Sharp", Currency = "USD", BillingDay = 5,
            Address = new AddressBody { Line1 = "1 Typed Way", City = "Springfield", PostalCode = "12345", Country = "US" },
        }, idempotency_Key: $"cs-open-{customerId}");
        opened.StatusCode.Should().Be(201);
        opened.Headers.Should().ContainKey("Location");
        var accountId = opened.Result.AccountId;

        var charge = await csr.PostChargeAsync(accountId, new PostChargeRequest { Amount = 80.25m, Description = "Monthly plan", Category = "plan" });
        charge.StatusCode.Should().Be(201);
        var chargeId = charge.Result.EntryId!.Value;

        var account = await csr.GetAccountAsync(accountId);
        account.Result.Balance.Should().Be(80.25m);
        account.Result.Contact.Should().BeNull();
        var etag = account.Headers["ETag"].Single();

        var credit = await csr.IssueCreditAsync(accountId, new IssueCreditRequest { Amount = 5m, ReasonCode = "goodwill", Reason = "Late install" },
            if_Match: etag);
        credit.StatusCode.Should().Be(201);
        credit.Result.Balance.Should().Be(75.25m);

        var stale = await FluentActions.Awaiting(() => csr.IssueCreditAsync(accountId,
            new IssueCreditRequest { Amount = 1m, ReasonCode = "goodwill", Reason = "Stale" }, if_Match: etag)).Should().ThrowAsync<LedgerApiException<ProblemDetails>>();
        stale.Which.StatusCode.Should().Be(412);
        stale.Which.Result.Rule.Should().Be("version-mismatch");

        // Customer: their own account only, a dispute, a transfer to quote a reference for.
        var customer = As(TestUser.Customer(customerId));
        (await customer.SearchAccountsAsync()).Result.Items.Should().ContainSingle(a => a.Id == accountId);
        (await customer.ListEntriesAsync(accountId)).Result.Items.Should().Contain(e => e.EntryId == chargeId);
        (await customer.DisputeChargeAsync(accountId, new DisputeChargeRequest { EntryId = chargeId, Reason = "Never ordered" })).StatusCode.Should().Be(201);
        var transfer = await customer.StartPaymentAsync(accountId, new StartPaymentRequest { Amount = 20m, Method = PaymentMethod.Transfer },
            idempotency_Key: $"cs-pay-{customerId}");
        transfer.StatusCode.Should().Be(202);
        transfer.Result.Method.Should().Be(PaymentMethod.Transfer);
        transfer.Result.ReferenceToQuote.Should().StartWith("RF");
        var hidden = await FluentActions.Awaiting(() => As(TestUser.Customer("cust-someone-else")).GetAccountAsync(accountId))
            .Should().ThrowAsync<LedgerApiException<ProblemDetails>>();
        hidden.Which.StatusCode.Should().Be(404);

        // Manager: a CSR's credit over the limit arrives as the 202 the document declares, and is approved.
        var limits = (await csr.GetMyLimitsAsync()).Result;
        var pending = await FluentActions.Awaiting(() => csr.IssueCreditAsync(accountId,
                new IssueCreditRequest { Amount = limits.MaxSingleCredit + 1m, ReasonCode = "goodwill", Reason = "Over the limit" }))
            .Should().ThrowAsync<LedgerApiException<PendingResult>>();
        pending.Which.StatusCode.Should().Be(202);
        var approvalId = pending.Which.Result.ApprovalId;
        var manager = As(TestUser.Manager("mike.csharp-client"));
        (await manager.ListApprovalsAsync(status: "pending", accountId: accountId)).Result.Items.Should().Contain(a => a.Id == approvalId);
        (await manager.ApproveRequestAsync(approvalId, new ApproveRequest { Note = "Agreed" })).StatusCode.Should().Be(200);

        // Auditor: history and integrity, but no posting.
        var auditor = As(TestUser.Auditor("ann.csharp-client"));
        (await auditor.GetAccountHistoryAsync(accountId)).Result.Should().NotBeEmpty();
        (await auditor.VerifyAccountIntegrityAsync(accountId)).Result.Intact.Should().BeTrue();
        var forbidden = await FluentActions.Awaiting(() => auditor.PostChargeAsync(accountId,
            new PostChargeRequest { Amount = 1m, Description = "not theirs", Category = "plan" })).Should().ThrowAsync<LedgerApiException<ProblemDetails>>();
        forbidden.Which.StatusCode.Should().Be(403);

        // Admin: the policy with its ETag; a change needs If-Match (this shared database's policy is left as it is: the same
        // limits again are refused as unchanged, a stale version as 412).
        var admin = As(TestUser.Admin("ada.csharp-client"));
        var policy = await admin.GetPolicyAsync();
        var same = await FluentActions.Awaiting(() => admin.ChangePolicyAsync(
                new ChangePolicyRequest { Limits = policy.Result.Limits, Reason = "Re-affirmed by the C# journey" }, if_Match: policy.Headers["ETag"].Single()))
            .Should().ThrowAsync<LedgerApiException<ProblemDetails>>();
        same.Which.Result.Rule.Should().Be("policy-unchanged");
        var old = await FluentActions.Awaiting(() => admin.ChangePolicyAsync(
                new ChangePolicyRequest { Limits = policy.Result.Limits, Reason = "From an old copy" }, if_Match: "\"0\""))
            .Should().ThrowAsync<LedgerApiException<ProblemDetails>>();
        old.Which.StatusCode.Should().Be(412);
        (await admin.ListDeadLettersAsync()).StatusCode.Should().Be(200);

        // An in-house system (client credentials, scopes): a rating engine's usage in bulk, a bank feed's credit, a read.
        var system = new LedgerClient(SystemClient("billing-system", "ledger.read ledger.charges.write ledger.payments.write"));
        var bulk = await system.PostChargesInBulkAsync(new BulkChargesRequest
        {
            Items = [new BulkChargeItem { AccountId = accountId, IdempotencyKey = "usage-cs-1", Amount = 2.5m, Description = "Data, 1 GB", Category = "data" }],
        });
        bulk.Result.Applied.Should().Be(1);
        var bankCredit = await system.ApplyBankCreditAsync(new BankCreditItem
        {
            IdempotencyKey = $"bank-cs-{customerId}", AccountId = accountId, Amount = 10m, Currency = "USD", Method = "transfer", BankReference = "NTRY-CS-1",
        });
        bankCredit.StatusCode.Should().Be(201);
        (await system.GetAccountAsync(accountId)).Result.Balance.Should().Be(bankCredit.Result.Balance);
        var notForSystems = await FluentActions.Awaiting(() => system.IssueCreditAsync(accountId,
            new IssueCreditRequest { Amount = 1m, ReasonCode = "goodwill", Reason = "A system's idea" })).Should().ThrowAsync<LedgerApiException<ProblemDetails>>();
        notForSystems.Which.StatusCode.Should().Be(403);
    }

    private HttpClient SystemClient(string clientId, string scopes)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", LedgerApp.TokenWith([new("client_id", clientId), new("sub", clientId), new("scope", scopes)]));
        return client;
    }

    [Fact]
    public async Task One_journey_per_role_through_the_generated_TypeScript_client()
    {
        Tools.RequireTypeScriptPackages();
        var (built, buildOutput) = await Tools.RunAsync("npm", ["run", "build"], Tools.TypeScriptClient);
        built.Should().Be(0, $"the TypeScript client generates and compiles from clients/openapi/v1.json:\n{buildOutput}");

        await using var database = new ScratchDatabase("tsclient");
        await database.InitializeAsync();
        await using var api = new ApiProcess(database.ConnectionString);
        await api.StartAsync(TimeSpan.FromSeconds(90));
        var customerId = $"cust-ts-{Guid.NewGuid():N}"[..20];
        var tokens = new Dictionary<string, string>
        {
            ["csr"] = LedgerApp.Token(TestUser.Csr("csr.ts-client")),
            ["customer"] = LedgerApp.Token(TestUser.Customer(customerId)),
            ["manager"] = LedgerApp.Token(TestUser.Manager("mike.ts-client")),
            ["auditor"] = LedgerApp.Token(TestUser.Auditor("ann.ts-client")),
            ["admin"] = LedgerApp.Token(TestUser.Admin("ada.ts-client")),
            ["system"] = LedgerApp.TokenWith([new("client_id", "billing-system"), new("scope", "ledger.read ledger.charges.write ledger.payments.write")]),
        };
        var (exit, journeys) = await Tools.RunAsync("node", ["dist/journeys.js"], Tools.TypeScriptClient, new Dictionary<string, string>
        {
            ["LEDGER_URL"] = api.BaseAddress.ToString().TrimEnd('/'),
            ["LEDGER_TOKENS"] = JsonSerializer.Serialize(tokens),
            ["LEDGER_CUSTOMER_ID"] = customerId,
        });
        output.WriteLine(journeys);
        exit.Should().Be(0, journeys);
        journeys.Should().Contain("all journeys passed");
    }
}
