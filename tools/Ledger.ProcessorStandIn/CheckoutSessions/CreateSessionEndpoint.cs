using Ledger.ProcessorStandIn.Paying;
using Ledger.ProcessorStandIn.State;
using Ledger.ProcessorStandIn.Wire;
using Microsoft.Extensions.Options;

namespace Ledger.ProcessorStandIn.CheckoutSessions;

public static class CreateSessionEndpoint
{
    public static void Map(RouteGroupBuilder v1) => v1
        .MapPost("/checkout/sessions", CreateAsync)
        .AddEndpointFilter<IdempotencyKeys>();

    private static async Task<StripeReply> CreateAsync(
        HttpContext http, ProcessorState state, LinkGenerator links, IOptions<ProcessorStandInOptions> options)
    {
        var form = await StripeForm.ReadAsync(http.Request, http.RequestAborted);
        var (requested, refusal) = NewSession.Read(form);
        if (refusal is not null)
            return refusal;

        var id = StripeIds.New("cs_test");
        // The page's address as this request reached the stand-in, so it works however the stand-in is hosted.
        var url = (options.Value.PublicBaseUrl is { Length: > 0 } publicBase
                ? publicBase.TrimEnd('/') + links.GetPathByName(http, ShowPaymentPageEndpoint.Name, new { sessionId = id })
                : links.GetUriByName(http, ShowPaymentPageEndpoint.Name, new { sessionId = id }))
            ?? throw new InvalidOperationException("The hosted payment page is not mapped.");
        var opened = state.Change((records, now) =>
        {
            var record = requested!.Open(id, url, now, options.Value.SessionLifetime);
            records.Sessions[id] = record;
            return record.Session;
        });
        return StripeReply.Ok(opened);
    }
}
