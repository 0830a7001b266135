using Wolverine;

namespace Ledger.Api.Collections;

public static class CollectionsSetup
{
    public const string Queue = "collections";

    public static void AddCollections(this IServiceCollection services)
    {
        services.AddSingleton<RiskFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<RiskFeed>());
        // Many bills fall due on the same day: their timers fire together and are reviewed side by side, so that the one
        // write path can carry many in a transaction. Two reviews of one account queue on its stream's lock.
        services.ConfigureWolverine(wolverine =>
        {
            wolverine.LocalQueue(Queue).MaximumParallelMessages(16);
            wolverine.PublishMessage<ReviewAccountCollections>().ToLocalQueue(Queue);
        });
    }

    public static void MapCollections(this WebApplication app)
    {
        var collections = app.MapGroup("/api/collections").WithTags("Collections");
        collections.MapDunningPolicy();
        collections.MapCollectionRuns();
        app.MapBooks();
    }
}
