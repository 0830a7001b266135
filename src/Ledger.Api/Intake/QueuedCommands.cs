using System.Text.Json;
using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Charging;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Charging;
using Ledger.Api.Accounts.Paying;
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

    /// <summary>Money the bank feed saw arrive: one JSON payment per message (<see cref="BankCreditItem"/>).</summary>
    public string PaymentsQueue { get; set; } = "ledger.commands.payments";

    /// <summary>Who the payments' events name as their actor.</summary>
    public string PaymentsClient { get; set; } = "bank-feed";
}

/// <summary>A message from the charges queue, as the bytes it came in (screened and read by the handler, like an HTTP body).</summary>
public sealed record QueuedCharge(byte[] Body, string? CorrelationId) : IQueuedCommand;

/// <summary>A message from the payments queue, as the bytes it came in.</summary>
public sealed record QueuedPayment(byte[] Body, string? CorrelationId) : IQueuedCommand;

public interface IQueuedCommand
{
    byte[] Body { get; }
    string? CorrelationId { get; }
}

/// <summary>A command the ledger refused: the message goes to the queue's dead letters with this ProblemDetails as the reason.</summary>
public sealed class QueuedCommandRefused(ProblemDetails problem)
    : Exception(JsonSerializer.Serialize(problem, ProblemJson))
{
    private static readonly JsonSerializerOptions ProblemJson = new(JsonSerializerDefaults.Web);

    public ProblemDetails Problem { get; } = problem;
}

/// <summary>Hands the raw message to the handler, which screens and reads it as the API reads a body.</summary>
public sealed class RawCommandSerializer(Func<byte[], string?, IQueuedCommand> wrap) : IMessageSerializer
{
    public string ContentType => "application/json";

    public byte[] Write(Envelope envelope) => ((IQueuedCommand)envelope.Message!).Body;

    public object ReadFromData(Type messageType, Envelope envelope) => wrap(envelope.Data ?? [], envelope.CorrelationId);

    public object ReadFromData(byte[] data) => wrap(data, null);

    public byte[] WriteMessage(object message) => ((IQueuedCommand)message).Body;
}

/// <summary>
/// A command from a queue takes the HTTP path's every step: the same screening (card numbers, broken text), the same
/// validation, the same command and write path, the message's <c>idempotencyKey</c> as the Idempotency-Key. So a
/// redelivered message (the broker's at-least-once) lands once: the second time the first answer is found and
/// nothing is appended. A refusal is final (it would be refused again): the message is dead-lettered with its reason.
/// </summary>
public static class QueuedCommands
{
    /// <summary>The API's own limit for a request body (<c>Ledger:MaxRequestBodyBytes</c>'s default).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static async Task RunAsync<TItem>(IQueuedCommand message, string client, Func<TItem, string?> key, Func<TItem, RequestContext, IAccountCommand> toCommand,
        IValidator<TItem> validator, IMessageBus bus, IQuerySession query, JsonSerializerOptions json, CancellationToken ct) where TItem : class
    {
        if (message.Body.Length > MaxBodyBytes)
            throw Refused(new Rejection("body-too-large", $"A command is at most {MaxBodyBytes} bytes: one command per message."), 413);
        if (RequestInspection.Screen(message.Body) is { } screened)
            throw Refused(screened.Rejection, screened.Status);
        TItem? item;
        try
        {
            item = JsonSerializer.Deserialize<TItem>(message.Body, json);
        }
        catch (JsonException malformed)
        {
            throw Refused(new Rejection("malformed-json", $"The message is not the JSON expected: {malformed.Message}", malformed.Path), 400);
        }
        if (item is null)
            throw Refused(new Rejection("malformed-json", "The message is empty or null; send one JSON command per message."), 400);
        var validation = await validator.ValidateAsync(item, ct);
        if (!validation.IsValid)
            throw Refused(new Rejection("invalid-request", string.Join(" ", validation.Errors.Select(e => e.ErrorMessage)), validation.Errors[0].PropertyName), 400);

        var actor = Actor.Client(client);
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(message.Body));
        var context = new RequestContext(actor, message.CorrelationId ?? key(item)!, null, key(item), hash);
        var outcome = await Writes.OutcomeAsync(bus, query, new AccountWrite(toCommand(item, context), context), ct);
        if (Writes.Refusal(outcome) is { } refused)
            throw new QueuedCommandRefused(refused);
    }

    private static QueuedCommandRefused Refused(Rejection rejection, int status) => new(Problems.Describe(rejection, status));
}

public static class QueuedChargeHandler
{
    public static Task Handle(QueuedCharge message, IMessageBus bus, IQuerySession query, IValidator<BulkChargeItem> validator,
        IOptions<IntakeOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct) =>
        QueuedCommands.RunAsync(message, options.Value.ChargesClient, i => i.IdempotencyKey,
            (i, _) => new PostCharge(i.AccountId!.Value, Ledger.Domain.Buckets.NewIdBeside(i.AccountId!.Value), i.Amount!.Value, i.Description!, i.Category!, i.ServiceFrom, i.ServiceTo),
            validator, bus, query, json.Value.SerializerOptions, ct);
}

public static class QueuedPaymentHandler
{
    public static Task Handle(QueuedPayment message, IMessageBus bus, IQuerySession query, IValidator<BankCreditItem> validator,
        IOptions<IntakeOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct) =>
        QueuedCommands.RunAsync(message, options.Value.PaymentsClient, i => i.IdempotencyKey, (i, context) => i.ToCommand(context),
            validator, bus, query, json.Value.SerializerOptions, ct);
}
