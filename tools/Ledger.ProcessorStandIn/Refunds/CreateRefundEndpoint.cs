using Ledger.ProcessorStandIn.State;
using Ledger.ProcessorStandIn.Wire;

namespace Ledger.ProcessorStandIn.Refunds;

public static class CreateRefundEndpoint
{
    public static void Map(RouteGroupBuilder v1) => v1
        .MapPost("/refunds", CreateAsync)
        .AddEndpointFilter<IdempotencyKeys>();

    private static async Task<StripeReply> CreateAsync(HttpContext http, ProcessorState state)
    {
        var (request, refusal) = RefundRequest.Read(await StripeForm.ReadAsync(http.Request, http.RequestAborted));
        if (refusal is not null)
            return refusal;
        var apiRequest = ApiRequest.Of(http);
        return state.Change((records, now) => Refunding.Refund(records, request!, now, apiRequest));
    }
}
