
using Ledger.Projections;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Domain.Policies;
using Marten;
using Microsoft.Extensions.Options;

namespace Ledger.Api.Policies;

/// <summary>
/// On an empty database, records the configured defaults as policy version 1, so every limit decision can
/// name the version it used. A policy already in the store is never touched from configuration.
/// </summary>
public sealed class PolicyBootstrap(IDocumentStore store, IOptions<LedgerOptions> options, TimeProvider clock) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<PolicyState>(PolicyState.StreamId, ct) is not null)
            return;
        session.LastModifiedBy = "system:configuration";
        session.SetHeader(EventHeaders.Actor, "system:configuration");
        session.SetHeader(EventHeaders.Role, "system");
        session.Events.StartStream<PolicyState>(PolicyState.StreamId,
            new PolicyChanged(null, options.Value.Limits.ToPolicy(), "Initial limits from configuration", clock.GetUtcNow()));
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Marten.Exceptions.ExistingStreamIdCollisionException)
        {
            // another instance recorded it first: that version stands
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
