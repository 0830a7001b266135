using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.Databases;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Paying;
using Ledger.Domain.Corporate;
using Marten;
using Wolverine;

namespace Ledger.Api.Corporate;

/// <summary>Take a paying node's payment and allocate it; by whom and under which key is in the context.</summary>
public sealed record RecordCorporatePayment(Guid TreeId, AllocatePayment Command, RequestContext Context);

/// <summary>What taking the payment gave: the payment as recorded (new, or the one a repeated key took), or why not.</summary>
public sealed record CorporatePaymentOutcome(CorporatePaymentReceived? Payment, bool Taken, Rejection? Refusal);

/// <summary>One member's part of a node's payment, to be received on the member's own account (from the outbox, after the payment committed).</summary>
public sealed record ApplyCorporatePayment(Guid AccountId, Guid EntryId, decimal Amount, PaymentMethod Method, string? Reference, Guid PaymentId,
    RequestContext Context);

public static class RecordCorporatePaymentHandler
{
    /// <summary>
    /// The node's bill stream is locked, the members' open charges read, the payment decided and appended, and each member's
    /// part sent on — Wolverine keeps those messages in the outbox of this transaction, so a payment is never recorded without
    /// them or they without it. Each is then applied once (its key is derived from the payment and the member).
    /// </summary>
    public static async Task<CorporatePaymentOutcome> Handle(RecordCorporatePayment message, IDocumentSession session, IDocumentStore store,
        IMessageBus bus, TimeProvider clock, CancellationToken ct)
    {
        var command = message.Command;
        var billStream = ConsolidatedBilling.BillStreamFor(command.NodeId);
        var stream = await session.Events.FetchForExclusiveWriting<PayerLedger>(billStream, ct);
        if (stream.Aggregate?.Payments.Contains(command.PaymentId) == true)
        {
            var recorded = (await session.Events.FetchStreamAsync(billStream, token: ct)).Select(e => e.Data).OfType<CorporatePaymentReceived>()
                .Single(p => p.PaymentId == command.PaymentId);
            return new CorporatePaymentOutcome(recorded, false, null);
        }
        var tree = await session.LoadAsync<CorporateTree>(message.TreeId, ct);
        if (tree is null || tree.Billing.GetValueOrDefault(command.NodeId) != command.Currency)
            return new CorporatePaymentOutcome(null, false, new Rejection("node-not-paying",
                "The node does not pay for its members (in that currency); pay the member accounts themselves.", "nodeId"));
        var items = await OpenItems.ReadAsync(store, tree, command.NodeId, ct);
        var decision = command.Decide(stream.Aggregate, items, message.Context.Now(clock));
        if (decision.Rejection is { } rejection)
            return new CorporatePaymentOutcome(null, false, rejection);
        EventMetadata.Stamp(session, message.Context);
        var payment = (CorporatePaymentReceived)decision.Events.Single();
        stream.AppendOne(payment);
        foreach (var (accountId, entryId, amount) in AllocatePayment.PerMember(payment))
            await bus.PublishAsync(new ApplyCorporatePayment(accountId, entryId, amount, payment.Method, payment.Reference, payment.PaymentId,
                message.Context with { IdempotencyKey = null, ExpectedVersion = null }));
        return new CorporatePaymentOutcome(payment, true, null);
    }
}

public static class ApplyCorporatePaymentHandler
{
    /// <summary>
    /// The member's part, as a payment received on its own account through the account's write path (its limits, locks and
    /// read side as any payment's). Under a key derived from the member's entry: a redelivered message answers the first
    /// outcome again. A refusal (the account closed since) is an error for operations to look at: it is retried, then
    /// dead-lettered, never dropped.
    /// </summary>
    public static async Task Handle(ApplyCorporatePayment message, IMessageBus bus, IDocumentStore store, CancellationToken ct)
    {
        await using var query = store.QueryFor(message.AccountId);
        var context = message.Context with { IdempotencyKey = $"corporate-payment-{message.EntryId:N}" };
        var outcome = await Writes.OutcomeAsync(bus, query, new AccountWrite(
            new ReceivePayment(message.AccountId, message.EntryId, message.Amount, message.Method,
                message.Reference ?? $"Corporate payment {message.PaymentId.ToString()[..8]}", null, null), context), ct);
        if (outcome.Kind != OutcomeKind.Applied)
            throw new InvalidOperationException(
                $"Corporate payment {message.PaymentId}: the part for account {message.AccountId} was not received ({outcome.Kind} {outcome.Rejection?.Rule}).");
    }
}

/// <summary>The members' charges a paying node's payment may go to.</summary>
public static class OpenItems
{
    /// <summary>
    /// Every charge of the members under the node in its currency whose account still takes postings, with its amount less
    /// the corrections that stand (what the payments already allocated are taken off by the decision, from the node's ledger).
    /// </summary>
    public static async Task<IReadOnlyList<OpenItem>> ReadAsync(IDocumentStore store, CorporateTree tree, Guid nodeId, CancellationToken ct)
    {
        var ids = tree.MembersUnder(nodeId).ToArray();
        if (ids.Length == 0)
            return [];
        // Trees and their members' read side: the main database (docs/corporate.md).
        await using var query = store.QuerySession();
        var currency = tree.Billing[nodeId];
        var accounts = (await query.LoadManyAsync<Account>(ct, ids))
            .Where(a => a.Currency == currency && a.Status is AccountStatus.Open or AccountStatus.Suspended or AccountStatus.Cancelled)
            .Select(a => a.Id).ToArray();
        var charges = await query.Query<Entry>().Where(e => accounts.Contains(e.AccountId) && e.Kind == EntryKind.Charge && e.Remaining > 0).ToListAsync(ct);
        return charges.Select(c => new OpenItem(c.AccountId, c.Id, c.Date, c.Remaining)).ToList();
    }
}

public sealed record CorporatePaymentRequest(decimal? Amount, PaymentMethod? Method, string? Reference, List<RequestedAllocation>? Allocations);

public sealed class CorporatePaymentValidator : AbstractValidator<CorporatePaymentRequest>
{
    public CorporatePaymentValidator()
    {
        RuleFor(r => r.Amount).NotNull();
        RuleFor(r => r.Method).NotNull().IsInEnum();
        RuleFor(r => r.Reference).MaximumLength(100);
        RuleFor(r => r.Allocations).Must(a => a is null || a.Count <= 1_000).WithMessage("'allocations' names at most 1,000 charges.");
    }
}

/// <summary>A member's open charge as the payer sees it: what is still owed on it after the node's payments.</summary>
public sealed record OpenItemView(Guid AccountId, Guid EntryId, DateTimeOffset Date, decimal Outstanding);

public static class CorporatePaymentEndpoints
{
    public static void MapCorporatePayments(this RouteGroupBuilder corporates)
    {
        corporates.MapPost("/{corporateId}/nodes/{nodeId:guid}/payments", async (string corporateId, Guid nodeId, CorporatePaymentRequest body,
                HttpContext http, IQuerySession query, IMessageBus bus) =>
            {
                if (CorporateAccess.ReachOf(http, corporateId) is not { } reach)
                    return Problems.NotFound("The corporate customer");
                var context = Writes.Context(http);
                if (Writes.BadIdempotencyKey(context) is { } badKey)
                    return badKey;
                if (await query.LoadAsync<CorporateTree>(reach.TreeId, http.RequestAborted) is not { } tree || !tree.Nodes.ContainsKey(nodeId))
                    return Problems.Rule(new Rejection("node-not-found", $"Node {nodeId} is not in this tree.", "nodeId"), 404);
                if (tree.Billing.GetValueOrDefault(nodeId) is not { } currency)
                    return Problems.Rule(new Rejection("node-not-paying", $"'{tree.Nodes[nodeId].Name}' does not pay for its members; pay their accounts.",
                        "nodeId"), 422);
                // With an Idempotency-Key the payment's id is the key's: the same request again is the same payment.
                var paymentId = context.IdempotencyKey is { } key
                    ? DeterministicId.From($"corporate-payment|{nodeId}|{context.Actor.UserId}|{key}")
                    : Guid.CreateVersion7();
                var outcome = await bus.InvokeAsync<CorporatePaymentOutcome>(new RecordCorporatePayment(reach.TreeId,
                    new AllocatePayment(reach.TreeId, nodeId, paymentId, body.Amount!.Value, currency, body.Method!.Value, body.Reference, body.Allocations),
                    context), http.RequestAborted);
                if (outcome.Refusal is { } refusal)
                    return Problems.Rule(refusal, refusal.IsConflict ? 409 : 422);
                return outcome.Taken
                    ? Results.Created($"/api/corporates/{corporateId}/nodes/{nodeId}/payments", outcome.Payment)
                    : Results.Ok(outcome.Payment);
            })
            .Validated<CorporatePaymentRequest>()
            .RequireAuthorization(AccessPolicies.Desk)
            .WithName("TakeCorporatePayment")
            .WithSummary("Take a paying node's payment at the desk (check, transfer or cash) and allocate it to its members' open charges: those " +
                         "named in 'allocations' first, with their amounts, then the rest oldest first. Each member receives its part as a payment " +
                         "on its own account. Never more than the open charges come to. Idempotency-Key: the same request again is the same payment.")
            .Produces<CorporatePaymentReceived>(StatusCodes.Status201Created)
            .Produces<CorporatePaymentReceived>()
            .Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);

        corporates.MapGet("/{corporateId}/nodes/{nodeId:guid}/payments", async (string corporateId, Guid nodeId, HttpContext http, IQuerySession query) =>
                await ConsolidatedBillEndpoints.VisibleNodeAsync(http, query, corporateId, nodeId) is { } missing
                    ? missing
                    : Results.Ok((await query.Events.FetchStreamAsync(ConsolidatedBilling.BillStreamFor(nodeId), token: http.RequestAborted))
                        .Select(e => e.Data).OfType<CorporatePaymentReceived>().Reverse().ToList()))
            .RequireAuthorization(AccessPolicies.CorporateRead)
            .WithName("ListCorporatePayments")
            .WithSummary("A paying node's payments, newest first, each with the member charges it was allocated to.")
            .Produces<List<CorporatePaymentReceived>>()
            .Refuses(StatusCodes.Status404NotFound);

        corporates.MapGet("/{corporateId}/nodes/{nodeId:guid}/open-items", async (string corporateId, Guid nodeId, HttpContext http, IQuerySession query,
                IDocumentStore store) =>
            {
                if (await ConsolidatedBillEndpoints.VisibleNodeAsync(http, query, corporateId, nodeId) is { } missing)
                    return missing;
                var tree = (await query.LoadAsync<CorporateTree>(CorporateTree.StreamIdFor(corporateId), http.RequestAborted))!;
                if (!tree.Billing.ContainsKey(nodeId))
                    return Results.Ok(new List<OpenItemView>());
                var ledger = await query.LoadAsync<PayerLedger>(ConsolidatedBilling.BillStreamFor(nodeId), http.RequestAborted) ?? new PayerLedger();
                return Results.Ok((await OpenItems.ReadAsync(store, tree, nodeId, http.RequestAborted))
                    .Select(i => new OpenItemView(i.AccountId, i.EntryId, i.Date, ledger.Outstanding(i))).Where(i => i.Outstanding > 0)
                    .OrderBy(i => i.Date).ThenBy(i => i.EntryId).ToList());
            })
            .RequireAuthorization(AccessPolicies.CorporateRead)
            .WithName("ListCorporateOpenItems")
            .WithSummary("The members' charges a paying node's payment may go to, oldest first, with what is still owed on each.")
            .Produces<List<OpenItemView>>()
            .Refuses(StatusCodes.Status404NotFound);
    }
}
