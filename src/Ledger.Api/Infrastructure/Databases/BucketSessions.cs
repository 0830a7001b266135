using JasperFx;
using JasperFx.Descriptors;
using Ledger.Domain;
using Marten;
using Marten.Pagination;

namespace Ledger.Api.Infrastructure.Databases;

/// <summary>
/// Sessions on the database that holds an account's bucket. With one database every one of them is the default session
/// it always was; with several, a session on the bucket's tenant, which Marten opens on the database holding it.
/// </summary>
public static class BucketSessions
{
    public static bool IsSharded(this IDocumentStore store) => store.Options.Tenancy.Cardinality != DatabaseCardinality.Single;

    /// <summary>The Marten tenant of <paramref name="id"/>'s bucket (an account's id, or any id minted beside one).</summary>
    public static string TenantFor(this IDocumentStore store, Guid id) =>
        store.IsSharded() ? Buckets.TenantId(Buckets.Of(id)) : StorageConstants.DefaultTenantId;

    public static IDocumentSession SessionFor(this IDocumentStore store, Guid id) => store.LightweightSession(store.TenantFor(id));

    public static IQuerySession QueryFor(this IDocumentStore store, Guid id) => store.QuerySession(store.TenantFor(id));

    /// <summary>
    /// One query session per database, for the reads that span every account (desk search, queues, reports): the
    /// caller merges what each returns. With one database, the one default session.
    /// </summary>
    public static async Task<IReadOnlyList<IQuerySession>> QueryEveryDatabaseAsync(this IDocumentStore store)
    {
        if (!store.IsSharded())
            return [store.QuerySession()];
        var databases = await store.Storage.AllDatabases();
        return databases.Select(d => store.QuerySession(Marten.Services.SessionOptions.ForDatabase(d))).ToList();
    }

    /// <summary>
    /// A document about an account found wherever it is: with one database, loaded from <paramref name="current"/>; with
    /// several, from the id's own bucket first (where ids minted beside an account are), then from every database (a
    /// name-based id, or one minted before there were buckets).
    /// </summary>
    public static async Task<T?> LoadAnywhereAsync<T>(this IQuerySession current, Guid id, CancellationToken ct) where T : notnull
    {
        var store = current.DocumentStore;
        if (!store.IsSharded())
            return await current.LoadAsync<T>(id, ct);
        await using (var own = store.QueryFor(id))
            if (await own.LoadAsync<T>(id, ct) is { } found)
                return found;
        var sessions = await store.QueryEveryDatabaseAsync();
        try
        {
            foreach (var query in sessions)
                if (await query.LoadAsync<T>(id, ct) is { } found)
                    return found;
            return default;
        }
        finally
        {
            foreach (var query in sessions)
                await query.DisposeAsync();
        }
    }

    /// <summary>
    /// What a query finds about accounts in every database, one database's answer after another (so a <c>Take(n)</c> may
    /// give up to n per database: a caller that wants exactly one match sees two as ambiguous, as it should).
    /// </summary>
    public static async Task<List<T>> QueryAnywhereAsync<T>(this IQuerySession current, Func<IQueryable<T>, IQueryable<T>> shape, CancellationToken ct)
        where T : notnull
    {
        var store = current.DocumentStore;
        if (!store.IsSharded())
            return (await shape(current.Query<T>()).ToListAsync(ct)).ToList();
        var found = new List<T>();
        foreach (var query in await store.QueryEveryDatabaseAsync())
            await using (query)
                found.AddRange(await shape(query.Query<T>()).ToListAsync(ct));
        return found;
    }

    /// <summary>
    /// One page of a query over every database, in the query's order. With one database, the page straight from
    /// <paramref name="current"/>. With several, each database's first <c>page × pageSize</c> rows in that order, merged by
    /// <paramref name="order"/> (which must sort as the database does: ordinal, as PostgreSQL's C collation), and the
    /// totals summed; deep pages cost more than with one database, which is why <c>Paging.MaxPage</c> bounds them.
    /// </summary>
    public static async Task<(IReadOnlyList<T> Items, long Total)> PageEveryDatabaseAsync<T>(this IDocumentStore store, IQuerySession current,
        Func<IQuerySession, IQueryable<T>> filtered, Func<IQueryable<T>, IOrderedQueryable<T>> sorted, IComparer<T> order, int page, int pageSize,
        CancellationToken ct) where T : notnull
    {
        if (!store.IsSharded())
        {
            var one = await sorted(filtered(current)).ToPagedListAsync(page, pageSize, ct);
            return (one.ToList(), one.TotalItemCount);
        }
        var (items, total) = (new List<T>(), 0L);
        foreach (var query in await store.QueryEveryDatabaseAsync())
            await using (query)
            {
                total += await filtered(query).CountAsync(ct);
                items.AddRange(await sorted(filtered(query)).Take(page * pageSize).ToListAsync(ct));
            }
        return (items.Order(order).Skip((page - 1) * pageSize).Take(pageSize).ToList(), total);
    }
}

/// <summary>
/// The sessions ASP.NET hands to endpoints and pages: on the bucket of the account (or of the approval, payment,
/// refund... minted beside it) the route names, else on the default tenant (the main database). Wolverine's handlers get
/// theirs from the message's tenant instead.
/// </summary>
public sealed class BucketSessionFactory(IDocumentStore store, IHttpContextAccessor http) : ISessionFactory
{
    /// <summary>Route values whose id tells the bucket, the account's first.</summary>
    private static readonly string[] BucketedRouteValues = ["accountId", "approvalId"];

    public IQuerySession QuerySession() => store.QuerySession(Tenant());

    public IDocumentSession OpenSession() => store.LightweightSession(Tenant());

    private string Tenant()
    {
        if (!store.IsSharded() || http.HttpContext?.Request.RouteValues is not { Count: > 0 } route)
            return StorageConstants.DefaultTenantId;
        foreach (var name in BucketedRouteValues)
            if (route.TryGetValue(name, out var value) && Guid.TryParse(value?.ToString(), out var id))
                return store.TenantFor(id);
        return StorageConstants.DefaultTenantId;
    }
}
