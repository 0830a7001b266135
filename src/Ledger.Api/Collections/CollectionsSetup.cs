namespace Ledger.Api.Collections;

public static class CollectionsSetup
{
    public static void AddCollections(this IServiceCollection services)
    {
        services.AddSingleton<RiskFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<RiskFeed>());
    }

    public static void MapCollections(this WebApplication app)
    {
        var collections = app.MapGroup("/api/collections").WithTags("Collections");
        collections.MapDunningPolicy();
        collections.MapCollectionRuns();
        app.MapBooks();
    }
}
