using System.Net;
using System.Net.Http.Json;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure.Idempotency;
using Ledger.Domain;
using Ledger.Api.Infrastructure;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Charging;
using Ledger.Domain.Accounts.Crediting;
using Ledger.Domain.Approvals;
using Ledger.Domain.Policies;
using Ledger.IntegrationTests.Harness;
using Marten;
using JasperFx;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ledger.IntegrationTests.Accounts.Writing;

/// <summary>
/// Charges share transactions (group commit). What each request gets and what the store keeps must be exactly what it
/// would be alone: its own version check, balance, hash-chain link, metadata and idempotency record; a bad write in a
/// shared transaction never costs another write anything.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class GroupCommitTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr());
    private readonly HttpClient _auditor = app.ClientFor(TestUser.Auditor());

    [Fact]
    public async Task Given_fifty_charges_at_once_on_ten_accounts_by_five_csrs_Then_each_lands_once_with_its_own_actor_and_correlation_and_every_chain_verifies()
    {
        var accounts = new List<Guid>();
        for (var i = 0; i < 10; i++)
            accounts.Add(await _desk.OpenAccount($"cust-group-{i}"));

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            using var client = app.ClientFor(TestUser.Csr($"csr-group-{i % 5}"));
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{accounts[i % 10]}/charges")
            {
                Content = JsonContent.Create(new { amount = 1m + i / 100m, description = $"Usage {i}", category = "usage" }),
            };
            request.Headers.TryAddWithoutValidation("X-Correlation-Id", $"req-group-{i}");
            return await client.SendAsync(request);
        }));

        responses.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Created);
        var stored = await ChargesOf(accounts);
        stored.Should().HaveCount(50);
        foreach (var charge in stored)
        {
            var i = int.Parse(charge.Description["Usage ".Length..]);
            charge.Account.Should().Be(accounts[i % 10]);
            charge.Actor.Should().Be($"csr-group-{i % 5}", "each event carries its own request's actor, whoever shared its transaction");
            charge.UserName.Should().Be($"csr-group-{i % 5}");
            charge.CorrelationId.Should().Be($"req-group-{i}");
        }
        for (var a = 0; a < 10; a++)
        {
            var expected = Enumerable.Range(0, 50).Where(i => i % 10 == a).Sum(i => 1m + i / 100m);
            (await _desk.Balance(accounts[a])).Should().Be(expected);
            (await app.Events(accounts[a])).Select(e => e.Version).Should().Equal(Enumerable.Range(1, 6).Select(v => (long)v));
            var integrity = await (await _auditor.GetAsync($"/api/accounts/{accounts[a]}/integrity")).Body();
            integrity["intact"]!.GetValue<bool>().Should().BeTrue();
        }
        stored.GroupBy(c => c.Transaction).Should().Contain(g => g.Select(c => c.Account).Distinct().Count() > 1,
            "fifty charges at once share transactions across accounts");
    }

    [Fact]
    public async Task Given_writes_queued_behind_a_locked_account_Then_they_commit_together_in_one_transaction()
    {
        var (writes, blocked, accounts) = await WritesQueuedBehindALock(5);

        var outcomes = await ReleaseAndWait(blocked, accounts.Select(id => writes.WriteAsync(Charge("carol.group", id, 7m), default)));

        outcomes.Select(o => o.Kind).Should().AllBeEquivalentTo(OutcomeKind.Applied);
        outcomes.Select(o => o.Version).Should().AllBeEquivalentTo(2L);
        var stored = await ChargesOf(accounts);
        stored.Select(c => c.Transaction).Distinct().Should().ContainSingle("the five queued writes went out in one transaction");
        await writes.DisposeAsync();
    }

    [Fact]
    public async Task Given_a_shared_transaction_with_a_failing_decision_and_a_raced_idempotency_key_Then_only_those_two_fail_and_the_rest_commit()
    {
        var (writes, blocked, accounts) = await WritesQueuedBehindALock(4);
        var actor = new Actor("carol.group", Roles.Csr, Channel.Desk, null);
        await using (var session = app.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Insert(new IdempotencyRecord(IdempotencyRecord.IdFor(actor, "key-taken"), "other-request",
                CommandOutcome.NotFound(Guid.Empty), DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }

        var tasks = new[]
        {
            writes.WriteAsync(Charge(actor.UserId, accounts[0], 3m), default),
            writes.WriteAsync(new AccountWrite(new Throwing(accounts[1]), Context(actor.UserId)), default),
            writes.WriteAsync(Charge(actor.UserId, accounts[2], 4m) is var raced
                ? raced with { Context = raced.Context with { IdempotencyKey = "key-taken", RequestHash = "this-request" } } : null!, default),
            writes.WriteAsync(Charge(actor.UserId, accounts[3], 5m), default),
        };
        await ReleaseAndWait(blocked, []);
        (await tasks[0]).Kind.Should().Be(OutcomeKind.Applied);
        (await tasks[3]).Kind.Should().Be(OutcomeKind.Applied);
        await FluentActions.Awaiting(() => tasks[1]).Should().ThrowAsync<InvalidOperationException>();
        await FluentActions.Awaiting(() => tasks[2]).Should().ThrowAsync<DocumentAlreadyExistsException>();

        (await ChargesOf(accounts)).Select(c => (c.Account, c.Amount)).Should().BeEquivalentTo([(accounts[0], 3m), (accounts[3], 5m)]);
        (await _desk.Balance(accounts[0])).Should().Be(3m);
        (await _desk.Balance(accounts[1])).Should().Be(0m);
        (await _desk.Balance(accounts[2])).Should().Be(0m);
        (await _desk.Balance(accounts[3])).Should().Be(5m);
        await writes.DisposeAsync();
    }

    [Fact]
    public async Task Given_several_writes_to_one_account_queued_together_Then_one_transaction_decides_them_in_order_with_gap_free_versions_their_own_metadata_and_an_intact_chain()
    {
        var (writes, blocked, accounts) = await WritesQueuedBehindALock(1);
        var account = accounts[0];
        var sent = new[]
        {
            Charge("csr-same-0", account, 10m), Credit("csr-same-credit", account, 4m), Charge("csr-same-2", account, 12m),
            Credit("csr-same-credit", account, 6m), Charge("csr-same-4", account, 14m),
        };

        var outcomes = await ReleaseAndWait(blocked, sent.Select(w => writes.WriteAsync(w, default)));

        outcomes.Select(o => o.Kind).Should().AllBeEquivalentTo(OutcomeKind.Applied);
        outcomes.Select(o => o.Version).Should().Equal(2L, 3L, 4L, 5L, 6L);
        outcomes.Select(o => o.Balance).Should().Equal(10m, 6m, 18m, 12m, 26m);
        var stored = await EventsOf(account);
        stored.Select(e => e.Version).Should().Equal(1L, 2L, 3L, 4L, 5L, 6L);
        stored.Skip(1).Select(e => (e.Actor, e.CorrelationId)).Should().Equal(sent.Select(w => ((string?)w.Context.Actor.UserId, (string?)w.Context.CorrelationId)),
            "each event carries its own request's metadata, in the order the requests came");
        stored.Skip(1).Select(e => e.Transaction).Distinct().Should().ContainSingle("the five writes to one account share one transaction");
        var integrity = await (await _auditor.GetAsync($"/api/accounts/{account}/integrity")).Body();
        integrity["intact"]!.GetValue<bool>().Should().BeTrue();
        var allowance = await app.Services.GetRequiredService<IDocumentStore>().QuerySession()
            .LoadAsync<DailyAllowance>(DailyAllowance.StreamIdFor("csr-same-credit", DateOnly.FromDateTime(DateTime.UtcNow)));
        allowance!.Used.Should().Be(10m, "the second credit is judged on the allowance the first one left, in the same transaction");
        await writes.DisposeAsync();
    }

    [Fact]
    public async Task Given_one_csr_crediting_many_accounts_in_one_transaction_Then_each_credit_is_judged_on_the_daily_allowance_the_ones_before_it_left()
    {
        var policy = (await app.Services.GetRequiredService<IDocumentStore>().QuerySession().LoadAsync<PolicyState>(PolicyState.StreamId))!.Current;
        var (single, daily) = (policy.Csr.MaxSingleCredit, policy.Csr.DailyCreditTotal);
        var fits = (int)(daily / single);
        var (writes, blocked, accounts) = await WritesQueuedBehindALock(fits + 1);
        var user = $"csr-allowance-{Guid.NewGuid():N}";

        var outcomes = await ReleaseAndWait(blocked, accounts.Select(id => writes.WriteAsync(Credit(user, id, single), default)));

        outcomes.Take(fits).Select(o => o.Kind).Should().AllBeEquivalentTo(OutcomeKind.Applied);
        outcomes[^1].Kind.Should().Be(OutcomeKind.Pending, "the last credit would take the CSR past the daily total the others used up");
        outcomes[^1].ExceededLimit.Should().Be("csr.daily-credit-total");
        var transactions = new List<string>();
        foreach (var id in accounts)
            transactions.AddRange((await EventsOf(id)).Skip(1).Select(e => e.Transaction));
        transactions.Distinct().Should().ContainSingle("the credits were decided one after another in one transaction");
        await writes.DisposeAsync();
    }

    /// <summary>
    /// A group-commit writer of its own (one writer loop), held up by a transaction that locks one account's stream:
    /// the write to that account waits on the lock, so whatever is submitted next queues up and goes out together.
    /// </summary>
    private async Task<(GroupCommit Writes, NpgsqlTransaction Blocked, List<Guid> Accounts)> WritesQueuedBehindALock(int count)
    {
        var locked = await _desk.OpenAccount("cust-group-lock");
        var accounts = new List<Guid>();
        for (var i = 0; i < count; i++)
            accounts.Add(await _desk.OpenAccount($"cust-group-q{i}"));
        var writes = new GroupCommit(app.Services.GetRequiredService<IDocumentStore>(), app.Services.GetRequiredService<Ledger.Api.Infrastructure.Databases.DatabaseMap>(), app.Services, TimeProvider.System,
            Options.Create(new GroupCommitOptions { Writers = 1 }), app.Services.GetRequiredService<IOptions<LedgerOptions>>(), NullLogger<GroupCommit>.Instance);

        var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("select version from ledger.mt_streams where id = @id for update", connection, transaction))
        {
            lockRow.Parameters.AddWithValue("id", locked);
            await lockRow.ExecuteScalarAsync();
        }
        var first = writes.WriteAsync(Charge("carol.group", locked, 1m), default);
        await WaitUntilWaitingOnTheLock(connection);
        first.IsCompleted.Should().BeFalse("the writer waits for the locked account");
        return (writes, transaction, accounts);
    }

    private static async Task WaitUntilWaitingOnTheLock(NpgsqlConnection connection)
    {
        for (var i = 0; i < 100; i++)
        {
            await using var waiting = new NpgsqlCommand(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()", connection);
            if ((long)(await waiting.ExecuteScalarAsync())! > 0)
                return;
            await Task.Delay(50);
        }
        throw new TimeoutException("The writer never waited on the locked account.");
    }

    private static async Task<CommandOutcome[]> ReleaseAndWait(NpgsqlTransaction blocked, IEnumerable<Task<CommandOutcome>> writes)
    {
        var queued = writes.ToList();
        var connection = blocked.Connection!;
        await blocked.CommitAsync();
        await connection.DisposeAsync();
        return await Task.WhenAll(queued);
    }

    private static RequestContext Context(string user) =>
        new(new Actor(user, Roles.Csr, Channel.Desk, null), $"corr-{Guid.NewGuid():N}", null, null, null);

    private static AccountWrite Charge(string user, Guid accountId, decimal amount) =>
        new(new PostCharge(accountId, Guid.NewGuid(), amount, "Group test", "usage", null, null), Context(user));

    private static AccountWrite Credit(string user, Guid accountId, decimal amount) =>
        new(new IssueCredit(accountId, Guid.NewGuid(), amount, "goodwill", "Group test", null, Guid.NewGuid()), Context(user));

    private sealed record StoredEvent(long Version, string? Actor, string? CorrelationId, string Transaction);

    private async Task<List<StoredEvent>> EventsOf(Guid account)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select version, headers->>'actor', correlation_id, xmin::text from ledger.mt_events where stream_id = @id order by version", connection);
        command.Parameters.AddWithValue("id", account);
        var events = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            events.Add(new StoredEvent(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3)));
        return events;
    }

    /// <summary>A decision with a bug in it.</summary>
    private sealed record Throwing(Guid AccountId) : IAccountCommand
    {
        public Guid AnswerId => AccountId;

        public Decision Decide(Domain.Accounts.Account account, Facts facts) => throw new InvalidOperationException("a bug");
    }

    private sealed record StoredCharge(Guid Account, string Description, decimal Amount, string? Actor, string? UserName, string? CorrelationId, string Transaction);

    private async Task<List<StoredCharge>> ChargesOf(IReadOnlyCollection<Guid> accounts)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            select stream_id, data->>'description', (data->>'amount')::numeric, headers->>'actor', user_name, correlation_id, xmin::text
            from ledger.mt_events where stream_id = any(@ids) and type = 'charge_posted' order by stream_id, version
            """, connection);
        command.Parameters.AddWithValue("ids", accounts.ToArray());
        var charges = new List<StoredCharge>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            charges.Add(new StoredCharge(reader.GetGuid(0), reader.GetString(1), reader.GetDecimal(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6)));
        return charges;
    }
}
