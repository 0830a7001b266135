using Ledger.Api.Infrastructure.Databases;
using Ledger.Api.Integrity.Anchoring;
using Ledger.Domain.Accounts;
using Marten;

namespace Ledger.Api.Integrity;

/// <summary>
/// `verify-ledger`: every anchor file's signature, then every account — those the read model lists and those the latest
/// valid anchor names, so a stream deleted with its read model is still missed — against its chain and that anchor.
/// One line per finding; exit code 1 if there is any. With several databases, every one of them.
/// </summary>
public static class VerifyLedgerCommand
{
    public static async Task<int> RunAsync(WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IDocumentStore>();
        var files = scope.ServiceProvider.GetService<AnchorStore>();

        var tampered = 0;
        StoredAnchor? latest = null;
        foreach (var name in files?.Names() ?? [])
        {
            var stored = await files!.ReadAsync(name, CancellationToken.None);
            if (!stored.Valid)
            {
                tampered++;
                Console.WriteLine($"TAMPERED ANCHOR {name}: {stored.Problem}");
            }
            else
                latest ??= stored;
        }
        var anchored = latest?.Anchor!.Streams.ToDictionary(s => s.StreamId) ?? [];
        Console.WriteLine(files is null ? "Anchoring is off: each chain is checked on its own, which a database owner can recompute."
            : latest is null ? "No valid anchor yet: each chain is checked on its own."
            : $"Checking against anchor {latest.File} ({latest.Anchor!.StreamCount} streams, taken {latest.Anchor.TakenAt:O}).");

        var listed = new List<Guid>();
        foreach (var query in await store.QueryEveryDatabaseAsync())
            await using (query)
                listed.AddRange(await query.Query<Account>().Select(a => a.Id).ToListAsync());
        var ids = listed.Union(anchored.Keys).ToList();
        var broken = 0;
        // Each account in the database of its bucket (the only one, with one database).
        var sessions = new Dictionary<string, IQuerySession>();
        foreach (var id in ids)
        {
            var tenant = store.TenantFor(id);
            if (!sessions.TryGetValue(tenant, out var query))
                sessions[tenant] = query = store.QuerySession(tenant);
            var report = await IntegrityCheck.VerifyAsync(query, id, anchored.GetValueOrDefault(id), CancellationToken.None);
            if (report is { Intact: false })
            {
                broken++;
                Console.WriteLine($"BROKEN {id} at version {report.FirstBrokenVersion} ({report.Finding}): {report.Problem}");
            }
        }
        foreach (var session in sessions.Values)
            await session.DisposeAsync();
        Console.WriteLine($"{ids.Count} accounts verified, {broken} broken, {tampered} tampered anchor files");
        return broken == 0 && tampered == 0 ? 0 : 1;
    }
}
