using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Api.Policies;
using Ledger.Domain.ServiceRequests;
using Marten;
using Wolverine;

namespace Ledger.Api.ServiceRequests;

/// <summary>A request type as the catalogue shows it: its definition (form, documents, help), version, and whether it was retired.</summary>
public sealed record RequestTypeView(string Code, long Version, bool Retired, RequestTypeDefinition Definition)
{
    public static RequestTypeView From(RequestTypeState s) => new(s.Code, s.Version, s.Retired, s.Current);
}

public sealed record DefineRequestTypeRequest(RequestTypeDefinition? Definition, string? Reason);

public sealed class DefineRequestTypeValidator : AbstractValidator<DefineRequestTypeRequest>
{
    public DefineRequestTypeValidator()
    {
        RuleFor(r => r.Definition).NotNull();
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
    }
}

public sealed record RetireRequestTypeRequest(string? Reason);

public sealed class RetireRequestTypeValidator : AbstractValidator<RetireRequestTypeRequest>
{
    public RetireRequestTypeValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
}

public sealed record ServiceRequestPolicyView(long Version, ServiceRequestPolicy Policy);

public sealed record ChangeServiceRequestPolicyRequest(ServiceRequestPolicy? Policy, string? Reason);

public sealed class ChangeServiceRequestPolicyValidator : AbstractValidator<ChangeServiceRequestPolicyRequest>
{
    public ChangeServiceRequestPolicyValidator()
    {
        RuleFor(r => r.Policy).NotNull();
        RuleFor(r => r.Policy!.Calendar).NotNull().When(r => r.Policy is not null);
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
    }
}

/// <summary>Define (or redefine) a type; retire one. Each is an event on the type's own stream.</summary>
public sealed record ChangeRequestType(string Code, RequestTypeDefinition? Definition, string Reason, RequestContext Context);

public sealed record ChangeServiceRequestPolicy(ServiceRequestPolicy Policy, string Reason, RequestContext Context);

public static class ChangeRequestTypeHandler
{
    public static Task<CommandOutcome> Handle(ChangeRequestType message, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        PolicyStreams.ChangeAsync<RequestTypeState>(session, RequestTypeCodes.StreamIdFor(message.Code), message.Context, current => message.Definition is { } definition
            ? RequestTypeState.Define(current, definition, message.Reason, message.Context.Now(clock))
            : RequestTypeState.Retire(current, message.Code, message.Reason, message.Context.Now(clock)), ct);
}

public static class ChangeServiceRequestPolicyHandler
{
    public static Task<CommandOutcome> Handle(ChangeServiceRequestPolicy message, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        PolicyStreams.ChangeAsync<ServiceRequestPolicyState>(session, ServiceRequestPolicyState.StreamId, message.Context,
            current => ServiceRequestPolicyState.Change(current, message.Policy, message.Reason, message.Context.Now(clock)), ct);
}

public static class CatalogueEndpoints
{
    public static void MapRequestCatalogue(this WebApplication app)
    {
        var types = app.MapGroup("/api/service-request-types").WithTags("Service requests");
        types.MapGet("/", async (bool? includeRetired, HttpContext http, IQuerySession query) =>
            {
                var all = await query.Query<RequestTypeState>().ToListAsync(http.RequestAborted);
                var staff = !Actor.From(http.User).IsCustomer;
                return Results.Ok(all.Where(t => !t.Retired || (includeRetired == true && staff)).OrderBy(t => t.Current.Name, StringComparer.Ordinal)
                    .Select(RequestTypeView.From).ToList());
            })
            .RequireAuthorization(AccessPolicies.ServiceRequestsRead)
            .WithName("ListServiceRequestTypes")
            .WithSummary("The catalogue: every request type that can be opened, with its form (fields, help, validation), the documents it needs, " +
                         "its promised turnaround in working hours and its help page. Staff may ask for retired types too (includeRetired).")
            .Produces<List<RequestTypeView>>();

        types.MapGet("/{code}", async (string code, HttpContext http, IQuerySession query) =>
            {
                var type = RequestTypeCodes.Valid(code) ? await query.LoadAsync<RequestTypeState>(RequestTypeCodes.StreamIdFor(code), http.RequestAborted) : null;
                if (type is null || (type.Retired && Actor.From(http.User).IsCustomer))
                    return Problems.NotFound($"Request type '{(code.Length > 40 ? code[..40] : code)}'");
                http.Response.Headers.ETag = ETags.For(type.Version);
                return Results.Ok(RequestTypeView.From(type));
            })
            .RequireAuthorization(AccessPolicies.ServiceRequestsRead)
            .WithName("GetServiceRequestType").Versioned()
            .WithSummary("One request type: its form, documents, turnaround and help page.")
            .Produces<RequestTypeView>()
            .Refuses(StatusCodes.Status404NotFound);

        types.MapPut("/{code}", async (string code, DefineRequestTypeRequest body, HttpContext http, IMessageBus bus) =>
            {
                if (body.Definition!.Code != code)
                    return Problems.Rule(new Domain.Rejection("type-code-mismatch", "'definition.code' must be the code in the path.", "definition.code"));
                var outcome = await bus.InvokeAsync<CommandOutcome>(new ChangeRequestType(code, body.Definition, body.Reason!, Writes.Context(http)),
                    http.RequestAborted);
                return outcome.ToHttp(http, location: null);
            })
            .Validated<DefineRequestTypeRequest>()
            .RequireAuthorization(AccessPolicies.Admin)
            .WithName("DefineServiceRequestType").Write(created: false, onAccount: false)
            .WithSummary("Define a new request type or redefine one (admin), with a reason. Requests already opened keep the version they were " +
                         "opened with; If-Match guards against a concurrent change.");

        types.MapPost("/{code}/retirement", async (string code, RetireRequestTypeRequest body, HttpContext http, IMessageBus bus) =>
            {
                if (!RequestTypeCodes.Valid(code))
                    return Problems.NotFound($"Request type '{(code.Length > 40 ? code[..40] : code)}'");
                var outcome = await bus.InvokeAsync<CommandOutcome>(new ChangeRequestType(code, null, body.Reason!, Writes.Context(http)), http.RequestAborted);
                return outcome.ToHttp(http, location: null);
            })
            .Validated<RetireRequestTypeRequest>()
            .RequireAuthorization(AccessPolicies.Admin)
            .WithName("RetireServiceRequestType").Write(created: false, onAccount: false)
            .WithSummary("Retire a request type (admin): no new request of it can be opened or submitted; those submitted are worked to the end.");

        var policy = app.MapGroup("/api/service-requests/policy").WithTags("Service requests");
        policy.MapPolicyRead<ServiceRequestPolicyState, ServiceRequestPolicyView>("/", ServiceRequestPolicyState.StreamId, "The service-request policy",
                state => (state.Version, new ServiceRequestPolicyView(state.Version, state.Current)))
            .WithName("GetServiceRequestPolicy")
            .WithSummary("How requests are timed: the working calendar (time zone, working days and hours, holidays), when the assignee is " +
                         "alerted, how far an escalation extends the promise, and how long drafts live.");

        policy.MapPut("/", async (ChangeServiceRequestPolicyRequest body, HttpContext http, IMessageBus bus) =>
            {
                var outcome = await bus.InvokeAsync<CommandOutcome>(new ChangeServiceRequestPolicy(body.Policy!, body.Reason!, Writes.Context(http)),
                    http.RequestAborted);
                return outcome.ToHttp(http, location: null);
            })
            .Validated<ChangeServiceRequestPolicyRequest>()
            .RequireAuthorization(AccessPolicies.Admin)
            .WithName("ChangeServiceRequestPolicy").Write(created: false, onAccount: false)
            .WithSummary("Replace the service-request policy (admin), with a reason. Due times already promised stand; new ones, and clocks " +
                         "resumed after waiting for a customer, follow it.");
    }
}
