using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Paying;

namespace Ledger.Domain.Corporate;

/// <summary>Part of a paying node's payment applied to one charge of one member account.</summary>
public sealed record ItemAllocation(Guid AccountId, Guid EntryId, decimal Amount);

/// <summary>
/// A paying node's payment, received at the desk, and how it is allocated to its members' charges (oldest first, or as the
/// payer asked). Recorded on the node's bill stream; each member then receives its part as a payment on its own account.
/// </summary>
public sealed record CorporatePaymentReceived(Guid TreeId, Guid PayingNodeId, Guid PaymentId, decimal Amount, string Currency, PaymentMethod Method,
    string? Reference, IReadOnlyList<ItemAllocation> Allocations, DateTimeOffset ReceivedAt);

/// <summary>A member's charge with what is still owed on it before the node's payments: its amount less the corrections that stand.</summary>
public sealed record OpenItem(Guid AccountId, Guid EntryId, DateTimeOffset Date, decimal Remaining);

/// <summary>What the payer asked a charge to be paid with.</summary>
public sealed record RequestedAllocation(Guid EntryId, decimal Amount);

/// <summary>A paying node's bill stream as its payments left it: what each charge has been allocated so far, and the payments taken.</summary>
public sealed record PayerLedger
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public IReadOnlyDictionary<Guid, decimal> Allocated { get; init; } = new Dictionary<Guid, decimal>();
    public IReadOnlyList<Guid> Payments { get; init; } = [];

    public static PayerLedger Evolve(PayerLedger? ledger, Guid id, object @event, long version)
    {
        var next = ledger ?? new PayerLedger { Id = id };
        if (@event is CorporatePaymentReceived p)
        {
            var allocated = new Dictionary<Guid, decimal>(next.Allocated);
            foreach (var a in p.Allocations)
                allocated[a.EntryId] = allocated.GetValueOrDefault(a.EntryId) + a.Amount;
            next = next with { Allocated = allocated, Payments = [.. next.Payments, p.PaymentId] };
        }
        return next with { Version = version };
    }

    public decimal Outstanding(OpenItem item) => item.Remaining - Allocated.GetValueOrDefault(item.EntryId);
}

/// <summary>
/// Take a payment for a paying node and allocate it to its members' open charges: first the charges the payer named, with
/// the amounts they named, then the rest oldest first. It never pays a charge more than is owed on it, and never takes more
/// than the open charges add up to (the excess would belong to no account).
/// </summary>
public sealed record AllocatePayment(Guid TreeId, Guid NodeId, Guid PaymentId, decimal Amount, string Currency, PaymentMethod Method, string? Reference,
    IReadOnlyList<RequestedAllocation>? Requested)
{
    public Decision Decide(PayerLedger? ledger, IReadOnlyList<OpenItem> items, DateTimeOffset now)
    {
        ledger ??= new PayerLedger();
        if (ledger.Payments.Contains(PaymentId))
            return Decision.Reject(new Rejection("payment-exists", $"Payment {PaymentId} was already taken.", IsConflict: true, Reference: PaymentId));
        if (Method is not (PaymentMethod.Check or PaymentMethod.Transfer or PaymentMethod.Cash))
            return Decision.Reject("method-not-allowed", "A corporate payment is taken by check, transfer or cash.", "method");
        var minor = Money.Currency.TryFind(Currency, out var currency) ? currency.MinorUnits : 2;
        if (Amount <= 0 || decimal.Round(Amount, minor) != Amount)
            return Decision.Reject("amount-invalid", $"'amount' is above 0 and in {Currency}'s minor units.", "amount");
        if (PaymentRules.Reference(Reference) is { } badReference)
            return Decision.Reject(badReference);
        var open = items.Select(i => (Item: i, Outstanding: ledger.Outstanding(i))).Where(i => i.Outstanding > 0)
            .OrderBy(i => i.Item.Date).ThenBy(i => i.Item.EntryId).ToList();
        var total = open.Sum(i => i.Outstanding);
        if (Amount > total)
            return Decision.Reject("payment-exceeds-open-items",
                $"The members' open charges come to {total} {Currency}; a payment of {Amount} would leave money that belongs to no account.", "amount");

        var allocations = new List<ItemAllocation>();
        var left = Amount;
        var paid = new Dictionary<Guid, decimal>();
        foreach (var (request, index) in (Requested ?? []).Select((r, i) => (r, i)))
        {
            var field = $"allocations[{index}]";
            if (open.FirstOrDefault(o => o.Item.EntryId == request.EntryId) is not { Item: not null } item)
                return Decision.Reject("allocation-item-unknown", $"Charge {request.EntryId} is not an open charge of this node's members.", $"{field}.entryId");
            if (paid.ContainsKey(request.EntryId))
                return Decision.Reject("allocation-duplicate", $"Charge {request.EntryId} is named twice.", $"{field}.entryId");
            if (request.Amount <= 0 || decimal.Round(request.Amount, minor) != request.Amount || request.Amount > item.Outstanding)
                return Decision.Reject("allocation-exceeds-item", $"Charge {request.EntryId} has {item.Outstanding} {Currency} open; name above 0 and at most that.",
                    $"{field}.amount");
            if (request.Amount > left)
                return Decision.Reject("allocation-exceeds-payment", $"The named allocations come to more than the payment of {Amount} {Currency}.", $"{field}.amount");
            allocations.Add(new ItemAllocation(item.Item.AccountId, item.Item.EntryId, request.Amount));
            paid[request.EntryId] = request.Amount;
            left -= request.Amount;
        }
        foreach (var (item, outstanding) in open)
        {
            if (left == 0)
                break;
            var room = outstanding - paid.GetValueOrDefault(item.EntryId);
            if (room <= 0)
                continue;
            var part = Math.Min(room, left);
            allocations.Add(new ItemAllocation(item.AccountId, item.EntryId, part));
            left -= part;
        }
        return Decision.Accept(new CorporatePaymentReceived(TreeId, NodeId, PaymentId, Amount, Currency, Method, Reference?.Trim(), allocations, now));
    }

    /// <summary>The payment each member receives on its own account: the sum of its allocations, under an id derived from the node's payment.</summary>
    public static IEnumerable<(Guid AccountId, Guid EntryId, decimal Amount)> PerMember(CorporatePaymentReceived payment) =>
        payment.Allocations.GroupBy(a => a.AccountId).OrderBy(g => g.Key)
            .Select(g => (g.Key, Buckets.Place(DeterministicId.From($"corporate-payment|{payment.PaymentId}|{g.Key}"), Buckets.Of(g.Key)), g.Sum(a => a.Amount)));
}
