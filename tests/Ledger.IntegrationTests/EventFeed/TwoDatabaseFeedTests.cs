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
}
