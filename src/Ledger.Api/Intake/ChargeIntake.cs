using System.Text.Json;
using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Charging;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Domain;
using Ledger.Domain.Accounts.Charging;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Runtime.Serialization;

namespace Ledger.Api.Intake;

/// <summary>Section <c>Messaging:RabbitMq:Intake</c>: the queues in-house systems push commands to (on the feed's broker).</summary>
public sealed class IntakeOptions
{
    public const string Section = "Messaging:RabbitMq:Intake";

    /// <summary>Charges from the rating engine: one JSON charge per message (<see cref="BulkChargeItem"/>'s fields).</summary>
    public string ChargesQueue { get; set; } = "ledger.commands.charges";

    /// <summary>Who the charges' events name as their actor: the system that feeds the queue.</summary>
    public string ChargesClient { get; set; } = "rating-engine";
}

/// <summary>A message from the charges queue, as the bytes it came in (screened and read by the handler, like an HTTP body).</summary>
public sealed record QueuedCharge(byte[] Body, string? CorrelationId);

/// <summary>A command the ledger refused: the message goes to the queue's dead letters with this ProblemDetails as the reason.</summary>
public sealed class QueuedCommandRefused(ProblemDetails problem)
    : Exception(JsonSerializer.Serialize(problem, ProblemJson))
{
    private static readonly JsonSerializerOptions ProblemJson = new(JsonSerializerDefaults.Web);

    public ProblemDetails Problem { get; } = problem;
}

/// <summary>Hands the raw message to the handler, which screens and reads it as the API reads a body.</summary>
public sealed class RawCommandSerializer : IMessageSerializer
{
    public string ContentType => "application/json";

    public byte[] Write(Envelope envelope) => ((QueuedCharge)envelope.Message!).Body;

    public object ReadFromData(Type messageType, Envelope envelope) =>
        new QueuedCharge(envelope.Data ?? [], envelope.CorrelationId);

    public object ReadFromData(byte[] data) => new QueuedCharge(data, null);

    public byte[] WriteMessage(object message) => ((QueuedCharge)message).Body;
}

/// <summary>
/// A charge from the queue takes the HTTP path's every step: the same screening (card numbers, broken text), the same
/// validation, the same command and write path, the message's <c>idempotencyKey</c> as the Idempotency-Key. So a
/// redelivered message (the broker's at-least-once) lands once: the second time the first answer is found and
/// nothing is appended. A refusal is final (it would be refused again): the message is dead-lettered with its reason.
/// </summary>
public static class QueuedChargeHandler
{
    public static async Task Handle(QueuedCharge message, IMessageBus bus, IQuerySession query, IValidator<BulkChargeItem> validator,
        IOptions<IntakeOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (RequestInspection.Screen(message.Body) is { } screened)
            throw Refused(screened.Rejection, screened.Status);
        BulkChargeItem? item;
        try
        {
            item = JsonSerializer.Deserialize<BulkChargeItem>(message.Body, json.Value.SerializerOptions);
        }
        catch (JsonException malformed)
        {
            throw Refused(new Rejection("malformed-json", $"The message is not a JSON charge: {malformed.Message}", malformed.Path), 400);
        }
        if (item is null)
            throw Refused(new Rejection("malformed-json", "The message is empty or null; send one JSON charge per message."), 400);
        var validation = await validator.ValidateAsync(item, ct);
        if (!validation.IsValid)
            throw Refused(new Rejection("invalid-request", string.Join(" ", validation.Errors.Select(e => e.ErrorMessage)), validation.Errors[0].PropertyName), 400);

        var actor = new Actor($"client:{options.Value.ChargesClient}", "system", Channel.Integration, null);
        var body = System.Security.Cryptography.SHA256.HashData(message.Body);
        var context = new RequestContext(actor, message.CorrelationId ?? item.IdempotencyKey!, null, item.IdempotencyKey, Convert.ToHexString(body));
        var command = new PostCharge(item.AccountId!.Value, Guid.CreateVersion7(), item.Amount!.Value, item.Description!, item.Category!, item.ServiceFrom,
            item.ServiceTo);
        var outcome = await Writes.OutcomeAsync(bus, query, new AccountWrite(command, context), ct);
        if (Writes.Refusal(outcome) is { } refused)
            throw new QueuedCommandRefused(refused);
    }

    private static QueuedCommandRefused Refused(Rejection rejection, int status) => new(Problems.Describe(rejection, status));
}
