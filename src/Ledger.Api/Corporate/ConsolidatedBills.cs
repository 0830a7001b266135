using System.Text.Json;
using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Api.Infrastructure.RateLimiting;
using Ledger.Api.Statements;
using Ledger.Api.Statements.Rendering;
using Ledger.Domain;
using Ledger.Domain.Corporate;
using Ledger.Domain.Statements;
using Marten;
using Marten.Exceptions;
using Wolverine;

namespace Ledger.Api.Corporate;

/// <summary>A consolidated bill as listed: what it covers and what it says is due.</summary>
public sealed record ConsolidatedBillSummary(Guid BillId, Guid PayingNodeId, string PayerName, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd,
    int Members, decimal PeriodTotal, decimal ClosingBalance, decimal AmountDue, string Currency, DateOnly DueDate, int TemplateVersion, string DocumentSha256,
    DateTimeOffset IssuedAt)
{
    public static ConsolidatedBillSummary Of(ConsolidatedBillIssued b) => new(b.Content.BillId, b.PayingNodeId, b.Content.PayerName, b.Content.PeriodStart,
        b.Content.PeriodEnd, b.Content.Sections.Count, b.Content.PeriodTotal, b.Content.ClosingBalance, b.Content.AmountDue, b.Content.Currency, b.Content.DueDate,
        b.TemplateVersion, b.DocumentSha256, b.IssuedAt);
}

/// <summary>Issue a paying node's consolidated bill for the period ending at <see cref="Cutoff"/> (the monthly run's message).</summary>
public sealed record IssueConsolidatedBill(Guid TreeId, Guid NodeId, DateTimeOffset Cutoff, RequestContext Context);

public static class IssueConsolidatedBillHandler
{
    /// <summary>Idempotent per node and cut-off: a redelivered or rerun message answers the bill already issued.</summary>
    public static async Task Handle(IssueConsolidatedBill message, IDocumentStore store, ConsolidatedBillRenderer renderer, TimeProvider clock,
        ILogger<IssueConsolidatedBill> log, CancellationToken ct)
    {
        var outcome = await ConsolidatedBills.IssueAsync(store, renderer, message.TreeId, message.NodeId, message.Cutoff, message.Context, clock, ct);
        if (outcome.Refusal is { Rule: not ("nothing-to-bill" or "node-not-paying") } refusal)
            log.LogWarning("Consolidated bill of node {NodeId} to {Cutoff}: {Rule} {Message}", message.NodeId, message.Cutoff, refusal.Rule, refusal.Message);
    }
}

/// <summary>What issuing gave: the bill (new, or the one already issued for that cut-off), or why none.</summary>
public sealed record ConsolidatedOutcome(ConsolidatedBillIssued? Bill, bool Issued, Rejection? Refusal, bool NotFound = false);

/// <summary>
/// Issues and reprints the consolidated bills of paying nodes. A bill is composed and drawn outside any lock (a thousand
/// members' streams are read in one query), then recorded on the node's bill stream only if no other bill was recorded
/// there since it was composed — the stream's row is locked for the check — otherwise composed again. Its bytes are kept
/// under their hash in the same transaction. The members' own streams are never written: their own bills stop while a
/// node pays for them (<see cref="PaidByParentAsync"/>).
/// </summary>
public static class ConsolidatedBills
{
    public static async Task<ConsolidatedOutcome> IssueAsync(IDocumentStore store, ConsolidatedBillRenderer renderer, Guid treeId, Guid nodeId,
        DateTimeOffset cutoff, RequestContext context, TimeProvider clock, CancellationToken ct)
    {
        if (cutoff > clock.GetUtcNow())
            return new ConsolidatedOutcome(null, false, new Rejection("cutoff-in-future", "A bill closes a period that has ended.", "cutoff"));
        var billStream = ConsolidatedBilling.BillStreamFor(nodeId);
        var billId = ConsolidatedBilling.BillIdFor(nodeId, cutoff);
        for (var attempt = 1; ; attempt++)
        {
            await using var query = store.QuerySession();
            var recorded = await query.Events.FetchStreamAsync(billStream, token: ct);
            var composedAt = recorded.Count > 0 ? recorded[^1].Version : 0;
            var bills = recorded.Select(e => e.Data).OfType<ConsolidatedBillIssued>().ToList();
            if (bills.FirstOrDefault(b => b.Content.BillId == billId && b.TreeId == treeId) is { } already)
                return new ConsolidatedOutcome(already, false, null);
            if (bills.Count > 0 && bills[0].TreeId == treeId && cutoff <= bills[^1].Content.PeriodEnd)
                return new ConsolidatedOutcome(null, false, new Rejection("period-already-billed",
                    $"Node '{bills[^1].Content.PayerName}' was billed up to {bills[^1].Content.PeriodEnd:O}; a bill closes a later cut-off.", "cutoff"));
            var tree = ConsolidatedBilling.TreeAt(await RecordedAsync(query, treeId, 0, ct), cutoff);
            if (tree is null || !tree.Nodes.ContainsKey(nodeId))
                return new ConsolidatedOutcome(null, false, null, NotFound: true);
            if (!tree.Billing.ContainsKey(nodeId))
                return new ConsolidatedOutcome(null, false, new Rejection("node-not-paying",
                    $"Node '{tree.Nodes[nodeId].Name}' did not pay for its members at {cutoff:O}.", "nodeId"));
            var streams = await MemberStreamsAsync(query, tree.MembersUnder(nodeId), _ => long.MaxValue, ct);
            var content = ConsolidatedBilling.Compose(tree, nodeId, bills.Select(b => b.Content).ToList(), streams, cutoff, billId);
            if (content is null)
                return new ConsolidatedOutcome(null, false, new Rejection("nothing-to-bill",
                    "Nothing happened on the members' accounts since the last bill, and nothing is owed."));
            var version = renderer.ForNewBills;
            var issuedAt = context.Now(clock);
            var document = renderer.Render(content, version, issuedAt);
            var issued = new ConsolidatedBillIssued(treeId, nodeId, content, version, StatementRenderer.Sha256(document), issuedAt);

            await using var session = store.LightweightSession();
            EventMetadata.Stamp(session, context);
            StatementDocuments.Keep(session, issued.DocumentSha256, document);
            try
            {
                await session.Events.AppendExclusive(billStream, ct, issued);
                // Another bill (or a payment) recorded since this one was composed: compose again (this session is never saved, its lock goes with it).
                if ((await session.Events.FetchStreamStateAsync(billStream, ct))?.Version != composedAt)
                {
                    if (attempt < 5)
                        continue;
                    return new ConsolidatedOutcome(null, false, new Rejection("bill-run-busy", "Other bills or payments of this node kept being recorded; try again.",
                        IsConflict: true, Reference: nodeId));
                }
            }
            catch (NonExistentStreamException)
            {
                session.Events.StartStream(billStream, issued);
            }
            try
            {
                await session.SaveChangesAsync(ct);
                return new ConsolidatedOutcome(issued, true, null);
            }
            catch (ExistingStreamIdCollisionException) when (attempt < 5)
            {
                // Two first bills at once: the other one started the stream.
            }
        }
    }

    /// <summary>Every corporate customer's paying nodes (trees are few beside accounts: read whole, in the main database).</summary>
    public static async Task<List<(Guid TreeId, Guid NodeId)>> PayingNodesAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var main = store.QuerySession();
        return (await main.Query<CorporateTree>().ToListAsync(ct)).SelectMany(t => t.Billing.Keys.Select(node => (t.Id, node))).ToList();
    }

    /// <summary>
    /// Whether a node pays for this account: its own bills are then not issued (its activity is on the node's consolidated
    /// bill). Trees live in the main database.
    /// </summary>
    public static async Task<bool> PaidByParentAsync(IDocumentStore store, Guid accountId, string currency, CancellationToken ct)
    {
        await using var main = store.QuerySession();
        return await main.LoadAsync<CorporateMembership>(accountId, ct) is { } membership
               && await main.LoadAsync<CorporateTree>(membership.TreeId, ct) is { } tree
               && tree.PayerOf(accountId) is { } payer && tree.Billing[payer] == currency;
    }

    /// <summary>
    /// Recomposes an issued bill from what it was composed from — the bills before it, the tree at its recorded version, and
    /// each member's events up to the last one it covers — and serves its stored bytes (or, lost, re-renders them) only if
    /// both the content and the document hash still match the record. Null bytes: the rejection says why.
    /// </summary>
    public static async Task<(ConsolidatedBillIssued? Bill, byte[]? Bytes, Rejection? Integrity)> ReprintAsync(IQuerySession query,
        ConsolidatedBillRenderer renderer, Guid nodeId, Guid billId, CancellationToken ct)
    {
        var billEvents = await query.Events.FetchStreamAsync(ConsolidatedBilling.BillStreamFor(nodeId), token: ct);
        var bills = billEvents.Select(e => e.Data).OfType<ConsolidatedBillIssued>().ToList();
        var at = bills.FindIndex(b => b.Content.BillId == billId);
        if (at < 0)
            return (null, null, null);
        var bill = bills[at];
        var tree = (await RecordedAsync(query, bill.TreeId, bill.Content.TreeVersion, ct))
            .Aggregate((CorporateTree?)null, (t, e) => CorporateTree.Evolve(t, e.Data, e.Version));
        var through = bill.Content.Sections.ToDictionary(s => s.AccountId, s => s.ThroughVersion);
        var streams = await MemberStreamsAsync(query, [.. through.Keys], id => through[id], ct);
        var recomposed = tree is null ? null
            : ConsolidatedBilling.Compose(tree, nodeId, bills.Take(at).Select(b => b.Content).ToList(), streams, bill.Content.PeriodEnd, billId);
        if (recomposed is null || JsonSerializer.Serialize(recomposed) != JsonSerializer.Serialize(bill.Content))
            return (bill, null, Integrity(billId, "its figures and lines no longer match the events they were composed from"));
        var bytes = await StatementDocuments.LoadAsync(query, bill.DocumentSha256, ct);
        if (bytes is null && renderer.Unavailable(bill.TemplateVersion) is { } why)
            return (bill, null, Integrity(billId, $"its document is missing and {why}"));
        bytes ??= renderer.Render(bill.Content, bill.TemplateVersion, bill.IssuedAt);
        return StatementRenderer.Sha256(bytes) == bill.DocumentSha256
            ? (bill, bytes, null)
            : (bill, null, Integrity(billId, "its document does not hash to the value recorded when it was issued"));
    }

    private static Rejection Integrity(Guid billId, string what) =>
        new("statement-integrity-error", $"Consolidated bill {billId} cannot be reprinted: {what}. It has been logged for investigation; no different bill is served.");

    private static async Task<IReadOnlyList<RecordedEvent>> RecordedAsync(IQuerySession query, Guid streamId, long upToVersion, CancellationToken ct) =>
        (await query.Events.FetchStreamAsync(streamId, upToVersion, token: ct)).Select(e => new RecordedEvent(e.Version, e.Timestamp, e.Data)).ToList();

    /// <summary>The members' events (each up to <paramref name="upTo"/> of it), in one query however many members there are.</summary>
    private static async Task<Dictionary<Guid, IReadOnlyList<RecordedEvent>>> MemberStreamsAsync(IQuerySession query, IReadOnlyList<Guid> members,
        Func<Guid, long> upTo, CancellationToken ct)
    {
        var ids = members.ToArray();
        var events = ids.Length == 0 ? [] : await query.Events.QueryAllRawEvents().Where(e => ids.Contains(e.StreamId)).ToListAsync(ct);
        return events.GroupBy(e => e.StreamId).ToDictionary(g => g.Key,
            g => (IReadOnlyList<RecordedEvent>)g.Where(e => e.Version <= upTo(g.Key)).OrderBy(e => e.Version)
                .Select(e => new RecordedEvent(e.Version, e.Timestamp, e.Data)).ToList());
    }
}

public sealed record IssueConsolidatedBillRequest(DateTimeOffset? Cutoff);

public sealed record SetBillingRequest(BillingMode? Mode, string? Currency);

public sealed class SetBillingValidator : AbstractValidator<SetBillingRequest>
{
    public SetBillingValidator()
    {
        RuleFor(r => r.Mode).NotNull().IsInEnum();
        RuleFor(r => r.Currency).MaximumLength(3);
    }
}

public static class ConsolidatedBillEndpoints
{
    public static void MapConsolidatedBills(this RouteGroupBuilder corporates)
    {
        corporates.MapPut("/{corporateId}/nodes/{nodeId:guid}/billing", (string corporateId, Guid nodeId, SetBillingRequest body, HttpContext http,
                IQuerySession query, IMessageBus bus) =>
                TreeEndpoints.Reached(http, corporateId, reach => TreeEndpoints.WriteAsync(http, query, bus, corporateId,
                    new SetBilling(reach.TreeId, nodeId, body.Mode!.Value, body.Currency?.ToUpperInvariant()), reach)))
            .Validated<SetBillingRequest>()
            .RequireAuthorization(AccessPolicies.CorporateTrees)
            .WithName("SetCorporateBilling").Produces<TreeView>().Write(answers: false, onAccount: false)
            .Refuses(StatusCodes.Status404NotFound)
            .WithSummary("Make a node pay for its members (parentPays, in one currency): their activity rolls up into one consolidated bill for " +
                         "the node and their own bills stop; or let each pay again (eachPays). Paying nodes are never nested.");

        corporates.MapPost("/{corporateId}/nodes/{nodeId:guid}/bills", async (string corporateId, Guid nodeId, IssueConsolidatedBillRequest body,
                HttpContext http, IDocumentStore store, ConsolidatedBillRenderer renderer, TimeProvider clock) =>
            {
                if (CorporateAccess.ReachOf(http, corporateId) is not { } reach)
                    return Problems.NotFound("The corporate customer");
                var now = clock.GetUtcNow();
                var cutoff = body.Cutoff ?? now;
                if (cutoff > now)
                    return Problems.Rule(new Rejection("cutoff-in-future", "A bill closes a period that has ended: 'cutoff' must not be after now.", "cutoff"), 422);
                var outcome = await ConsolidatedBills.IssueAsync(store, renderer, reach.TreeId, nodeId, cutoff, Writes.Context(http), clock, http.RequestAborted);
                if (outcome.NotFound)
                    return Problems.Rule(new Rejection("node-not-found", $"Node {nodeId} is not in this tree (as it stood at the cut-off).", "nodeId"), 404);
                if (outcome.Refusal is { } refusal)
                    return Problems.Rule(refusal, refusal.Rule is "period-already-billed" or "bill-run-busy" ? 409 : 422);
                var summary = ConsolidatedBillSummary.Of(outcome.Bill!);
                return outcome.Issued
                    ? Results.Created($"/api/corporates/{corporateId}/nodes/{nodeId}/bills/{summary.BillId}", summary)
                    : Results.Ok(summary);
            })
            .RequireAuthorization(AccessPolicies.Admin)
            .WithName("IssueConsolidatedBill")
            .WithSummary("Issue the consolidated bill of a paying node for the period ending at 'cutoff' (default now; admin): a section per member " +
                         "and per cost centre, from the tree as it stood at the cut-off (a member moved since is moved on the next bill); stored, " +
                         "hashed and signed like any bill. The same cut-off again answers the bill already issued (200).")
            .Produces<ConsolidatedBillSummary>(StatusCodes.Status201Created)
            .Produces<ConsolidatedBillSummary>()
            .Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);

        corporates.MapGet("/{corporateId}/nodes/{nodeId:guid}/bills", async (string corporateId, Guid nodeId, HttpContext http, IQuerySession query) =>
                await VisibleNodeAsync(http, query, corporateId, nodeId) is { } missing
                    ? missing
                    : Results.Ok((await query.Events.FetchStreamAsync(ConsolidatedBilling.BillStreamFor(nodeId), token: http.RequestAborted))
                        .Select(e => e.Data).OfType<ConsolidatedBillIssued>().Select(ConsolidatedBillSummary.Of).Reverse().ToList()))
            .RequireAuthorization(AccessPolicies.CorporateRead)
            .WithName("ListConsolidatedBills")
            .WithSummary("A paying node's consolidated bills, newest first (its corporate admins if the node is within theirs, desk, auditors).")
            .Produces<List<ConsolidatedBillSummary>>()
            .Refuses(StatusCodes.Status404NotFound);

        corporates.MapGet("/{corporateId}/nodes/{nodeId:guid}/bills/{billId:guid}", async (string corporateId, Guid nodeId, Guid billId, HttpContext http,
                IQuerySession query) =>
            {
                if (await VisibleNodeAsync(http, query, corporateId, nodeId) is { } missing)
                    return missing;
                var bill = (await query.Events.FetchStreamAsync(ConsolidatedBilling.BillStreamFor(nodeId), token: http.RequestAborted))
                    .Select(e => e.Data).OfType<ConsolidatedBillIssued>().FirstOrDefault(b => b.Content.BillId == billId);
                return bill is null ? Problems.NotFound($"Bill {billId}") : Results.Ok(bill);
            })
            .RequireAuthorization(AccessPolicies.CorporateRead)
            .WithName("GetConsolidatedBill")
            .WithSummary("A consolidated bill's content as issued: every member's section and lines, the cost-centre totals, and its document hash.")
            .Produces<ConsolidatedBillIssued>()
            .Refuses(StatusCodes.Status404NotFound);

        corporates.MapGet("/{corporateId}/nodes/{nodeId:guid}/bills/{billId:guid}/document", async (string corporateId, Guid nodeId, Guid billId,
                HttpContext http, IQuerySession query, IDocumentStore store, ConsolidatedBillRenderer renderer, TimeProvider clock,
                ILogger<ConsolidatedBillRenderer> log) =>
            {
                if (await VisibleNodeAsync(http, query, corporateId, nodeId) is { } missing)
                    return missing;
                var (bill, bytes, integrity) = await ConsolidatedBills.ReprintAsync(query, renderer, nodeId, billId, http.RequestAborted);
                if (bill is null)
                    return Problems.NotFound($"Bill {billId}");
                if (integrity is not null)
                {
                    log.LogError("Integrity error: consolidated bill {BillId} of node {NodeId}: {What}", billId, nodeId, integrity.Message);
                    return Problems.Rule(integrity, StatusCodes.Status409Conflict);
                }
                await using (var session = store.LightweightSession())
                {
                    EventMetadata.Stamp(session, Writes.Context(http));
                    await SideStreams.AppendQueuedAsync(session, DeterministicId.From($"consolidated-bill-reprints|{nodeId}"),
                        new ConsolidatedBillReprinted(bill.TreeId, billId, bill.DocumentSha256, clock.GetUtcNow()), http.RequestAborted);
                    await session.SaveChangesAsync(http.RequestAborted);
                }
                http.Response.Headers.ETag = $"\"{bill.DocumentSha256}\"";
                return Results.File(bytes!, "application/pdf", $"consolidated-bill-{bill.Content.CorporateId}-{bill.Content.PeriodEnd:yyyy-MM-dd}.pdf");
            })
            .RequireAuthorization(AccessPolicies.CorporateRead).RateLimited(RateLimitRule.Downloads)
            .WithName("ReprintConsolidatedBill").File(Answers.Pdf)
            .WithSummary("The consolidated bill's PDF exactly as issued, byte for byte, after checking it against the events it was composed from " +
                         "(a mismatch is 409 statement-integrity-error, never a different bill). Every copy is recorded.")
            .Refuses(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
    }

    /// <summary>Null when the caller may see the node's bills (the node is within what they administer); else the 404 to answer.</summary>
    internal static async Task<IResult?> VisibleNodeAsync(HttpContext http, IQuerySession query, string corporateId, Guid nodeId)
    {
        if (CorporateAccess.ReachOf(http, corporateId) is not { } reach)
            return Problems.NotFound("The corporate customer");
        var tree = await query.LoadAsync<CorporateTree>(reach.TreeId, http.RequestAborted);
        return tree is not null && tree.Nodes.ContainsKey(nodeId) && (reach.Scope is not { } scope || tree.IsWithin(nodeId, scope))
            ? null
            : Problems.NotFound($"Node {nodeId}");
    }
}
