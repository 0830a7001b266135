using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Paying;
using Ledger.Domain.BankStatements;
using Ledger.IntegrationTests.Harness;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace Ledger.IntegrationTests.BankStatements;

/// <summary>
/// The bank's own statement settles checks and transfers: matched by the reference the payer quoted, the check's
/// number or the account number written on the transfer; what it cannot place waits for the desk; returned items undo
/// their payments with the returned-payment fee; the same line twice, in one file or two, changes nothing.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class BankStatementImportTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.bank"));
    private readonly HttpClient _manager = app.ClientFor(TestUser.Manager("mgr.bank"));

    private static string CheckNumber() => Random.Shared.Next(10_000_000, 99_999_999).ToString();

    private static async Task<JsonObject> Imported(HttpClient client, BankFiles file)
    {
        var response = await client.ImportBankFile(file);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Body();
    }

    private static int Count(JsonObject answer, string what) => answer[what]!.GetValue<int>();

    private static JsonNode Line(JsonObject answer, string bankReference) =>
        answer["lines"]!.AsArray().Single(l => l!["bankReference"]!.GetValue<string>() == bankReference)!;

    private async Task<(Guid AccountId, JsonObject Account)> AccountOwing(string customer, decimal owed, string currency = "USD")
    {
        var accountId = await _desk.OpenAccount(customer, currency);
        await _desk.Post(accountId, "charges", new { amount = owed, description = "Supply", category = "energy" });
        return (accountId, await _desk.Account(accountId));
    }

    [Theory]
    [InlineData("camt.053.001.02")]
    [InlineData("camt.053.001.08")]
    public async Task A_statement_settles_transfers_by_reference_checks_by_number_and_money_by_account_number_and_the_same_lines_again_change_nothing(
        string message)
    {
        var (transferAccount, _) = await AccountOwing($"cust-stmt-transfer-{message}", 240m);
        using var customer = app.ClientFor(TestUser.Customer($"cust-stmt-transfer-{message}"));
        var transfer = await customer.PayPending(transferAccount, new { amount = 240m, method = "transfer" });
        var quote = transfer["referenceToQuote"]!.GetValue<string>();
        quote.Should().MatchRegex("^RF[0-9]{2}[0-9A-Z]{1,21}$");

        var (checkAccount, _) = await AccountOwing($"cust-stmt-check-{message}", 75.5m);
        var number = CheckNumber();
        var check = (await _desk.PayPending(checkAccount, new { amount = 75.5m, method = "check", reference = number }))["paymentId"]!.GetValue<Guid>();

        var (namedAccount, named) = await AccountOwing($"cust-stmt-named-{message}", 60m);
        var accountNumber = named["accountNumber"]!.GetValue<string>();

        var file = new BankFiles(message)
            .Line(BankLineSpec.Transfer(240m, remittance: $"Electricity {string.Join(' ', quote.Chunk(4).Select(c => new string(c)))}"))
            .Batch(BankLineSpec.Check(75.5m, number), BankLineSpec.Transfer(60m, remittance: $"acct {accountNumber.ToLowerInvariant()} november"))
            .Line(BankLineSpec.Transfer(13.37m, remittance: "gift, no reference"))
            .Line(BankLineSpec.BankFee(4.5m))
            .Line(BankLineSpec.Transfer(999m, BankReferences()) with { Status = "PDNG" });

        var answer = await Imported(_manager, file);

        (Count(answer, "entries"), Count(answer, "settled"), Count(answer, "queued"), Count(answer, "returned"), Count(answer, "duplicates"),
            Count(answer, "ignored")).Should().Be((6, 3, 1, 0, 0, 2), answer.ToJsonString());
        answer["message"]!.GetValue<string>().Should().Be(message);
        Line(answer, file.Lines[0].BankReference!)["outcome"]!.GetValue<string>().Should().Be("settled");
        Line(answer, file.Lines[1].BankReference!)["paymentId"]!.GetValue<Guid>().Should().Be(check);
        Line(answer, file.Lines[2].BankReference!)["outcome"]!.GetValue<string>().Should().Be("received");
        Line(answer, file.Lines[3].BankReference!)["rule"]!.GetValue<string>().Should().Be("no-match");

        (await _desk.Balance(transferAccount)).Should().Be(0m);
        (await _desk.Balance(checkAccount)).Should().Be(0m);
        (await _desk.Balance(namedAccount)).Should().Be(0m);
        var settled = await (await customer.GetAsync($"/api/accounts/{transferAccount}/payments/{transfer["paymentId"]}")).Body();
        settled["status"]!.GetValue<string>().Should().Be("settled");
        (await app.Events(transferAccount)).Select(e => e.Type).Should().EndWith(new[] { "payment_initiated", "payment_confirmed", "payment_received" });

        var before = (await app.Events(transferAccount), await app.Events(checkAccount), await app.Events(namedAccount));
        var again = await Imported(_manager, file);
        (Count(again, "duplicates"), Count(again, "settled"), Count(again, "queued"), Count(again, "ignored")).Should().Be((4, 0, 0, 2));
        using var otherManager = app.ClientFor(TestUser.Manager("mgr.bank.second"));
        var fromNotification = new BankFiles(message.Replace("053", "054"), iban: file.Iban).Line(file.Lines[0]).Line(file.Lines[2]);
        var notified = await Imported(otherManager, fromNotification);
        Count(notified, "duplicates").Should().Be(2, "the day's notification and its statement carry the same lines");

        (await app.Events(transferAccount), await app.Events(checkAccount), await app.Events(namedAccount)).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
        (await _desk.Balance(namedAccount)).Should().Be(0m);
    }

    private static string BankReferences() => Domain.Payments.BankReferences.For(Guid.NewGuid());

    [Fact]
    public async Task Lines_the_import_cannot_place_wait_for_the_desk_which_assigns_them_or_sends_them_back_once()
    {
        var (accountId, _) = await AccountOwing("cust-queue", 100m);
        using var customer = app.ClientFor(TestUser.Customer("cust-queue"));
        var transfer = await customer.PayPending(accountId, new { amount = 100m, method = "transfer" });
        var paymentId = transfer["paymentId"]!.GetValue<Guid>();
        var quote = transfer["referenceToQuote"]!.GetValue<string>();
        var file = new BankFiles("camt.054.001.08")
            .Line(BankLineSpec.Transfer(90m, quote))
            .Line(BankLineSpec.Transfer(50m, remittance: $"for {(await _desk.Account(accountId))["accountNumber"]}") with { Currency = "EUR" })
            .Line(BankLineSpec.Transfer(25m, remittance: "unknown payer"));

        var answer = await Imported(_manager, file);

        Count(answer, "queued").Should().Be(3, answer.ToJsonString());
        var differs = Line(answer, file.Lines[0].BankReference!);
        (differs["rule"]!.GetValue<string>(), differs["accountId"]!.GetValue<Guid>(), differs["paymentId"]!.GetValue<Guid>())
            .Should().Be(("amount-differs", accountId, paymentId));
        Line(answer, file.Lines[1].BankReference!)["rule"]!.GetValue<string>().Should().Be("currency-differs");
        (await _desk.Balance(accountId)).Should().Be(100m, "nothing the desk has not looked at is applied");

        var queue = JsonNode.Parse(await _desk.GetStringAsync("/api/bank-statements/queue"))!.AsArray();
        var ids = file.Lines.Select(l => queue.Single(q => q!["bankReference"]!.GetValue<string>() == l.BankReference)!["lineId"]!.GetValue<Guid>()).ToList();
        queue.Single(q => q!["lineId"]!.GetValue<Guid>() == ids[2])!["payerName"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace();
        await (await customer.GetAsync("/api/bank-statements/queue")).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await _desk.ImportBankFile(file)).ShouldBeProblem(HttpStatusCode.Forbidden);

        Task<HttpResponseMessage> Assign(Guid lineId, object body) => _desk.PostAsJsonAsync($"/api/bank-statements/lines/{lineId}/assignment", body);

        // 90 arrived for the pending 100: the desk settles it as what arrived.
        var assigned = await Assign(ids[0], new { accountId, paymentId, note = "Customer short-paid; confirmed by phone" });
        assigned.StatusCode.Should().Be(HttpStatusCode.OK, await assigned.Content.ReadAsStringAsync());
        var line = await assigned.Body();
        (line["status"]!.GetValue<string>(), line["outcome"]!.GetValue<string>()).Should().Be(("assigned", "received"));
        (await _desk.Balance(accountId)).Should().Be(10m);
        var failed = await (await customer.GetAsync($"/api/accounts/{accountId}/payments/{paymentId}")).Body();
        failed["status"]!.GetValue<string>().Should().Be("failed");
        (await customer.Account(accountId))["pendingPayments"]!.AsArray().Should().BeEmpty();
        await (await Assign(ids[0], new { accountId })).ShouldBeProblem(HttpStatusCode.Conflict, "bank-line-not-queued");

        // Euros cannot be applied to a dollar account: the desk sends them back.
        await (await Assign(ids[1], new { accountId })).ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "currency-differs");
        var sentBack = await _desk.PostAsJsonAsync($"/api/bank-statements/lines/{ids[1]}/return-to-sender", new { reason = "Wrong currency; returned to payer" });
        sentBack.StatusCode.Should().Be(HttpStatusCode.OK, await sentBack.Content.ReadAsStringAsync());
        (await sentBack.Body())["status"]!.GetValue<string>().Should().Be("returned-to-sender");
        await (await Assign(ids[1], new { accountId })).ShouldBeProblem(HttpStatusCode.Conflict, "bank-line-not-queued");

        // The unknown payer's money, once the desk has found whose it is; two clerks at once apply it once.
        var racing = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Assign(ids[2], new { accountId, note = "Found by phone" })));
        racing.Count(r => r.StatusCode == HttpStatusCode.OK).Should().Be(1);
        racing.Where(r => r.StatusCode != HttpStatusCode.OK).Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Conflict);
        (await _desk.Balance(accountId)).Should().Be(-15m, "the 25 is applied once");

        var remaining = JsonNode.Parse(await _desk.GetStringAsync("/api/bank-statements/queue"))!.AsArray();
        remaining.Select(q => q!["lineId"]!.GetValue<Guid>()).Should().NotIntersectWith(ids);
        await (await _desk.PostAsJsonAsync($"/api/bank-statements/lines/{Guid.NewGuid()}/assignment", new { accountId }))
            .ShouldBeProblem(HttpStatusCode.NotFound);
        await (await _desk.PostAsJsonAsync($"/api/bank-statements/lines/{ids[2]}/assignment", new { note = "no account" }))
            .ShouldBeProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_returned_check_and_a_returned_transfer_are_owed_again_with_the_fee_once_and_a_check_never_paid_fails()
    {
        var (accountId, _) = await AccountOwing("cust-returns", 300m);
        var number = CheckNumber();
        var check = (await _desk.PayPending(accountId, new { amount = 100m, method = "check", reference = number }))["paymentId"]!.GetValue<Guid>();
        using var customer = app.ClientFor(TestUser.Customer("cust-returns"));
        var transfer = await customer.PayPending(accountId, new { amount = 150m, method = "transfer" });
        var unpaidNumber = CheckNumber();
        var neverPaid = (await _desk.PayPending(accountId, new { amount = 50m, method = "check", reference = unpaidNumber }))["paymentId"]!.GetValue<Guid>();
        var statement = new BankFiles("camt.053.001.02")
            .Line(BankLineSpec.Check(100m, number))
            .Line(BankLineSpec.Transfer(150m, transfer["referenceToQuote"]!.GetValue<string>()));
        Count(await Imported(_manager, statement), "settled").Should().Be(2);
        (await _desk.Balance(accountId)).Should().Be(50m);

        var returns = new BankFiles("camt.053.001.02", iban: statement.Iban)
            .Line(BankLineSpec.UnpaidCheck(100m, number, "AM04"))
            .Line(BankLineSpec.ReturnedTransfer(150m, transfer["referenceToQuote"]!.GetValue<string>(), "AC04"))
            .Line(BankLineSpec.UnpaidCheck(50m, unpaidNumber, "AC06"))
            .Line(BankLineSpec.UnpaidCheck(20m, CheckNumber()));
        var answer = await Imported(_manager, returns);

        (Count(answer, "returned"), Count(answer, "queued")).Should().Be((3, 1), answer.ToJsonString());
        Line(answer, returns.Lines[3].BankReference!)["rule"]!.GetValue<string>().Should().Be("return-unmatched");
        (await _desk.Balance(accountId)).Should().Be(50m + 100m + 150m + 15m + 15m, "both are owed again, each with the 15 fee");
        var history = JsonNode.Parse(await _manager.GetStringAsync($"/api/accounts/{accountId}/history"))!.AsArray();
        history.Where(e => e!["type"]!.GetValue<string>() == "payment_reversed").Select(e => e!["data"]!.GetValue<string>())
            .Should().HaveCount(2).And.Contain(d => d.Contains("Insufficient funds")).And.Contain(d => d.Contains("Account closed"));
        var unpaid = await (await _desk.GetAsync($"/api/accounts/{accountId}/payments/{neverPaid}")).Body();
        (unpaid["status"]!.GetValue<string>()).Should().Be("failed");
        (await (await _desk.GetAsync($"/api/accounts/{accountId}/payments/{check}")).Body())["status"]!.GetValue<string>().Should().Be("returned");

        var events = await app.Events(accountId);
        Count(await Imported(_manager, returns), "duplicates").Should().Be(4);
        (await app.Events(accountId)).Should().Equal(events);
    }

    [Fact]
    public async Task A_file_that_is_not_a_valid_bank_message_is_refused_naming_the_element_and_records_nothing()
    {
        var (accountId, _) = await AccountOwing("cust-bad-file", 80m);
        var number = CheckNumber();
        await _desk.PayPending(accountId, new { amount = 80m, method = "check", reference = number });
        var xml = new BankFiles("camt.053.001.08").Line(BankLineSpec.Check(80m, number)).Xml();
        var events = await app.Events(accountId);

        var last = xml.LastIndexOf("<CdtDbtInd>CRDT</CdtDbtInd>", StringComparison.Ordinal); // the transaction's, after the balances' and the entry's
        var broken = await (await _manager.ImportBankFile(xml[..last] + "<CdtDbtInd>PLUS</CdtDbtInd>" + xml[(last + "<CdtDbtInd>CRDT</CdtDbtInd>".Length)..]))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "bank-file-invalid");
        broken["field"]!.GetValue<string>().Should().Be("/Document/BkToCstmrStmt/Stmt/Ntry/NtryDtls/TxDtls/CdtDbtInd");
        await (await _manager.ImportBankFile("<Document/>")).ShouldBeProblem(HttpStatusCode.BadRequest, "bank-file-invalid");
        await (await _manager.ImportBankFile("{\"not\":\"xml\"}", "application/json")).ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);
        await (await _manager.ImportBankFile(xml.Replace("<Document ", "<!DOCTYPE d [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><Document ")))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "bank-file-invalid");

        (await app.Events(accountId)).Should().Equal(events);
        (await _desk.Balance(accountId)).Should().Be(80m);
    }

    [Fact]
    public async Task The_same_file_imported_by_several_managers_at_once_applies_each_line_once()
    {
        var accounts = new List<(Guid Id, string Quote)>();
        for (var i = 0; i < 6; i++)
        {
            var (accountId, _) = await AccountOwing($"cust-race-bank-{i}", 40m);
            using var customer = app.ClientFor(TestUser.Customer($"cust-race-bank-{i}"));
            accounts.Add((accountId, (await customer.PayPending(accountId, new { amount = 40m, method = "transfer" }))["referenceToQuote"]!.GetValue<string>()));
        }
        var file = new BankFiles("camt.053.001.08");
        foreach (var (_, quote) in accounts)
            file.Line(BankLineSpec.Transfer(40m, quote));

        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(async i =>
        {
            using var manager = app.ClientFor(TestUser.Manager($"mgr.bank.race{i}"));
            return await Imported(manager, file);
        }));

        answers.Sum(a => Count(a, "settled")).Should().Be(6);
        answers.Sum(a => Count(a, "duplicates")).Should().Be(6 * 4);
        foreach (var (accountId, _) in accounts)
        {
            (await _desk.Balance(accountId)).Should().Be(0m);
            (await app.Events(accountId)).Count(e => e.Type == "payment_received").Should().Be(1);
        }
    }

    [Fact]
    public async Task A_line_an_import_recorded_or_applied_before_it_stopped_is_placed_by_the_next_import_and_its_money_applied_once()
    {
        var payments = new List<(Guid AccountId, Guid PaymentId, string Quote)>();
        for (var i = 0; i < 2; i++)
        {
            var (accountId, _) = await AccountOwing($"cust-bank-crash-{i}", 55m);
            using var customer = app.ClientFor(TestUser.Customer($"cust-bank-crash-{i}"));
            var pending = await customer.PayPending(accountId, new { amount = 55m, method = "transfer" });
            payments.Add((accountId, pending["paymentId"]!.GetValue<Guid>(), pending["referenceToQuote"]!.GetValue<string>()));
        }
        var file = new BankFiles("camt.053.001.08").Line(BankLineSpec.Transfer(55m, payments[0].Quote)).Line(BankLineSpec.Transfer(55m, payments[1].Quote));
        var lineIds = file.Lines.Select(l => BankLine.IdFor(file.Iban, l.BankReference!)).ToList();

        // One import stopped after recording the first line; another after applying the second, before recording it.
        var store = app.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            session.Events.StartStream(lineIds[0], new BankLineRecorded(lineIds[0], file.Iban, file.Lines[0].BankReference!, "camt.053.001.08", file.MessageId,
                "S-1", new DateOnly(2026, 11, 30), 55m, "USD", BankLineKind.Credit, null, null, payments[0].Quote, null, "A Payer", null, null, "PMNT/RCDT/ESCT",
                DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var context = new RequestContext(new Actor("mgr.bank.crashed", Roles.Manager, Channel.Desk, null), "crash-test", null,
                $"bank-line:{lineIds[1]}", $"bank-line:{lineIds[1]}");
            var applied = await Writes.OutcomeAsync(scope.ServiceProvider.GetRequiredService<IMessageBus>(), scope.ServiceProvider.GetRequiredService<IQuerySession>(),
                new AccountWrite(new ApplyBankCredit(payments[1].AccountId, payments[1].PaymentId, BankLine.OwnPaymentIdFor(lineIds[1]), 55m, "USD",
                    PaymentMethod.Transfer, null, file.Lines[1].BankReference!), context), CancellationToken.None);
            applied.Kind.Should().Be(OutcomeKind.Applied);
        }
        (await _desk.Balance(payments[1].AccountId)).Should().Be(0m);

        var answer = await Imported(_manager, file);

        (Count(answer, "settled"), Count(answer, "queued"), Count(answer, "duplicates")).Should().Be((2, 0, 0), answer.ToJsonString());
        foreach (var (accountId, paymentId, _) in payments)
        {
            (await _desk.Balance(accountId)).Should().Be(0m);
            (await app.Events(accountId)).Count(e => e.Type == "payment_received").Should().Be(1);
            (await (await _desk.GetAsync($"/api/accounts/{accountId}/payments/{paymentId}")).Body())["status"]!.GetValue<string>().Should().Be("settled");
        }
        Count(await Imported(_manager, file), "duplicates").Should().Be(2);
    }
}
