using System.Text.Json.Serialization;

namespace Ledger.ProcessorStandIn.Wire;

/// <summary>Errors in Stripe's shape: <c>{"error": {"type", "code", "message", "param"}}</c> with Stripe's status codes.</summary>
public static class StripeErrors
{
    public const string InvalidRequest = "invalid_request_error";
    public const string Idempotency = "idempotency_error";

    public static StripeReply Unauthorized(string message) => Error(StatusCodes.Status401Unauthorized, InvalidRequest, message);

    public static StripeReply ResourceMissing(string objectName, string id, string param) =>
        Error(StatusCodes.Status404NotFound, InvalidRequest, $"No such {objectName}: '{id}'", "resource_missing", param);

    public static StripeReply BadRequest(string message, string? param = null, string? code = null) =>
        Error(StatusCodes.Status400BadRequest, InvalidRequest, message, code, param);

    public static StripeReply MissingParam(string param) =>
        BadRequest($"Missing required param: {param}.", param, "parameter_missing");

    public static StripeReply InvalidInteger(string param) =>
        BadRequest($"Invalid integer: {param} must be a whole number of the currency's smallest unit.", param, "parameter_invalid_integer");

    public static StripeReply Error(int status, string type, string message, string? code = null, string? param = null) =>
        new(status, StripeJson.Serialize(new ErrorEnvelope(new ErrorBody(type, message, code, param))));

    private sealed record ErrorEnvelope(ErrorBody Error);

    // Stripe leaves absent members out of an error rather than writing nulls.
    private sealed record ErrorBody(
        string Type,
        string Message,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Code,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Param);
}
