using Ledger.ProcessorStandIn.State;

namespace Ledger.ProcessorStandIn.Paying;

/// <summary>
/// <c>POST /pay/{sessionId}</c>: the customer submits a card. Approved: on to the session's success URL. Declined:
/// the page again, saying why, for another try. Unusable input: the page again, with the field to fix.
/// </summary>
public static class SubmitPaymentPageEndpoint
{
    public static void Map(IEndpointRouteBuilder routes) => routes
        .MapPost("/pay/{sessionId}", SubmitAsync)
        .ExcludeFromDescription();

    // The form is read by hand rather than bound: this page stands for Stripe's own site, which the ledger's
    // antiforgery tokens do not reach.
    private static async Task<IResult> SubmitAsync(
        string sessionId, HttpContext http, ProcessorState state, TimeProvider clock, ILoggerFactory loggers)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var action = http.Request.Path.ToString();
        var record = state.Read(records => records.Sessions.GetValueOrDefault(sessionId));
        if (record is null || record.Session.Status != CheckoutSessions.CheckoutSession.Open)
            return ShowPaymentPageEndpoint.Show(record, action);

        var (card, problems) = CardEntry.Read(form[CardEntry.NumberField], form[CardEntry.ExpiryField], form[CardEntry.CvcField], clock.GetUtcNow());
        if (card is null)
            return ShowPaymentPageEndpoint.Show(record, action, problems, status: StatusCodes.Status422UnprocessableEntity);

        var attempt = state.Change((records, now) => SessionPayment.Pay(records, sessionId, card, now));
        // Brand and last four only: the number itself goes no further than CardEntry.
        loggers.CreateLogger(typeof(SubmitPaymentPageEndpoint)).LogInformation("Checkout session {SessionId}: {Brand} ending {Last4}: {Attempt}",
            sessionId, card.Details.Brand, card.Details.Last4, attempt.GetType().Name);
        switch (attempt)
        {
            case PaymentAttempt.Paid paid:
                // Stripe fills the template {CHECKOUT_SESSION_ID} in, so the return page can look the session up.
                http.Response.Headers.Location = paid.Session.SuccessUrl.Replace("{CHECKOUT_SESSION_ID}", paid.Session.Id, StringComparison.Ordinal);
                return Results.StatusCode(StatusCodes.Status303SeeOther);
            case PaymentAttempt.Declined declined:
                return ShowPaymentPageEndpoint.Show(declined.Record, action, declined: declined.Message, status: StatusCodes.Status402PaymentRequired);
            default:
                return ShowPaymentPageEndpoint.Show(state.Read(records => records.Sessions.GetValueOrDefault(sessionId)), action);
        }
    }
}
