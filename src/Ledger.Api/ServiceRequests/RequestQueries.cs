using Ledger.Api.Access;
using Ledger.Domain.ServiceRequests;
using Marten;

namespace Ledger.Api.ServiceRequests;

/// <summary>The lists of requests, for the API and the portal's pages alike.</summary>
public static class RequestQueries
{
    /// <summary>
    /// A customer's own requests (drafts included, discarded ones left out), or for staff the desk's queue: the open requests
    /// unless a <paramref name="status"/> is asked for; narrowed by team, assignee and type.
    /// </summary>
    public static IQueryable<ServiceRequest> Listed(IQuerySession query, Actor actor, RequestStatus? status, string? team, string? assignee, string? type)
    {
        var q = query.Query<ServiceRequest>().AsQueryable();
        if (actor.IsCustomer)
            q = q.Where(r => r.CustomerId == actor.CustomerId && r.Status != RequestStatus.Discarded);
        else if (status is null)
            q = q.Where(r => r.Status == RequestStatus.Received || r.Status == RequestStatus.InReview || r.Status == RequestStatus.WaitingForCustomer);
        if (status is { } wanted)
            q = q.Where(r => r.Status == wanted);
        if (team is not null)
            q = q.Where(r => r.Team == team);
        if (assignee is not null)
            q = q.Where(r => r.Assignee == assignee);
        if (type is not null)
            q = q.Where(r => r.TypeCode == type);
        return q;
    }

    /// <summary>The queue's order: the least time left first (waiting requests, whose clock is stopped, last), then the oldest.</summary>
    public static IQueryable<ServiceRequest> LeastTimeLeftFirst(this IQueryable<ServiceRequest> requests) =>
        requests.OrderBy(r => r.DueAt).ThenBy(r => r.SubmittedAt);

    /// <summary>The status a name stands for (the API's and the portal's names), or null for a name that is none.</summary>
    public static RequestStatus? StatusNamed(string name) =>
        Enum.GetValues<RequestStatus>().Cast<RequestStatus?>().FirstOrDefault(s => ServiceRequest.Name(s!.Value) == name);

    public static IReadOnlyList<string> StatusNames { get; } = Enum.GetValues<RequestStatus>().Select(ServiceRequest.Name).ToList();
}
