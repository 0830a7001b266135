using System.Net;
using System.Net.Http.Json;
using Ledger.Domain;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Reliability;

[CollectionDefinition(Name)]
public sealed class TwoDatabasesCollection : ICollectionFixture<TwoDatabaseApp>
{
    public const string Name = "two databases";
}

/// <summary>
/// Accounts spread over two databases by bucket (docs/operations.md, "Several databases"). What is checked is read from
/// each database's own tables, not from the API alone: an account's events are in the database holding its bucket and in
/// no other.
/// </summary>
[Collection(TwoDatabasesCollection.Name)]
public sealed class TwoDatabasesTests(TwoDatabaseApp app)
{
    private readonly HttpClient _csr = app.ClientFor(TestUser.Csr("csr.two-databases"));

    private static object Credit(decimal amount) => new { amount, reasonCode = "goodwill", reason = "Outage" };

    private async Task<long> EventsIn(string connectionString, Guid accountId) =>
        await EventStore.Count(connectionString, "select count(*) from ledger.mt_events where stream_id = @id", ("id", accountId));

    [Fact]
    public async Task A_customers_accounts_live_in_the_database_of_its_bucket_and_are_written_and_read_there_only()
    {
        foreach (var second in new[] { false, true })
        {
            var customer = TwoDatabaseApp.CustomerIn(second, $"cust-home-{second}");
            var accounts = new[] { await _csr.OpenAccount(customer), await _csr.OpenAccount(customer, "EUR") };
            accounts.Select(Buckets.Of).Should().OnlyContain(b => b == Buckets.OfCustomer(customer), "a customer's accounts share their bucket");
            foreach (var accountId in accounts)
            {
                TwoDatabaseApp.InSecond(accountId).Should().Be(second);
                var chargeId = await _csr.Post(accountId, "charges", new { amount = 80m, description = "Line rental", category = "phone" });
                Buckets.Of(chargeId).Should().Be(Buckets.Of(accountId), "what belongs to an account is minted in its bucket");
                await _csr.Post(accountId, "credits", Credit(15m));

                (await _csr.Balance(accountId)).Should().Be(65m);
                var entries = await (await _csr.GetAsync($"/api/accounts/{accountId}/entries")).Body();
                entries["items"]!.AsArray().Should().HaveCount(2);
                (await EventsIn(app.ConnectionStringOf(accountId), accountId)).Should().Be(3, "opened, charged, credited");
                (await EventsIn(second ? app.ConnectionString : app.SecondConnectionString, accountId)).Should().Be(0);
            }
            using var customerClient = app.ClientFor(TestUser.Customer(customer));
            (await customerClient.Balance(accounts[0])).Should().Be(65m, "the customer reads their account where it lives");
        }
    }

    [Fact]
    public async Task A_write_repeated_with_its_Idempotency_Key_is_answered_from_the_first_answer_in_either_database()
    {
        foreach (var second in new[] { false, true })
        {
            var accountId = await _csr.OpenAccount(TwoDatabaseApp.CustomerIn(second, "cust-idem"));
            var key = $"idem-{Guid.NewGuid():N}";
            var answers = new List<string>();
            for (var i = 0; i < 2; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{accountId}/charges")
                {
                    Content = JsonContent.Create(new { amount = 12.5m, description = "Roaming", category = "phone" }),
                };
                request.Headers.Add("Idempotency-Key", key);
                var response = await _csr.SendAsync(request);
                response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
                answers.Add(await response.Content.ReadAsStringAsync());
            }
            answers[1].Should().Be(answers[0]);
            (await EventsIn(app.ConnectionStringOf(accountId), accountId)).Should().Be(2, "opened, and charged once");
        }
    }

    [Fact]
    public async Task Fifty_concurrent_credits_by_one_CSR_over_both_databases_never_exceed_the_daily_limit()
    {
        // Default limits (appsettings): a CSR credits at most 500 a day alone, whatever the accounts and their databases.
        var csr = TestUser.Csr("csr.two-databases.racer");
        var accounts = new List<Guid>();
        for (var i = 0; i < 10; i++)
            accounts.Add(await _csr.OpenAccount(TwoDatabaseApp.CustomerIn(i % 2 == 1, $"cust-race2-{i}")));
        accounts.Count(TwoDatabaseApp.InSecond).Should().Be(5);

        var results = await CreditRace.RunAsync(app, csr, accounts, 50);

        results.Select(r => r.Status).Should().OnlyContain(s => s == HttpStatusCode.Created || s == HttpStatusCode.Accepted);
        var applied = results.Where(r => r.Status == HttpStatusCode.Created).Sum(r => r.Amount);
        applied.Should().BeLessThanOrEqualTo(500m).And.BeGreaterThan(500m - 31m, "credits stop only when the next would not fit");
        var limits = await (await app.ClientFor(csr).GetAsync("/api/me/limits")).Body();
        limits["creditedToday"]!.GetValue<decimal>().Should().Be(applied, "the allowance counts every credit recorded, in whichever database");
        var balances = 0m;
        foreach (var accountId in accounts)
            balances += await _csr.Balance(accountId);
        balances.Should().Be(-applied);
    }

    [Fact]
    public async Task A_credit_whose_events_fail_to_commit_in_its_database_gives_back_what_it_drew_on_the_allowance_in_the_main_one()
    {
        // The allowance is committed in the main database first; here the second database then refuses the credit's
        // events (a trigger standing in for any failure at that commit), and the draw must be given back.
        var csr = TestUser.Csr("csr.two-databases.refused");
        using var client = app.ClientFor(csr);
        var accountId = await _csr.OpenAccount(TwoDatabaseApp.CustomerIn(true, "cust-refused-commit"));
        await Sql(app.SecondConnectionString, """
            create function ledger.test_refuse_marked() returns trigger language plpgsql as $$
            begin
              if new.data->>'reason' = 'refuse-me' then raise exception 'refused by the test'; end if;
              return new;
            end $$;
            create trigger test_refuse_marked before insert on ledger.mt_events for each row execute function ledger.test_refuse_marked();
            """);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{accountId}/credits")
            {
                Content = JsonContent.Create(new { amount = 40m, reasonCode = "goodwill", reason = "refuse-me" }),
            };
            request.Headers.Add("Idempotency-Key", "refused-credit-1");
            var refused = await client.SendAsync(request);
            ((int)refused.StatusCode).Should().BeGreaterThanOrEqualTo(500, await refused.Content.ReadAsStringAsync());
        }
        finally
        {
            await Sql(app.SecondConnectionString, "drop trigger test_refuse_marked on ledger.mt_events; drop function ledger.test_refuse_marked();");
        }

        (await (await client.GetAsync("/api/me/limits")).Body())["creditedToday"]!.GetValue<decimal>().Should().Be(0m, "the draw was given back");
        var allowance = Ledger.Domain.Approvals.DailyAllowance.StreamIdFor(csr.Name, DateOnly.FromDateTime(DateTime.UtcNow));
        (await EventStore.Count(app.ConnectionString,
                "select count(*) from ledger.mt_events where stream_id = @id and type = 'credit_allowance_returned'", ("id", allowance)))
            .Should().BeGreaterThan(0, "each failed commit's draw is returned by an event of its own, kept like every other");
        (await EventsIn(app.SecondConnectionString, accountId)).Should().Be(1, "nothing of the credit was recorded");

        await client.Post(accountId, "credits", Credit(40m));
        (await (await client.GetAsync("/api/me/limits")).Body())["creditedToday"]!.GetValue<decimal>().Should().Be(40m);
    }

    private static async Task Sql(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Anchors_and_verify_ledger_cover_the_accounts_of_both_databases()
    {
        var accounts = new List<Guid>();
        foreach (var second in new[] { false, true, true })
        {
            var accountId = await _csr.OpenAccount(TwoDatabaseApp.CustomerIn(second, $"cust-anchor2-{accounts.Count}"));
            await _csr.Post(accountId, "charges", new { amount = 10m, description = "Line rental", category = "phone" });
            accounts.Add(accountId);
        }
        using var admin = app.ClientFor(TestUser.Admin());
        var taken = await admin.PostAsync("/api/integrity/anchors", null);
        taken.StatusCode.Should().Be(HttpStatusCode.Created, await taken.Content.ReadAsStringAsync());
        const string streams = "select count(*) from ledger.mt_streams where type = 'account'";
        var inBoth = await EventStore.Count(app.ConnectionString, streams) + await EventStore.Count(app.SecondConnectionString, streams);
        (await taken.Body())["streamCount"]!.GetValue<int>().Should().Be((int)inBoth, "one anchor holds the heads of both databases' accounts");

        var (exitCode, output) = await ApiProcess.RunCommandAsync(app.ConnectionString, app.CommandEnvironment, "verify-ledger");
        exitCode.Should().Be(0, output);
        output.Should().Contain($"{inBoth} accounts verified, 0 broken");

        // An event edited in the second database is found by the account's check and by verify-ledger.
        var edited = accounts[2];
        await using var connection = new Npgsql.NpgsqlConnection(app.SecondConnectionString);
        await connection.OpenAsync();
        await using var read = new Npgsql.NpgsqlCommand("select data::text from ledger.mt_events where stream_id = @id and version = 2", connection);
        read.Parameters.AddWithValue("id", edited);
        var original = (string)(await read.ExecuteScalarAsync())!;
        await using var write = new Npgsql.NpgsqlCommand("update ledger.mt_events set data = @data::jsonb where stream_id = @id and version = 2", connection);
        write.Parameters.AddWithValue("id", edited);
        write.Parameters.AddWithValue("data", original.Replace("\"amount\": 10", "\"amount\": 1"));
        (await write.ExecuteNonQueryAsync()).Should().Be(1);
        try
        {
            var report = await (await app.ClientFor(TestUser.Auditor()).GetAsync($"/api/accounts/{edited}/integrity")).Body();
            report["intact"]!.GetValue<bool>().Should().BeFalse(report.ToJsonString());
            report["firstBrokenVersion"]!.GetValue<long>().Should().Be(2);
            (exitCode, output) = await ApiProcess.RunCommandAsync(app.ConnectionString, app.CommandEnvironment, "verify-ledger");
            exitCode.Should().Be(1, output);
            output.Should().Contain($"BROKEN {edited} at version 2 (edited)");
        }
        finally
        {
            write.Parameters["data"].Value = original;
            await write.ExecuteNonQueryAsync();
        }
        (await (await app.ClientFor(TestUser.Auditor()).GetAsync($"/api/accounts/{edited}/integrity")).Body())["intact"]!.GetValue<bool>()
            .Should().BeTrue("the row is as it was");
    }

    [Fact]
    public async Task Readiness_names_each_databases_projections_and_the_lag_of_the_one_furthest_behind()
    {
        using var staff = app.ClientFor(TestUser.Auditor());
        var ready = await Poll.Until(async () => (await (await staff.GetAsync("/health/ready")).Body())["checks"]!["async-projections"]!,
            check => check["data"]!["agents"]!.AsArray().Select(a => a!.GetValue<string>()).Count(a => a.StartsWith("Ledger.Projections.Auditing.AuditLogProjection", StringComparison.Ordinal)) == 2);
        ready["data"]!["agents"]!.AsArray().Select(a => a!.GetValue<string>()).Should()
            .Contain(["Ledger.Projections.Auditing.AuditLogProjection:All@main", "Ledger.Projections.Auditing.AuditLogProjection:All@second"], ready.ToJsonString());
        ready["description"]!.GetValue<string>().Should().Contain("second:").And.Contain("main:", "each database's progress is told apart");
    }

    [Fact]
    public async Task A_bank_statement_settles_payments_and_places_money_on_accounts_in_either_database()
    {
        var quotedCustomer = TwoDatabaseApp.CustomerIn(true, "cust-bank2-quote");
        var quotedAccount = await _csr.OpenAccount(quotedCustomer);
        await _csr.Post(quotedAccount, "charges", new { amount = 240m, description = "Supply", category = "energy" });
        using var customer = app.ClientFor(TestUser.Customer(quotedCustomer));
        var transfer = await customer.PayPending(quotedAccount, new { amount = 240m, method = "transfer" });
        var quote = transfer["referenceToQuote"]!.GetValue<string>();

        var checkAccount = await _csr.OpenAccount(TwoDatabaseApp.CustomerIn(false, "cust-bank2-check"));
        await _csr.Post(checkAccount, "charges", new { amount = 75.5m, description = "Supply", category = "energy" });
        var number = Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await _csr.PayPending(checkAccount, new { amount = 75.5m, method = "check", reference = number });

        var namedAccount = await _csr.OpenAccount(TwoDatabaseApp.CustomerIn(true, "cust-bank2-named"));
        await _csr.Post(namedAccount, "charges", new { amount = 60m, description = "Supply", category = "energy" });
        var accountNumber = (await _csr.Account(namedAccount))["accountNumber"]!.GetValue<string>();

        var file = new BankFiles()
            .Line(BankLineSpec.Transfer(240m, remittance: $"Electricity {quote}"))
            .Line(BankLineSpec.Check(75.5m, number))
            .Line(BankLineSpec.Transfer(60m, remittance: $"acct {accountNumber} november"));
        using var manager = app.ClientFor(TestUser.Manager("mgr.two-databases"));
        var response = await manager.ImportBankFile(file);
        var answer = await response.Body();
        response.StatusCode.Should().Be(HttpStatusCode.OK, answer.ToJsonString());
        answer["settled"]!.GetValue<int>().Should().Be(3, answer.ToJsonString());
        foreach (var accountId in new[] { quotedAccount, checkAccount, namedAccount })
            (await _csr.Balance(accountId)).Should().Be(0m);
        (await EventsIn(app.SecondConnectionString, namedAccount)).Should().BeGreaterThan(2, "the money received is recorded in the account's own database");
        (await EventsIn(app.ConnectionString, namedAccount)).Should().Be(0);

        var again = await (await manager.ImportBankFile(file)).Body();
        again["duplicates"]!.GetValue<int>().Should().Be(3, "the same lines again change nothing, in any database");
    }

    [Fact]
    public async Task Webhooks_carry_the_events_of_accounts_in_both_databases_each_once_and_in_order()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var admin = app.ClientFor(TestUser.Admin());
        var subscription = await Ledger.IntegrationTests.Webhooks.Subscriptions.Subscribe(admin, receiver.Url());
        try
        {
            var accounts = new[]
            {
                await _csr.OpenAccount(TwoDatabaseApp.CustomerIn(false, "cust-hook-main")),
                await _csr.OpenAccount(TwoDatabaseApp.CustomerIn(true, "cust-hook-second")),
            };
            foreach (var accountId in accounts)
                await _csr.Post(accountId, "charges", new { amount = 9.99m, description = "Data", category = "phone" });
            foreach (var accountId in accounts)
            {
                var received = await receiver.WaitForAccepted(r => r.AccountId == accountId, 2);
                received.Select(r => r.Type).Should().Equal("ledger.account.account_opened", "ledger.account.charge_posted");
                received.Select(r => r.Id).Distinct().Should().HaveCount(2, "each event once");
            }
        }
        finally
        {
            (await Ledger.IntegrationTests.Webhooks.Subscriptions.Change(admin, subscription.Id, subscription.Version, receiver.Url(), active: false))
                .EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task The_days_letters_are_gathered_from_both_databases_with_their_enclosures()
    {
        var holders = new[] { "Paula Mainpaper", "Sergio Secondpaper" };
        var accounts = new List<Guid>();
        foreach (var (second, holder) in new[] { (false, holders[0]), (true, holders[1]) })
        {
            var customerId = TwoDatabaseApp.CustomerIn(second, $"cust-paper2-{second}");
            var accountId = await _csr.OpenAccount(customerId, holder: holder);
            using var customer = app.ClientFor(TestUser.Customer(customerId));
            (await customer.PutAsJsonAsync($"/api/accounts/{accountId}/contact-preferences", new { channel = "paper" })).StatusCode.Should().Be(HttpStatusCode.OK);
            await _csr.Post(accountId, "payments", new { amount = 5m, method = "cash", reference = "RCPT-2DB" });
            accounts.Add(accountId);
        }
        const string letters = "select count(*) from ledger.mt_doc_letter where data->>'accountId' = @id";
        foreach (var accountId in accounts)
            (await Poll.Until(() => EventStore.Count(app.ConnectionStringOf(accountId), letters, ("id", accountId.ToString())), n => n == 2))
                .Should().Be(2, "contact chosen and payment received, kept in the account's own database");

        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);
        using var admin = app.ClientFor(TestUser.Admin());
        try
        {
            app.Clock.Offset = TimeSpan.FromDays(1);
            var response = await admin.GetAsync($"/api/correspondence/batches/{today:yyyy-MM-dd}");
            response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            int.Parse(response.Headers.GetValues("X-Letter-Count").Single(), System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(4);
            using var pdf = UglyToad.PdfPig.PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
            var text = string.Concat(pdf.GetPages().Select(p => p.Text));
            text.Should().Contain(holders[0]).And.Contain(holders[1]);
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task The_cluster_view_shows_each_database_its_buckets_and_the_locks_held_there()
    {
        using var admin = app.ClientFor(TestUser.Admin());
        var view = await Poll.Until(async () => (await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/operations/cluster"))!,
            v => v["nodes"]!.AsArray().SelectMany(n => n!["locks"]!.AsArray()).Any(l => l!.GetValue<string>().StartsWith("second ", StringComparison.Ordinal)));
        var databases = view["databases"]!.AsArray().Select(d => d!.AsObject()).ToList();
        databases.Select(d => d["name"]!.GetValue<string>()).Should().Equal("main", "second");
        databases[0]["main"]!.GetValue<bool>().Should().BeTrue();
        databases[1]["buckets"]!.AsArray().Select(b => b!.GetValue<int>()).Should().Equal(Enumerable.Range(8, 8));
        databases.Should().OnlyContain(d => d["sessions"]!.GetValue<int>() > 0);
        var locks = view["nodes"]!.AsArray().SelectMany(n => n!["locks"]!.AsArray()).Select(l => l!.GetValue<string>()).ToList();
        locks.Should().Contain(l => l.StartsWith("main ", StringComparison.Ordinal), "each database's daemon holds its own projections' locks");
        // A pool to each of the two databases (both on this server), Wolverine's to the main one, the health checks' 2.
        var pool = new Npgsql.NpgsqlConnectionStringBuilder(app.ConnectionString).MaxPoolSize;
        view["connections"]!["perNode"]!.GetValue<int>().Should().Be(pool * 2 + pool + 2, view.ToJsonString());
    }

    [Fact]
    public async Task With_one_database_down_its_accounts_answer_503_and_the_others_keep_working()
    {
        var there = await _csr.OpenAccount(TwoDatabaseApp.CustomerIn(true, "cust-down"));
        var here = await _csr.OpenAccount(TwoDatabaseApp.CustomerIn(false, "cust-up"));
        await app.TakeSecondDownAsync();
        try
        {
            await (await _csr.GetAsync($"/api/accounts/{there}")).ShouldBeProblem(HttpStatusCode.ServiceUnavailable, "database-unavailable");
            var refused = await _csr.PostAsJsonAsync($"/api/accounts/{there}/charges", new { amount = 5m, description = "Data", category = "phone" });
            await refused.ShouldBeProblem(HttpStatusCode.ServiceUnavailable, "database-unavailable");
            refused.Headers.RetryAfter.Should().NotBeNull();

            (await _csr.Balance(here)).Should().Be(0m);
            await _csr.Post(here, "charges", new { amount = 5m, description = "Data", category = "phone" });
            await _csr.Post(here, "credits", Credit(2m));
            (await _csr.Balance(here)).Should().Be(3m, "the main database's accounts are written and read as usual");
            (await _csr.OpenAccount(TwoDatabaseApp.CustomerIn(false, "cust-new-while-down"))).Should().NotBeEmpty();
        }
        finally
        {
            await app.BringSecondBackAsync();
        }
        var back = await Poll.Until(() => _csr.GetAsync($"/api/accounts/{there}"), r => r.StatusCode == HttpStatusCode.OK);
        back.StatusCode.Should().Be(HttpStatusCode.OK, "the database is back, and so are its accounts");
        (await EventsIn(app.SecondConnectionString, there)).Should().Be(1, "the refused charge left nothing behind");
    }
}
