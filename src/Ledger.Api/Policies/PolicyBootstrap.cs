
using Ledger.Projections;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Domain.Collections;
using Ledger.Domain.Policies;
using Marten;
using Microsoft.Extensions.Options;

namespace Ledger.Api.Policies;

/// <summary>
/// On an empty database, records the configured defaults as version 1 of each policy (the limits, dunning), so every
/// decision can name the version it used. A policy already in the store is never touched from configuration.
/// </summary>
public sealed class PolicyBootstrap(IDocumentStore store, IOptions<LedgerOptions> options, TimeProvider clock) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await RecordFirstAsync<PolicyState>(PolicyState.StreamId,
            new PolicyChanged(null, options.Value.Limits.ToPolicy(), "Initial limits from configuration", clock.GetUtcNow()), ct);
        await RecordFirstAsync<DunningPolicyState>(DunningPolicyState.StreamId,
            new DunningPolicyChanged(null, DunningPolicy.Default, "Initial dunning policy", clock.GetUtcNow()), ct);
        await RecordFirstAsync<Domain.ServiceRequests.ServiceRequestPolicyState>(Domain.ServiceRequests.ServiceRequestPolicyState.StreamId,
            new Domain.ServiceRequests.ServiceRequestPolicyChanged(null, Domain.ServiceRequests.ServiceRequestPolicy.Default,
                "Initial service-request policy", clock.GetUtcNow()), ct);
        // The catalogue every ledger starts with; an admin redefines or retires a type later, and that is never undone here.
        foreach (var type in Domain.ServiceRequests.BuiltInRequestTypes.All)
            await RecordFirstAsync<Domain.ServiceRequests.RequestTypeState>(Domain.ServiceRequests.RequestTypeCodes.StreamIdFor(type.Code),
                new Domain.ServiceRequests.ServiceRequestTypeDefined(type.Code, null, type, "Built-in request type", clock.GetUtcNow()), ct);
    }

    private async Task RecordFirstAsync<TState>(Guid streamId, object first, CancellationToken ct) where TState : class
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<TState>(streamId, ct) is not null)
            return;
        session.LastModifiedBy = "system:configuration";
        session.SetHeader(EventHeaders.Actor, "system:configuration");
        session.SetHeader(EventHeaders.Role, "system");
        session.Events.StartStream<TState>(streamId, first);
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
