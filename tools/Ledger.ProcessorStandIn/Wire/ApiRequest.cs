namespace Ledger.ProcessorStandIn.Wire;

/// <summary>The API request that caused an event: an event's <c>request</c> member.</summary>
public sealed record ApiRequest(string? Id, string? IdempotencyKey)
{
    /// <summary>Events with no API call behind them (a customer paying on the hosted page, a bank's dispute).</summary>
    public static readonly ApiRequest None = new(null, null);

    private const string ItemKey = "Ledger.ProcessorStandIn.ApiRequest";

    public static ApiRequest Of(HttpContext http) => http.Items[ItemKey] as ApiRequest ?? None;

    internal static ApiRequest Begin(HttpContext http)
    {
        var request = new ApiRequest(StripeIds.New("req"), http.Request.Headers["Idempotency-Key"].FirstOrDefault());
        http.Items[ItemKey] = request;
        http.Response.Headers["Request-Id"] = request.Id;
        return request;
    }
}
