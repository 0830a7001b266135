using JasperFx.Events;
using Ledger.Api.Access;
using Ledger.Projections;
using Marten;

namespace Ledger.Api.Accounts.Writing;

/// <summary>
/// Who, in which role, through which door, in answer to which request: from the token (via <see cref="RequestContext"/>),
/// never from a body — on each event, since one transaction carries many requests' events.
/// </summary>
public static class EventMetadata
{
    public static string ChannelName(Actor actor) => actor.Channel switch
    {
        Channel.SelfService => "self-service",
        Channel.Processor => "processor",
        Channel.Integration => "integration",
        Channel.Migration => "migration",
        _ => "desk",
    };

    public static IEvent Wrap(IDocumentSession session, RequestContext context, object data, string? chain = null)
    {
        var e = session.Events.BuildEvent(data);
        e.UserName = context.Actor.UserId;
        e.CorrelationId = context.CorrelationId;
        e.SetHeader(EventHeaders.Actor, context.Actor.UserId);
        e.SetHeader(EventHeaders.Role, context.Actor.Role);
        e.SetHeader(EventHeaders.Channel, ChannelName(context.Actor));
        if (chain is not null)
            e.SetHeader(EventHeaders.Chain, chain);
        if (context.ImportedFrom is not null)
            e.SetHeader(EventHeaders.ImportedFrom, context.ImportedFrom);
        return e;
    }

    /// <summary>Session-wide metadata, for a session whose every event is one request's (a policy change, a reprint).</summary>
    public static void Stamp(IDocumentSession session, RequestContext context)
    {
        session.LastModifiedBy = context.Actor.UserId;
        session.CorrelationId = context.CorrelationId;
        session.SetHeader(EventHeaders.Actor, context.Actor.UserId);
        session.SetHeader(EventHeaders.Role, context.Actor.Role);
        session.SetHeader(EventHeaders.Channel, ChannelName(context.Actor));
    }
}
