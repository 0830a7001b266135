namespace Ledger.ProcessorStandIn.Wire;

/// <summary>
/// A response of the Stripe API: a status and the JSON text, kept as text so an idempotent replay returns the
/// very bytes of the first answer.
/// </summary>
public sealed class StripeReply(int statusCode, string json) : IResult
{
    public int StatusCode { get; } = statusCode;
    public string Json { get; } = json;

    // Stripe.net treats only 200 as success (201 would be read as an error), so every object comes back with 200.
    public static StripeReply Ok(object body) => new(StatusCodes.Status200OK, StripeJson.Serialize(body));

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCode;
        httpContext.Response.ContentType = "application/json";
        return httpContext.Response.WriteAsync(Json);
    }
}
