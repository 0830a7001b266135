using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Approvals;

/// <summary>The model test's own application, database and clock: it changes the policy and moves time.</summary>
public sealed class ModelApp : LedgerApp;

/// <summary>
/// Random sequences of every money command by every role — charges, payments (the desk's cash and terminal cards at
/// once; customers' cards through the processor stand-in, accepted, declined or charged back there and settled, failed or reversed by its
/// webhooks; transfers and checks left clearing; customers held to what they owe plus the prepayment allowance), credits (customers', CSRs', managers'
/// with and without an override reason), corrections and their reversals, disputes, approvals and rejections of
/// CSRs' and customers' requests, policy changes, time passing days and months — run against the service and against
/// <see cref="MoneyModel"/>. After every step the service's answer is the one the model predicts, and both agree on
/// each account's balance and pending requests; so no path applies a credit or correction past a limit. A failure
/// names its seed: LEDGER_MODEL_SEED=&lt;seed&gt; replays exactly that run.
/// </summary>
public sealed class MoneyRulesModelTests(ModelApp app) : IClassFixture<ModelApp>
{
    private const int Steps = 250;
    private readonly Dictionary<string, int> _taken = [];

    private void Took(string kind) => _taken[kind] = _taken.GetValueOrDefault(kind) + 1;

    [Fact]
    public async Task Given_random_commands_by_every_role_Then_the_service_agrees_with_the_model_after_every_step()
    {
        var seeds = int.TryParse(Environment.GetEnvironmentVariable("LEDGER_MODEL_SEED"), out var one) ? [one] : Enumerable.Range(1, 8).ToArray();
        foreach (var seed in seeds)
            await RunAsync(seed);
        if (seeds.Length > 1)
            _taken.Should().ContainKeys(["refund issued", "refund settled", "refund returned", "bank settled", "bank returned"],
                "the runs reach every kind of step the model knows");
    }

    private async Task RunAsync(int seed)
    {
        var random = new Random(seed);
        var log = new List<string>();
        var model = new MoneyModel();
        var now = DateTimeOffset.UtcNow;
        // Start each run at noon UTC; every step of time below adds whole hours and one second, so no decision ever
        // sits within a second of midnight, of a request's expiry or of a credit's 30th day.
        app.Clock.Offset = now.Date.AddHours(12) - now + TimeSpan.FromDays(seed * 400);
        var csrs = new[] { $"csr-{seed}-a", $"csr-{seed}-b" };
        var managers = new[] { $"mgr-{seed}-a", $"mgr-{seed}-b", $"mgr-{seed}-c" };
        var clients = csrs.Select(u => (u, "csr")).Concat(managers.Select(u => (u, "manager")))
            .ToDictionary(p => p.u, p => (Role: p.Item2, Client: app.ClientFor(new TestUser(p.u, [p.Item2]))));
        using var admin = app.ClientFor(TestUser.Admin($"admin-{seed}"));
        using var desk = app.ClientFor(TestUser.Csr($"desk-{seed}"));
        var reset = await admin.PutAsJsonAsync("/api/policy", model.Policy.Body($"model run {seed}"));
        (reset.IsSuccessStatusCode || (await reset.Content.ReadAsStringAsync()).Contains("policy-unchanged")).Should().BeTrue("the run starts from the default limits");
        var accounts = new List<AccountModel>();
        var customers = new Dictionary<string, HttpClient>();
        for (var i = 0; i < 2; i++)
        {
            var customer = $"model-{seed}-{i}";
            accounts.Add(new AccountModel(await desk.OpenAccount(customer), customer));
            customers[customer] = app.ClientFor(TestUser.Customer(customer));
        }

        try
        {
            for (var step = 1; step <= Steps; step++)
            {
                var account = accounts[random.Next(accounts.Count)];
                var entry = account.Entries.Count == 0 ? null : account.Entries.Values.ElementAt(random.Next(account.Entries.Count));
                var at = app.Clock.GetUtcNow();
                string what;
                switch (random.Next(100))
                {
                    case < 12:
                    {
                        var (user, role, client) = Pick(random, clients);
                        var amount = Money(random, 1m, 300m);
                        what = $"{user} charges {amount}";
                        var body = await Expect(client.PostAsJsonAsync($"/api/accounts/{account.Id}/charges", new { amount, description = "Usage", category = "usage" }),
                            Expected.Ok, what);
                        account.Balance += amount;
                        account.Entries[Id(body)] = new EntryModel(Id(body), EntryKindModel.Charge, amount);
                        break;
                    }
                    case < 20:
                    {
                        var byCustomer = random.Next(2) == 0;
                        var method = new[] { "card", "transfer", "check", "cash" }[random.Next(4)];
                        var amount = random.Next(5) == 0 ? Money(random, 300m, 1_500m) : Money(random, 1m, 200m);
                        var client = byCustomer ? customers[account.CustomerId] : desk;
                        what = $"{(byCustomer ? "customer" : "desk")} pays {amount} by {method}";
                        var expected = MoneyModel.Payment(account, byCustomer, method, amount);
                        var body = await Expect(client.PostAsJsonAsync($"/api/accounts/{account.Id}/payments", !byCustomer && method == "card"
                            ? new { amount, method, reference = (string?)"M-1", cardBrand = (string?)"visa", cardLast4 = (string?)"4242" }
                            : new { amount, method, reference = (string?)"M-1", cardBrand = (string?)null, cardLast4 = (string?)null }), expected, what);
                        if (expected == Expected.Ok)
                        {
                            account.Balance -= amount;
                            account.Entries[Id(body)] = new EntryModel(Id(body), EntryKindModel.Payment, amount);
                        }
                        else if (expected == Expected.Clearing)
                            account.PendingPayments[body["paymentId"]!.GetValue<Guid>()] = (amount, body["paymentPageUrl"]?.GetValue<string>());
                        break;
                    }
                    case < 22 when account.PendingPayments.Any(p => p.Value.PageUrl is null):
                    {
                        // The bank's statement shows a pending check or transfer: for its amount (settled), or for another one
                        // (queued; the desk may then settle it as what arrived, and the pending payment fails).
                        var bankPending = account.PendingPayments.Where(p => p.Value.PageUrl is null).ToList();
                        var (paymentId, (amount, _)) = bankPending[random.Next(bankPending.Count)];
                        var arrives = random.Next(3) == 0 ? amount + Money(random, 0.01m, 20m) : amount;
                        var assign = random.Next(2) == 0;
                        what = $"the bank's statement shows {arrives} for payment {paymentId} of {amount}{(arrives != amount && assign ? ", the desk assigns it" : "")}";
                        var file = new BankFiles(seed: random.Next(1, int.MaxValue)).Line(BankLineSpec.Transfer(arrives, Domain.Payments.BankReferences.For(paymentId)));
                        var imported = await Expect(clients[managers[0]].Client.ImportBankFile(file), Expected.Ok, what);
                        var line = imported["lines"]!.AsArray().Single()!;
                        line["outcome"]!.GetValue<string>().Should().Be(arrives == amount ? "settled" : "queued", what);
                        if (arrives == amount)
                        {
                            account.PendingPayments.Remove(paymentId);
                            account.Balance -= amount;
                            account.Entries[paymentId] = new EntryModel(paymentId, EntryKindModel.Payment, amount);
                            account.SettledByBank[paymentId] = Domain.Payments.BankReferences.For(paymentId);
                            Took("bank settled");
                        }
                        else if (assign)
                        {
                            var lineView = await Expect(desk.PostAsJsonAsync($"/api/bank-statements/lines/{line["lineId"]}/assignment",
                                new { accountId = account.Id, paymentId, note = "Model" }), Expected.Ok, what);
                            var received = lineView["paymentId"]!.GetValue<Guid>();
                            account.PendingPayments.Remove(paymentId);
                            account.Balance -= arrives;
                            account.Entries[received] = new EntryModel(received, EntryKindModel.Payment, arrives);
                            account.SettledByBank[received] = Domain.Payments.BankReferences.For(paymentId);
                        }
                        break;
                    }
                    case < 23 when account.SettledByBank.Count > 0:
                    {
                        // The bank returns one of them: owed again, with the 15 USD returned-payment fee.
                        var (paymentId, quoted) = account.SettledByBank.ElementAt(random.Next(account.SettledByBank.Count));
                        var returned = account.Entries[paymentId].Remaining;
                        what = $"the bank returns payment {paymentId} ({returned} left of it)";
                        var file = new BankFiles(seed: random.Next(1, int.MaxValue))
                            .Line(BankLineSpec.ReturnedTransfer(returned, quoted, "AM04"));
                        var imported = await Expect(clients[managers[0]].Client.ImportBankFile(file), Expected.Ok, what);
                        var line = imported["lines"]!.AsArray().Single()!;
                        account.SettledByBank.Remove(paymentId);
                        if (returned == 0m || !account.Entries[paymentId].Kind.Equals(EntryKindModel.Payment))
                        {
                            line["outcome"]!.GetValue<string>().Should().Be("queued", what);
                            break;
                        }
                        line["outcome"]!.GetValue<string>().Should().Be("returned", what);
                        Took("bank returned");
                        account.Entries[paymentId].Remaining = 0m;
                        account.Balance += returned + 15m;
                        var fee = Domain.Accounts.Paying.ReversePayment.FeeEntryId(Domain.BankStatements.BankLine.ReversalIdFor(line["lineId"]!.GetValue<Guid>()));
                        account.Entries[fee] = new EntryModel(fee, EntryKindModel.Charge, 15m);
                        break;
                    }
                    case < 24 when account.PendingPayments.Any(p => p.Value.PageUrl is not null):
                    {
                        // The customer types a card on the processor's page: accepted (the webhook settles the payment) or declined.
                        var (paymentId, (amount, page)) = account.PendingPayments.Where(p => p.Value.PageUrl is not null).ElementAt(0);
                        // Accepted, declined, or accepted and then disputed by the card holder (a chargeback: the money goes back).
                        var outcome = new[] { "settled", "settled", "failed", "charged-back" }[random.Next(4)];
                        what = $"the processor's answer to card payment {paymentId} of {amount}: {outcome}";
                        await app.Processor.PayAsync(page!, outcome switch
                        {
                            "settled" => "4242 4242 4242 4242", "failed" => "4000 0000 0000 0002", _ => "4000 0000 0000 0259",
                        });
                        (await PaymentStatus(customers[account.CustomerId], account.Id, paymentId, outcome)).Should().Be(outcome, what);
                        account.PendingPayments.Remove(paymentId);
                        if (outcome == "settled")
                        {
                            account.Balance -= amount;
                            account.Entries[paymentId] = new EntryModel(paymentId, EntryKindModel.Payment, amount);
                        }
                        else if (outcome == "charged-back")
                            account.Entries[paymentId] = new EntryModel(paymentId, EntryKindModel.Payment, amount) { Remaining = 0m };
                        break;
                    }
                    case < 26 when account.RefundableCredit > 0m:
                    {
                        // The desk pays back part of a credit balance by transfer (the limits of a credit apply; a refund over
                        // them waits for approval, which this model leaves to the credit steps, so such a step is not taken).
                        var (user, role, client) = Pick(random, clients);
                        var refundable = account.RefundableCredit;
                        var amount = random.Next(5) == 0 ? refundable + 0.01m : Money(random, 0.01m, refundable);
                        var expected = amount > refundable ? Expected.Refused("refund-exceeds-credit-balance") : model.Credit(account, user, role, amount, true, at);
                        what = $"{user} ({role}) refunds {amount} of {refundable} by transfer";
                        if (expected.Outcome == "pending" || expected == Expected.Refused("duplicate-pending-request"))
                        {
                            what += " (over the limits: not taken)";
                            break;
                        }
                        if (expected == Expected.Ok)
                            expected = Expected.Clearing;
                        var body = await Expect(client.PostAsJsonAsync($"/api/accounts/{account.Id}/refunds",
                            new { amount, reason = "Model", destinationAccount = "GB82 WEST 1234 5698 7654 32", overrideReason = "Customer leaving" }), expected, what);
                        if (expected == Expected.Clearing)
                        {
                            model.Draw(user, at, amount);
                            account.PendingRefunds[body["refundId"]!.GetValue<Guid>()] = (amount, body["reference"]!.GetValue<string>());
                            Took("refund issued");
                        }
                        break;
                    }
                    case < 27 when account.PendingRefunds.Count > 0:
                    {
                        // The bank's statement shows the refund left, or the money coming back (the payee's account closed).
                        var (refundId, (amount, reference)) = account.PendingRefunds.ElementAt(random.Next(account.PendingRefunds.Count));
                        var comesBack = random.Next(3) == 0;
                        what = $"the bank's statement shows refund {refundId} of {amount} {(comesBack ? "returned" : "sent")}";
                        var file = new BankFiles(seed: random.Next(1, int.MaxValue)).Line(comesBack
                            ? new BankLineSpec(amount) { CreditorReference = reference, ReturnReasonCode = "AC04", SubFamily = "RRTN" }
                            : new BankLineSpec(amount, Credit: false) { CreditorReference = reference, Family = "ICDT", SubFamily = "ESCT" });
                        var imported = await Expect(clients[managers[0]].Client.ImportBankFile(file), Expected.Ok, what);
                        imported["lines"]!.AsArray().Single()!["outcome"]!.GetValue<string>().Should().Be(comesBack ? "refund-returned" : "refund-settled", what);
                        account.PendingRefunds.Remove(refundId);
                        Took(comesBack ? "refund returned" : "refund settled");
                        if (!comesBack)
                            account.Balance += amount; // a line of its own, never corrected: not among the entries the model corrects
                        break;
                    }
                    case < 50:
                    {
                        var customerAsks = random.Next(4) == 0;
                        var (user, role, client) = customerAsks ? (account.CustomerId, "customer", customers[account.CustomerId]) : Pick(random, clients);
                        var amount = Near(random, customerAsks ? model.Policy.Csr.SingleCredit : model.Policy.For(role).SingleCredit);
                        var overrideReason = random.Next(2) == 0 ? "Service failure, manager override" : null;
                        what = $"{user} ({role}) credits {amount}{(overrideReason is null ? "" : " with an override reason")}";
                        var expected = model.Credit(account, user, role, amount, overrideReason is not null, at);
                        var body = await Expect(client.PostAsJsonAsync($"/api/accounts/{account.Id}/credits",
                            new { amount, reasonCode = "goodwill", reason = "Model", overrideReason }), expected, what);
                        if (expected == Expected.Ok)
                        {
                            ApplyCredit(account, Id(body), amount, at);
                            model.Draw(user, at, amount);
                        }
                        else if (expected.Outcome == "pending")
                            AddRequest(model, account, body, true, amount, null, user, role, expected.Rule!, at);
                        break;
                    }
                    case < 62 when entry is not null:
                    {
                        var (user, role, client) = Pick(random, clients);
                        var amount = random.Next(3) == 0 ? Money(random, 0.01m, entry.Remaining + 20m) : Near(random, Math.Min(entry.Remaining, model.Policy.For(role).SingleCorrection));
                        var overrideReason = random.Next(2) == 0 ? "Billing error, manager override" : null;
                        what = $"{user} ({role}) corrects {entry.Kind} {entry.Id} (remaining {entry.Remaining}) by {amount}";
                        var expected = model.Correction(account, user, role, entry, amount, overrideReason is not null, at);
                        var body = await Expect(client.PostAsJsonAsync($"/api/accounts/{account.Id}/corrections",
                            new { entryId = entry.Id, amount, reason = "Model", overrideReason }), expected, what);
                        if (expected == Expected.Ok)
                            ApplyCorrection(account, Id(body), entry, amount);
                        else if (expected.Outcome == "pending")
                            AddRequest(model, account, body, false, amount, entry.Id, user, role, expected.Rule!, at);
                        break;
                    }
                    case < 67 when account.Corrections.Count > 0:
                    {
                        var correction = account.Corrections.Values.ElementAt(random.Next(account.Corrections.Count));
                        what = $"reverse correction {correction.Id}";
                        var expected = correction.Reversed ? Expected.Refused("correction-already-reversed") : Expected.Ok;
                        await Expect(desk.PostAsJsonAsync($"/api/accounts/{account.Id}/corrections/{correction.Id}/reversal", new { reason = "Model" }), expected, what);
                        if (expected == Expected.Ok)
                        {
                            correction.Reversed = true;
                            var corrected = account.Entries[correction.EntryId];
                            corrected.Remaining += correction.Amount;
                            account.Balance += corrected.Kind == EntryKindModel.Charge ? correction.Amount : -correction.Amount;
                        }
                        break;
                    }
                    case < 72 when entry is not null:
                    {
                        what = $"dispute {entry.Kind} {entry.Id}";
                        var expected = entry.Kind != EntryKindModel.Charge ? Expected.Refused("only-charges-can-be-disputed")
                            : entry.OpenDispute is not null ? Expected.Refused("charge-already-disputed") : Expected.Ok;
                        if (entry.OpenDispute is { } open && random.Next(2) == 0)
                        {
                            what = $"resolve dispute {open}";
                            await Expect(desk.PostAsJsonAsync($"/api/accounts/{account.Id}/disputes/{open}/resolution",
                                new { outcome = random.Next(2) == 0 ? "upheld" : "rejected", note = "Model" }), Expected.Ok, what);
                            entry.OpenDispute = null;
                            break;
                        }
                        var body = await Expect(customers[account.CustomerId].PostAsJsonAsync($"/api/accounts/{account.Id}/disputes",
                            new { entryId = entry.Id, reason = "Model" }), expected, what);
                        if (expected == Expected.Ok)
                            entry.OpenDispute = Id(body);
                        break;
                    }
                    case < 90 when account.Pending.Count > 0:
                    {
                        var request = account.Pending.Values.ElementAt(random.Next(account.Pending.Count));
                        var (user, role, client) = random.Next(5) == 0 && clients.TryGetValue(request.RequestedBy, out var requester)
                            ? (request.RequestedBy, requester.Role, requester.Client) : Pick(random, clients);
                        var approve = random.Next(4) != 0;
                        what = $"{user} ({role}) {(approve ? "approves" : "rejects")} {(request.IsCredit ? "credit" : "correction")} request " +
                               $"{request.Amount} by {request.RequestedBy} ({request.RequestedRole}, needs {request.Required}, has {request.ApprovedBy.Count})";
                        var expected = model.Decide(account, request, user, role, approve, at);
                        var body = await Expect(client.PostAsJsonAsync($"/api/approvals/{request.Id}/{(approve ? "approve" : "reject")}",
                            approve ? (object)new { note = "Model" } : new { reason = "Model" }), expected, what);
                        if (expected != Expected.Ok)
                            break;
                        if (!approve)
                            account.Pending.Remove(request.Id);
                        else if (request.ApprovedBy.Count + 1 < request.Required)
                            request.ApprovedBy.Add(user);
                        else
                        {
                            account.Pending.Remove(request.Id);
                            if (request.IsCredit)
                            {
                                ApplyCredit(account, Id(body), request.Amount, at);
                                if (role == "csr")
                                    model.Draw(user, at, request.Amount);
                            }
                            else
                                ApplyCorrection(account, Id(body), account.Entries[request.EntryId!.Value], request.Amount);
                        }
                        break;
                    }
                    case < 94:
                    {
                        var csr = new RoleLimitsModel(Money(random, 20m, 200m), Money(random, 20m, 300m), Money(random, 100m, 600m), Money(random, 100m, 500m));
                        var manager = new RoleLimitsModel(csr.SingleCredit * 5, csr.SingleCorrection * 5, csr.Daily * 10, csr.Account30 * 5);
                        var proposed = new PolicyModel(csr, manager, Money(random, manager.SingleCredit, manager.SingleCredit * 3), random.Next(2) == 0 ? 24 : 72);
                        what = $"admin sets {proposed}";
                        await Expect(admin.PutAsJsonAsync("/api/policy", proposed.Body("Model")),
                            proposed == model.Policy ? Expected.Refused("policy-unchanged") : Expected.Ok, what);
                        model.Policy = proposed;
                        break;
                    }
                    default:
                    {
                        var hours = new[] { 0, 1, 5, 11, 23, 49, 73, 24 * 31 }[random.Next(8)];
                        what = $"time passes: {hours} h 1 s";
                        app.Clock.Offset += TimeSpan.FromHours(hours) + TimeSpan.FromSeconds(1);
                        break;
                    }
                }
                log.Add($"{step}: {what}");
                foreach (var checkedAccount in accounts)
                    await Agree(desk, checkedAccount, what);
            }
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException(
                $"Seed {seed} (replay: LEDGER_MODEL_SEED={seed}) failed after:\n{string.Join('\n', log.TakeLast(25))}\n{e.Message}");
        }
        finally
        {
            foreach (var client in clients.Values.Select(c => c.Client).Concat(customers.Values))
                client.Dispose();
            app.Clock.Offset = TimeSpan.Zero;
        }
    }

    private static async Task<JsonObject> Expect(Task<HttpResponseMessage> sending, Expected expected, string what)
    {
        using var response = await sending;
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
        var actual = response.StatusCode switch
        {
            HttpStatusCode.Accepted when body["status"]?.GetValue<string>() == "pending" && (body["paymentId"] ?? body["refundId"]) is not null => Expected.Clearing,
            HttpStatusCode.Accepted => Expected.Pending(body["exceededLimit"]!.GetValue<string>()),
            >= HttpStatusCode.OK and < HttpStatusCode.MultipleChoices => Expected.Ok,
            _ => Expected.Refused(body["rule"]?.GetValue<string>() ?? $"status {(int)response.StatusCode}"),
        };
        actual.Should().Be(expected, $"the model predicts it for: {what} (the service said {(int)response.StatusCode} {text})");
        return body;
    }

    private static async Task Agree(HttpClient desk, AccountModel account, string after)
    {
        var view = await desk.Account(account.Id);
        view["balance"]!.GetValue<decimal>().Should().Be(account.Balance, $"the balance of {account.CustomerId} after: {after}");
        view["pendingApprovals"]!.AsArray().Select(p => p!["approvalId"]!.GetValue<Guid>()).Should()
            .BeEquivalentTo(account.Pending.Keys, $"the pending requests of {account.CustomerId} after: {after}");
        view["pendingPayments"]!.AsArray().Select(p => p!["paymentId"]!.GetValue<Guid>()).Should()
            .BeEquivalentTo(account.PendingPayments.Keys, $"the pending payments of {account.CustomerId} after: {after}");
        view["pendingRefunds"]!.AsArray().Select(r => r!["refundId"]!.GetValue<Guid>()).Should()
            .BeEquivalentTo(account.PendingRefunds.Keys, $"the refunds on their way of {account.CustomerId} after: {after}");
        view["refundableCredit"]!.GetValue<decimal>().Should().Be(account.RefundableCredit, $"what {account.CustomerId} may have refunded after: {after}");
    }

    /// <summary>Where a payment stands once the processor's webhook has come in (it is delivered within moments).</summary>
    private static async Task<string> PaymentStatus(HttpClient client, Guid accountId, Guid paymentId, string expected)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); ; await Task.Delay(50))
        {
            var status = (await (await client.GetAsync($"/api/accounts/{accountId}/payments/{paymentId}")).Body())["status"]!.GetValue<string>();
            if (status == expected || DateTime.UtcNow > deadline)
                return status;
        }
    }

    private static void ApplyCredit(AccountModel account, Guid entryId, decimal amount, DateTimeOffset at)
    {
        account.Balance -= amount;
        account.Credits.Add((at, amount));
        account.Entries[entryId] = new EntryModel(entryId, EntryKindModel.Credit, amount);
    }

    private static void ApplyCorrection(AccountModel account, Guid correctionId, EntryModel entry, decimal amount)
    {
        entry.Remaining -= amount;
        account.Balance += entry.Kind == EntryKindModel.Charge ? -amount : amount;
        account.Corrections[correctionId] = new CorrectionModel(correctionId, entry.Id, amount);
    }

    private static void AddRequest(MoneyModel model, AccountModel account, JsonObject body, bool isCredit, decimal amount, Guid? entryId, string user,
        string role, string exceeded, DateTimeOffset at) =>
        account.Pending[body["approvalId"]!.GetValue<Guid>()] = new RequestModel(body["approvalId"]!.GetValue<Guid>(), isCredit, amount, entryId, user,
            role, amount > model.Policy.SecondAbove ? 2 : 1, at.AddHours(model.Policy.ExpiryHours));

    /// <summary>The id of what a write created: the entry (charge, payment, credit) or the correction or dispute.</summary>
    private static Guid Id(JsonObject body) => (body["entryId"] ?? body["id"])!.GetValue<Guid>();

    private static (string User, string Role, HttpClient Client) Pick(Random random, Dictionary<string, (string Role, HttpClient Client)> clients) =>
        clients.ElementAt(random.Next(clients.Count)) is var (user, (role, client)) ? (user, role, client) : default;

    private static decimal Money(Random random, decimal min, decimal max) =>
        Math.Round(min + (decimal)random.NextDouble() * (max - min), 2, MidpointRounding.ToZero) is var m && m >= 0.01m ? m : 0.01m;

    /// <summary>Amounts around a limit: on it, a cent either side, or anywhere up to a little past it.</summary>
    private static decimal Near(Random random, decimal limit) => random.Next(4) switch
    {
        0 => Math.Max(0.01m, limit),
        1 => limit + 0.01m,
        2 => Math.Max(0.01m, limit - 0.01m),
        _ => Money(random, 0.01m, limit * 1.3m + 1m),
    };
}
