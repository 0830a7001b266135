namespace Ledger.Api.Collections;

public static class CollectionsSetup
{
    public static void MapCollections(this WebApplication app)
    {
        var collections = app.MapGroup("/api/collections").WithTags("Collections");
        collections.MapDunningPolicy();
        collections.MapCollectionRuns();
        app.MapBooks();
    }
}
