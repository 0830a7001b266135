using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Ledger.Api.Infrastructure;

/// <summary>
/// The API explains every refusal as RFC 9457 <c>application/problem+json</c>, whatever the request's Accept header
/// asks for: a client that asked for a PDF (or <c>text/csv</c>, or nonsense) and was refused still learns why, instead
/// of the framework's "Status Code: 403" in plain text. RFC 9110 (15.5.7) lets a server disregard Accept rather than
/// answer 406. The portal's pages keep their own HTML status pages.
/// </summary>
public sealed class ProblemJsonWriter(IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => !context.HttpContext.Request.Path.StartsWithSegments("/portal");

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        problem.Type ??= $"https://www.rfc-editor.org/rfc/rfc9110#status.{problem.Status}";
        options.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, problem.GetType(), options: (System.Text.Json.JsonSerializerOptions?)null,
            contentType: "application/problem+json", http.RequestAborted));
    }
}
