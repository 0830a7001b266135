using System.Security.Cryptography;
using System.Text.Json;
using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.Idempotency;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain;
using Ledger.Domain.Accounts.Charging;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Accounts.Charging;

public sealed record BulkChargeItem(
    Guid? AccountId, string? IdempotencyKey, decimal? Amount, string? Description, string? Category, DateOnly? ServiceFrom, DateOnly? ServiceTo);

public sealed record BulkChargesRequest(IReadOnlyList<BulkChargeItem?>? Items);

public sealed class BulkChargesValidator : AbstractValidator<BulkChargesRequest>
{
    public const int MaxItems = 1_000;

    public BulkChargesValidator() => RuleFor(r => r.Items).NotNull()
        .Must(items => items is null || items.Count is >= 1 and <= MaxItems).WithMessage($"'items' holds 1 to {MaxItems:N0} charges.");
}

public sealed class BulkChargeItemValidator : AbstractValidator<BulkChargeItem>
{
    public BulkChargeItemValidator()
    {
        RuleFor(i => i.AccountId).NotNull().NotEqual(Guid.Empty);
        RuleFor(i => i.IdempotencyKey).NotEmpty().Must(k => k is null || Writes.IsSafeToken(k))
            .WithMessage("'idempotencyKey' is 1 to 100 characters of letters, digits, '-', '_', '.' or ':'.");
        RuleFor(i => i.Amount).NotNull();
        RuleFor(i => i.Description).NotEmpty().MaximumLength(200);
        RuleFor(i => i.Category).NotEmpty().MaximumLength(50);
    }
}

/// <summary>One item's answer: the status and body the single-charge endpoint would have given it.</summary>
public sealed record BulkItemResult(
    int Index, string? IdempotencyKey, Guid? AccountId, int Status, Guid? EntryId, long? Version, decimal? Balance, string? Currency, ProblemDetails? Problem);

public sealed record BulkChargesResult(IReadOnlyList<BulkItemResult> Items, int Applied, int Refused);

/// <summary>
/// For systems that post many charges at once (a rating engine's usage): up to 1,000 items, each with its own
/// Idempotency-Key, each decided and answered on its own, committed together through the one write path. A bad item
/// does not sink the others; sending the request again replays every item's first answer and writes nothing twice.
/// </summary>
public static class PostChargesInBulkEndpoint
{
    public const long MaxBodyBytes = 1024 * 1024;

    public static void Map(WebApplication app) => app
        .MapPost("/api/bulk/charges", PostAsync)
        .Validated<BulkChargesRequest>()
        .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
        .RequireAuthorization(AccessPolicies.PostCharges)
        .WithTags("Accounts")
        .WithName("PostChargesInBulk")
        .Produces<BulkChargesResult>()
        .WithSummary("Post up to 1,000 charges, each with its own idempotencyKey; 200 with each item's status, entry and ProblemDetails.");

    private static async Task<IResult> PostAsync(BulkChargesRequest body, HttpContext http, GroupCommit writer, IQuerySession query,
        IValidator<BulkChargeItem> validator)
    {
        var items = body.Items!;
        var results = new BulkItemResult?[items.Count];
        var sent = new List<(int Index, AccountWrite Write)>();
        var context = Writes.Context(http);
        var keys = new Dictionary<string, int>();
        for (var i = 0; i < items.Count; i++)
        {
            if (Invalid(items[i], i, validator) is { } invalid)
                results[i] = invalid;
            else if (!keys.TryAdd(items[i]!.IdempotencyKey!, i))
                results[i] = Refused(i, items[i], new Rejection("idempotency-key-repeated",
                    $"Item {keys[items[i]!.IdempotencyKey!]} of this request already uses this idempotencyKey.", $"items[{i}].idempotencyKey", IsConflict: true), 409);
            else
                sent.Add((i, Write(items[i]!, context)));
        }

        var records = (await query.LoadManyAsync<IdempotencyRecord>(http.RequestAborted,
            sent.Select(s => IdempotencyRecord.IdFor(context.Actor, s.Write.Context.IdempotencyKey!)).ToArray())).ToDictionary(r => r.Id);
        var fresh = new List<(int Index, AccountWrite Write)>();
        foreach (var (index, write) in sent)
        {
            if (records.GetValueOrDefault(IdempotencyRecord.IdFor(context.Actor, write.Context.IdempotencyKey!)) is not { } record)
                fresh.Add((index, write));
            else if (record.RequestHash == write.Context.RequestHash)
                results[index] = Answer(index, items[index]!, record.Outcome);
            else
                results[index] = Refused(index, items[index], new Rejection("idempotency-key-reused",
                    "This idempotencyKey was already used for a different charge; use a new key for a new charge.", $"items[{index}].idempotencyKey"), 422);
        }

        var outcomes = await writer.WriteManyAsync(fresh.Select(f => f.Write).ToList(), http.RequestAborted);
        for (var i = 0; i < fresh.Count; i++)
            results[fresh[i].Index] = Answer(fresh[i].Index, items[fresh[i].Index]!, outcomes[i]);
        var answered = results.Select(r => r!).ToList();
        return TypedResults.Ok(new BulkChargesResult(answered, answered.Count(r => r.Status == StatusCodes.Status201Created),
            answered.Count(r => r.Status != StatusCodes.Status201Created)));
    }

    /// <summary>Each item is its own request: its key, and the hash of the item itself for telling a retry from a different charge.</summary>
    private static AccountWrite Write(BulkChargeItem item, RequestContext context) =>
        new(new PostCharge(item.AccountId!.Value, Ledger.Domain.Buckets.NewIdBeside(item.AccountId!.Value), item.Amount!.Value, item.Description!, item.Category!, item.ServiceFrom,
                item.ServiceTo),
            context with { IdempotencyKey = item.IdempotencyKey, RequestHash = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(item))) });

    private static BulkItemResult? Invalid(BulkChargeItem? item, int index, IValidator<BulkChargeItem> validator)
    {
        if (item is null)
            return Refused(index, null, new Rejection("required", "Each item is a charge object.", $"items[{index}]"), 400);
        var result = validator.Validate(item);
        if (result.IsValid)
            return null;
        var problem = Problems.Describe(new Rejection("invalid-request", "The item has invalid or missing fields.", $"items[{index}].{result.Errors[0].PropertyName}"),
            StatusCodes.Status400BadRequest);
        problem.Extensions["errors"] = result.Errors.GroupBy(e => $"items[{index}].{e.PropertyName}").ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
        return new BulkItemResult(index, item.IdempotencyKey, item.AccountId, 400, null, null, null, null, problem);
    }

    private static BulkItemResult Refused(int index, BulkChargeItem? item, Rejection rejection, int status) =>
        new(index, item?.IdempotencyKey, item?.AccountId, status, null, null, null, null, Problems.Describe(rejection, status));

    private static BulkItemResult Answer(int index, BulkChargeItem item, CommandOutcome outcome) => Writes.Refusal(outcome) is { } problem
        ? new BulkItemResult(index, item.IdempotencyKey, item.AccountId, problem.Status!.Value, null, null, null, null, problem)
        : new BulkItemResult(index, item.IdempotencyKey, item.AccountId, StatusCodes.Status201Created, outcome.ResourceId, outcome.Version, outcome.Balance,
            outcome.Currency, null);
}
