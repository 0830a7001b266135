using JasperFx.Events;
using Ledger.Domain.ServiceRequests;
using Marten.Events.Aggregation;

namespace Ledger.Projections.ServiceRequests;

/// <summary>
/// Each request as it stands, one row: the write side loads it to decide, the desk's queue and the customer's list query it.
/// Notes, messages and documents are read from the request's own (short) stream when one request is shown.
/// </summary>
public sealed class ServiceRequestProjection : SingleStreamProjection<ServiceRequest, Guid>
{
    public ServiceRequestProjection()
    {
        foreach (var type in ServiceRequestEventTypes.All.Where(t => t.Name.StartsWith("ServiceRequest", StringComparison.Ordinal)
                     && t != typeof(ServiceRequestTypeDefined) && t != typeof(ServiceRequestTypeRetired) && t != typeof(ServiceRequestPolicyChanged)))
            IncludeType(type);
    }

    public override ServiceRequest? Evolve(ServiceRequest? snapshot, Guid id, IEvent e) => ServiceRequest.Evolve(snapshot, e.Data, e.Version);
}

/// <summary>Each request type of the catalogue (its stream's id derives from its code).</summary>
public sealed class RequestTypeProjection : SingleStreamProjection<RequestTypeState, Guid>
{
    public RequestTypeProjection()
    {
        IncludeType<ServiceRequestTypeDefined>();
        IncludeType<ServiceRequestTypeRetired>();
    }

    public override RequestTypeState? Evolve(RequestTypeState? snapshot, Guid id, IEvent e) => RequestTypeState.Evolve(snapshot, e.Data);
}

/// <summary>The service-request policy in force (calendar, alert, escalation, drafts), one row.</summary>
public sealed class ServiceRequestPolicyProjection : SingleStreamProjection<ServiceRequestPolicyState, Guid>
{
    public ServiceRequestPolicyProjection() => IncludeType<ServiceRequestPolicyChanged>();

    public override ServiceRequestPolicyState? Evolve(ServiceRequestPolicyState? snapshot, Guid id, IEvent e) =>
        ServiceRequestPolicyState.Evolve(snapshot, e.Data);
}
