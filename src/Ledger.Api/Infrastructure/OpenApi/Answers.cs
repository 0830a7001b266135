using Ledger.Api.Accounts.Writing;

namespace Ledger.Api.Infrastructure.OpenApi;

/// <summary>
/// What an endpoint answers, declared where it is mapped, in ASP.NET's own response metadata (which Swashbuckle reads):
/// the shapes shared by many endpoints get one name here. What every endpoint of a kind answers besides (401, 429, 503,
/// ...) is added by <see cref="StandardAnswers"/>.
/// </summary>
public static class Answers
{
    public const string Pdf = "application/pdf";
    public const string Csv = "text/csv";

    /// <summary>
    /// A write through the one write path (<see cref="Writes"/>): 201 (or 200 for a change of something that exists)
    /// with the new version, 202 when it became a request for a manager's approval; refused with 404 (no such account),
    /// 409 (a conflict: already decided, concurrent update), 412 (If-Match stale) or 422 (a rule). Its request takes an
    /// Idempotency-Key (and If-Match), its answers carry the ETag. <paramref name="answers"/> false: the endpoint
    /// declares its own success answers; <paramref name="eTag"/> false: they are not an account's, so carry no ETag.
    /// </summary>
    public static RouteHandlerBuilder Write(this RouteHandlerBuilder endpoint, bool created = true, bool mayAwaitApproval = false, bool ifMatch = true,
        bool onAccount = true, bool answers = true, bool eTag = true)
    {
        if (answers)
            endpoint.Produces<WriteResult>(created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
        if (answers && mayAwaitApproval)
            endpoint.Produces<PendingResult>(StatusCodes.Status202Accepted);
        if (ifMatch)
            endpoint.ProducesProblem(StatusCodes.Status412PreconditionFailed);
        if (onAccount)
            endpoint.ProducesProblem(StatusCodes.Status404NotFound);
        return endpoint.Refuses(StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity)
            .WithMetadata(new WriteHeaders(IfMatch: ifMatch, ETag: eTag));
    }

    /// <summary>Problem answers this endpoint gives besides the standard ones.</summary>
    public static RouteHandlerBuilder Refuses(this RouteHandlerBuilder endpoint, params int[] statuses)
    {
        foreach (var status in statuses)
            endpoint.ProducesProblem(status);
        return endpoint;
    }

    /// <summary>A read whose 200 carries the resource's version as ETag.</summary>
    public static RouteHandlerBuilder Versioned(this RouteHandlerBuilder endpoint) => endpoint.WithMetadata(new AnswersETag());

    /// <summary>A 200 that is a file (or, where <paramref name="json"/> is given, that JSON unless the file is asked for).</summary>
    public static RouteHandlerBuilder File(this RouteHandlerBuilder endpoint, string contentType, Type? json = null)
    {
        if (json is not null)
            endpoint.Produces(StatusCodes.Status200OK, json);
        return endpoint.WithMetadata(new AnswersFile(contentType));
    }

    /// <summary>A status answered with one of several bodies (a refund, or the request for approval it became).</summary>
    public static RouteHandlerBuilder OneOf(this RouteHandlerBuilder endpoint, int status, params Type[] bodies) =>
        endpoint.WithMetadata(new AnswersOneOf(status, bodies));
}
