using System.Net.Http.Json;
using System.Text.Json;
using JasperFx.Events.Daemon;
using Ledger.Domain.Accounts;
using Ledger.IntegrationTests.Harness;
using Ledger.Projections.Approvals;
using Ledger.Projections.Auditing;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.IntegrationTests.Projections;

/// <summary>Every read model rebuilt from the events equals what incremental processing built.</summary>
[Collection(LedgerCollection.Name)]
public sealed class RebuildTests(LedgerApp app)
{
    [Fact]
    public async Task Rebuilding_every_projection_from_the_events_yields_exactly_the_same_read_models()
    {
        using var desk = app.ClientFor(TestUser.Csr("csr.rebuild"));
        using var manager = app.ClientFor(TestUser.Manager("mgr.rebuild"));
        var accountId = await desk.OpenAccount("cust-rebuild");
        var charge = await desk.Post(accountId, "charges", new { amount = 70m, description = "Line", category = "telecom" });
        var correction = await desk.Post(accountId, "corrections", new { entryId = charge, amount = 10m, reason = "promo" });
        await desk.PostAsJsonAsync($"/api/accounts/{accountId}/corrections/{correction}/reversal", new { reason = "promo expired" });
        await desk.Post(accountId, "disputes", new { entryId = charge, reason = "?" });
        var pending = await (await desk.PostAsJsonAsync($"/api/accounts/{accountId}/credits", new { amount = 101m, reasonCode = "goodwill", reason = "r" })).Body();
        await manager.PostAsJsonAsync($"/api/approvals/{pending["approvalId"]}/approve", new { note = "ok" });

        var store = app.Services.GetRequiredService<IDocumentStore>();
        // Background writers of this shared app (a notice's failed delivery attempts, on their own schedule) may append
        // during the rebuild: the audit entries compared are those of the events up to this mark, all projected before
        // the first snapshot.
        long mark;
        await using (var session = store.QuerySession())
            mark = await session.Events.QueryAllRawEvents().OrderByDescending(e => e.Sequence).Select(e => e.Sequence).FirstOrDefaultAsync();
        await store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        var before = await Snapshot(store, mark);

        // Damage the read side so that only a real rebuild from the events can restore it.
        await using (var damage = store.LightweightSession())
        {
            damage.DeleteWhere<Entry>(_ => true);
            damage.DeleteWhere<AuditEntry>(_ => true);
            damage.DeleteWhere<ApprovalView>(_ => true);
            var account = await damage.LoadAsync<Account>(accountId);
            damage.Store(account! with { Balance = 999_999m });
            await damage.SaveChangesAsync();
        }
        (await Snapshot(store, mark)).Should().NotBeEquivalentTo(before);

        using var daemon = await store.BuildProjectionDaemonAsync();
        foreach (var projection in store.Options.Events.Projections().Select(p => p.Name).Distinct())
            await daemon.RebuildProjectionAsync(projection, TimeSpan.FromMinutes(2), CancellationToken.None);

        var after = await Snapshot(store, mark);
        after.Keys.Should().BeEquivalentTo(before.Keys);
        foreach (var (key, json) in before)
            after[key].Should().Be(json, $"{key} must rebuild identically");
        before.Keys.Should().Contain(k => k.StartsWith("Account:")).And.Contain(k => k.StartsWith("Entry:"))
            .And.Contain(k => k.StartsWith("ApprovalView:")).And.Contain(k => k.StartsWith("AuditEntry:"));
    }

    private static async Task<Dictionary<string, string>> Snapshot(IDocumentStore store, long mark)
    {
        await using var session = store.QuerySession();
        var documents = new Dictionary<string, string>();
        void Add<T>(IEnumerable<T> docs, Func<T, object> id) { foreach (var d in docs) documents[$"{typeof(T).Name}:{id(d)}"] = JsonSerializer.Serialize(d); }
        Add(await session.Query<Account>().ToListAsync(), a => a.Id);
        Add(await session.Query<Entry>().ToListAsync(), e => e.Id);
        Add(await session.Query<ApprovalView>().ToListAsync(), a => a.Id);
        Add(await session.Query<AuditEntry>().Where(a => a.Sequence <= mark).ToListAsync(), a => a.Id);
        Add(await session.Query<Ledger.Domain.Approvals.DailyAllowance>().ToListAsync(), a => a.Id);
        Add(await session.Query<Ledger.Domain.Policies.PolicyState>().ToListAsync(), p => p.Id);
        return documents;
    }
}
