using System.Net.Http.Json;
using Ledger.Api.Accounts.TimeTravel;
using Ledger.Api.Accounts.Writing;
using Ledger.Domain.Accounts;
using Ledger.IntegrationTests.Harness;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.IntegrationTests.Accounts.TimeTravel;

[Collection(LedgerCollection.Name)]
public sealed class CheckpointTimeTravelTests(LedgerApp app)
{
    [Fact]
    public async Task Every_version_read_from_the_nearest_checkpoint_equals_a_full_replay_of_the_stream()
    {
        using var desk = app.ClientFor(TestUser.Csr("csr.checkpoint"));
        using var admin = app.ClientFor(TestUser.Admin());
        var accountId = await desk.OpenAccount("cust-checkpoint");
        var charge = await desk.Post(accountId, "charges", new { amount = 80m, description = "A", category = "x" });
        await desk.Post(accountId, "charges", new { amount = 20m, description = "B", category = "x" });
        await Task.Delay(30);
        (await admin.PostAsJsonAsync("/api/statement-runs", new { accountIds = new[] { accountId } })).EnsureSuccessStatusCode();
        await desk.Post(accountId, "corrections", new { entryId = charge, amount = 30m, reason = "fix" });
        await desk.Post(accountId, "payments", new { amount = 10m, method = "cash" });
        await Task.Delay(30);
        (await admin.PostAsJsonAsync("/api/statement-runs", new { accountIds = new[] { accountId } })).EnsureSuccessStatusCode();
        await desk.Post(accountId, "charges", new { amount = 5m, description = "C", category = "x" });

        var store = app.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession();
        (await session.Query<AccountCheckpoint>().Where(c => c.AccountId == accountId).CountAsync()).Should().Be(2);
        var current = (await desk.Account(accountId))["version"]!.GetValue<long>();
        for (var version = 1L; version <= current; version++)
        {
            var replayed = await session.Events.AggregateStreamAsync<Account>(accountId, version);
            var read = await (await app.ClientFor(TestUser.Auditor()).GetAsync($"/api/accounts/{accountId}?version={version}")).Body();
            read["balance"]!.GetValue<decimal>().Should().Be(replayed!.Balance, $"version {version}");
            read["billedBalance"]!.GetValue<decimal>().Should().Be(replayed.BilledBalance, $"version {version}");
            read["version"]!.GetValue<long>().Should().Be(version);
        }
    }

    [Fact]
    public async Task Given_a_history_longer_than_the_checkpoint_interval_Then_a_checkpoint_every_interval_equals_the_replay_and_reads_around_it_agree()
    {
        using var desk = app.ClientFor(TestUser.Csr("csr.longhistory"));
        using var auditor = app.ClientFor(TestUser.Auditor());
        var accountId = await desk.OpenAccount("cust-longhistory");
        const long every = WriteBatch.CheckpointEvery;
        await Parallel.ForEachAsync(Enumerable.Range(1, (int)(2 * every + 9)), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            await desk.Post(accountId, "charges", new { amount = 1m + i % 7, description = $"Usage {i}", category = "x" }));

        var store = app.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession();
        var checkpoints = await session.Query<AccountCheckpoint>().Where(c => c.AccountId == accountId).OrderBy(c => c.Version).ToListAsync();
        checkpoints.Select(c => c.Version).Should().Equal(every, 2 * every);
        foreach (var checkpoint in checkpoints)
            checkpoint.State.Should().BeEquivalentTo(await session.Events.AggregateStreamAsync<Account>(accountId, checkpoint.Version),
                $"the checkpoint at {checkpoint.Version} is the account as it stood then, hash chain included");
        foreach (var version in new[] { every - 1, every, every + 1, 2 * every - 1, 2 * every, 2 * every + 1, 2 * every + 10 })
        {
            var replayed = await session.Events.AggregateStreamAsync<Account>(accountId, version);
            var read = await (await auditor.GetAsync($"/api/accounts/{accountId}?version={version}")).Body();
            read["balance"]!.GetValue<decimal>().Should().Be(replayed!.Balance, $"version {version}");
            read["version"]!.GetValue<long>().Should().Be(version);
        }
    }
}
