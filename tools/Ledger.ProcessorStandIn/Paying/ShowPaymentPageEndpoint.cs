using Ledger.ProcessorStandIn.CheckoutSessions;
using Ledger.ProcessorStandIn.State;

namespace Ledger.ProcessorStandIn.Paying;

/// <summary><c>GET /pay/{sessionId}</c>: the page a Checkout Session's <c>url</c> points the customer to.</summary>
public static class ShowPaymentPageEndpoint
{
    public const string Name = "ProcessorStandIn.PaymentPage";

    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapGet("/pay/{sessionId}", (string sessionId, HttpContext http, ProcessorState state) =>
            Show(state.Read(records => records.Sessions.GetValueOrDefault(sessionId)), http.Request.Path))
        .WithName(Name)
        .ExcludeFromDescription();

    internal static IResult Show(SessionRecord? record, string action, IReadOnlyDictionary<string, string>? problems = null, string? declined = null, int status = StatusCodes.Status200OK)
    {
        if (record is null)
            return Page(StatusCodes.Status404NotFound, PaymentPage.Message("Payment page not found", "There is no payment with this address."));
        return record.Session.Status switch
        {
            CheckoutSession.Expired => Page(StatusCodes.Status410Gone, PaymentPage.Message("This payment has expired", "Ask the merchant for a new payment link.", record.Session.CancelUrl, "Go back")),
            CheckoutSession.Complete => Page(StatusCodes.Status200OK, PaymentPage.Message("Already paid", "This payment is complete.", record.Session.SuccessUrl, "Continue")),
            _ => Page(status, PaymentPage.Form(record, action, problems ?? new Dictionary<string, string>(), declined)),
        };
    }

    private static IResult Page(int status, string html) => new HostedPageResult(status, html);

    private sealed class HostedPageResult(int status, string html) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "text/html; charset=utf-8";
            // Nothing but the page's own inline styles may load; no browser cache keeps a card form.
            response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'";
            response.Headers.CacheControl = "no-store";
            response.Headers.XContentTypeOptions = "nosniff";
            return response.WriteAsync(html);
        }
    }
}
