using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.EventFeed;

[CollectionDefinition(Name)]
public sealed class TwoDatabaseFeedCollection : ICollectionFixture<TwoDatabaseApp.WithFeed>
{
    public const string Name = "feed on two databases";
}

/// <summary>The event feed with the accounts on two databases: each database's daemon publishes its own accounts' events.</summary>
[Collection(TwoDatabaseFeedCollection.Name)]
public sealed class TwoDatabaseFeedTests(TwoDatabaseApp.WithFeed app)
{
    [Fact]
    public async Task Every_accounts_events_are_published_once_and_in_order_whichever_database_holds_it()
    {
        await using var consumer = await FeedConsumer.StartAsync(app.Exchange);
        using var desk = app.ClientFor(TestUser.Csr("csr.feed2"));
        var accounts = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            var accountId = await desk.OpenAccount(TwoDatabaseApp.CustomerIn(i % 2 == 1, $"cust-feed2-{i}"));
            await desk.Post(accountId, "charges", new { amount = 3m + i, description = "Usage", category = "phone" });
            accounts.Add(accountId);
        }
        accounts.Count(TwoDatabaseApp.InSecond).Should().Be(3);

        var published = await consumer.WaitFor(m => accounts.Contains(m.AccountId), 12);
        published.Should().HaveCount(12, "two events for each of six accounts, three in each database");
        foreach (var accountId in accounts)
            published.Where(m => m.AccountId == accountId).Select(m => m.Version).Should().Equal([1L, 2L], "each account's events once, in order");
        published.Select(m => m.Id).Distinct().Should().HaveCount(12);
    }
    [Fact]
    public async Task Events_copied_by_a_bucket_move_are_not_published_again()
    {
        const int bucket = 6;
        await using var consumer = await FeedConsumer.StartAsync(app.Exchange);
        using var desk = app.ClientFor(TestUser.Csr("csr.feed2.move"));
        var customer = Enumerable.Range(0, 1000).Select(i => $"cust-feed2-move-{i}").First(c => Ledger.Domain.Buckets.OfCustomer(c) == bucket);
        var accountId = await desk.OpenAccount(customer);
        await desk.Post(accountId, "charges", new { amount = 4m, description = "Usage", category = "phone" });
        (await consumer.WaitFor(m => m.AccountId == accountId, 2)).Should().HaveCount(2);

        var settings = app.CommandEnvironment.Concat([new KeyValuePair<string, string>("Ledger__Moves__Settle", "00:00:01")]).ToDictionary();
        var (exitCode, output) = await ApiProcess.RunCommandAsync(app.ConnectionString, settings, "move-bucket", $"{bucket}", "--to", "second");
        exitCode.Should().Be(0, output);
        // The second database's daemon now sees the copied events as new ones of its own: it must let them pass.
        await Poll.Until(() => EventStore.Count(app.SecondConnectionString,
                "select count(*) from ledger.mt_event_progression where name like '%rabbitmq-feed%' and last_seq_id >= " +
                "(select max(seq_id) from ledger.mt_events where stream_id = @id)", ("id", accountId)),
            n => n > 0, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1));
        consumer.Messages.Count(m => m.AccountId == accountId).Should().Be(2, "the moved events were published once, from the database they were recorded in");
    }
}
