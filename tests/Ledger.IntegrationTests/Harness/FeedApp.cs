using Microsoft.AspNetCore.Hosting;

namespace Ledger.IntegrationTests.Harness;

/// <summary>The app on a database of its own, publishing its event feed to the test broker on an exchange of its own.</summary>
public sealed class FeedApp : LedgerApp
{
    public string Exchange { get; } = $"ledger.events.test-{Guid.NewGuid():N}";

    public string ChargesQueue { get; } = $"ledger.commands.charges.test-{Guid.NewGuid():N}";

    public string PaymentsQueue { get; } = $"ledger.commands.payments.test-{Guid.NewGuid():N}";

    protected override bool UsesExternalTransports => true;

    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Ledger", NotificationApp.SmallPool(ConnectionString));
        builder.UseSetting("Messaging:RabbitMq:Uri", FeedConsumer.BrokerUri);
        builder.UseSetting("Messaging:RabbitMq:Exchange", Exchange);
        builder.UseSetting("Messaging:RabbitMq:Intake:ChargesQueue", ChargesQueue);
        builder.UseSetting("Messaging:RabbitMq:Intake:PaymentsQueue", PaymentsQueue);
    }
}

[CollectionDefinition(Name)]
public sealed class FeedCollection : ICollectionFixture<FeedApp>
{
    public const string Name = "feed";
}
