using Ledger.Domain.Accounts;
using Ledger.Domain.Corporate;

namespace Ledger.Domain.Tests.Corporate;

/// <summary>A paying node's payment allocated to its members' charges: as named, then oldest first; never beyond what is owed.</summary>
public class AllocationTests
{
    private static readonly Guid Tree = Guid.Parse("7e000000-0000-0000-0000-000000000005");
    private static readonly Guid Node = Guid.Parse("7e000000-0000-0000-0000-0000000004d1");
    private static readonly Guid Anna = Guid.Parse("7e000000-0000-0000-0000-0000000004a1");
    private static readonly Guid Ben = Guid.Parse("7e000000-0000-0000-0000-0000000004a2");
    private static readonly Guid A1 = Guid.Parse("7e000000-0000-0000-0000-0000000004e1");
    private static readonly Guid A2 = Guid.Parse("7e000000-0000-0000-0000-0000000004e2");
    private static readonly Guid B1 = Guid.Parse("7e000000-0000-0000-0000-0000000004e3");
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly IReadOnlyList<OpenItem> Items =
        [new(Anna, A2, T0.AddDays(3), 30m), new(Ben, B1, T0.AddDays(2), 20m), new(Anna, A1, T0.AddDays(1), 10m)];

    private static AllocatePayment Pay(decimal amount, params RequestedAllocation[] requested) =>
        new(Tree, Node, Guid.Parse("7e000000-0000-0000-0000-0000000004f1"), amount, "USD", PaymentMethod.Transfer, "WIRE-1", requested.Length == 0 ? null : requested);

    private static IReadOnlyList<ItemAllocation> Allocations(Decision decision) => ((CorporatePaymentReceived)decision.Events.Single()).Allocations;

    [Fact]
    public void Given_open_charges_When_a_payment_names_none_Then_it_pays_the_oldest_first()
    {
        Allocations(Pay(35m).Decide(null, Items, T0)).Should().Equal(new ItemAllocation(Anna, A1, 10m), new ItemAllocation(Ben, B1, 20m),
            new ItemAllocation(Anna, A2, 5m));
        AllocatePayment.PerMember((CorporatePaymentReceived)Pay(35m).Decide(null, Items, T0).Events.Single())
            .Select(p => (p.AccountId, p.Amount)).Should().Equal((Anna, 15m), (Ben, 20m));
    }

    [Fact]
    public void Given_named_charges_When_paid_Then_those_first_and_the_rest_oldest_first()
    {
        Allocations(Pay(40m, new RequestedAllocation(A2, 25m)).Decide(null, Items, T0))
            .Should().Equal(new ItemAllocation(Anna, A2, 25m), new ItemAllocation(Anna, A1, 10m), new ItemAllocation(Ben, B1, 5m));
    }

    [Fact]
    public void Given_earlier_payments_When_allocating_Then_what_they_paid_is_no_longer_open()
    {
        var first = (CorporatePaymentReceived)Pay(15m).Decide(null, Items, T0).Events.Single();
        var ledger = PayerLedger.Evolve(null, Node, first, 1);
        var second = new AllocatePayment(Tree, Node, Guid.NewGuid(), 45m, "USD", PaymentMethod.Check, null, null).Decide(ledger, Items, T0);
        Allocations(second).Should().Equal(new ItemAllocation(Ben, B1, 15m), new ItemAllocation(Anna, A2, 30m));
        new AllocatePayment(Tree, Node, Guid.NewGuid(), 45.01m, "USD", PaymentMethod.Check, null, null).Decide(ledger, Items, T0)
            .ThenRejected("payment-exceeds-open-items", "amount");
        Pay(1m).Decide(ledger, Items, T0).ThenConflict("payment-exists", first.PaymentId);
    }

    [Fact]
    public void Given_a_payment_When_it_or_what_it_names_is_wrong_Then_refused_naming_the_field()
    {
        Pay(60.01m).Decide(null, Items, T0).ThenRejected("payment-exceeds-open-items", "amount");
        Pay(0m).Decide(null, Items, T0).ThenRejected("amount-invalid", "amount");
        Pay(1.001m).Decide(null, Items, T0).ThenRejected("amount-invalid", "amount");
        (Pay(10m) with { Method = PaymentMethod.Card }).Decide(null, Items, T0).ThenRejected("method-not-allowed", "method");
        Pay(10m, new RequestedAllocation(Guid.NewGuid(), 1m)).Decide(null, Items, T0).ThenRejected("allocation-item-unknown", "allocations[0].entryId");
        Pay(10m, new RequestedAllocation(A1, 11m)).Decide(null, Items, T0).ThenRejected("allocation-exceeds-item", "allocations[0].amount");
        Pay(10m, new RequestedAllocation(A1, 5m), new RequestedAllocation(A1, 1m)).Decide(null, Items, T0)
            .ThenRejected("allocation-duplicate", "allocations[1].entryId");
        Pay(10m, new RequestedAllocation(A1, 5m), new RequestedAllocation(B1, 6m)).Decide(null, Items, T0)
            .ThenRejected("allocation-exceeds-payment", "allocations[1].amount");
    }

    [Fact]
    public void Any_payment_is_allocated_in_full_never_beyond_an_item_and_the_members_parts_add_up_to_it()
    {
        for (var cents = 1; cents <= 6000; cents += 7)
        {
            var amount = cents / 100m;
            var payment = (CorporatePaymentReceived)Pay(amount).Decide(null, Items, T0).Events.Single();
            payment.Allocations.Sum(a => a.Amount).Should().Be(amount);
            payment.Allocations.Should().OnlyContain(a => a.Amount > 0 && a.Amount <= Items.Single(i => i.EntryId == a.EntryId).Remaining);
            AllocatePayment.PerMember(payment).Sum(p => p.Amount).Should().Be(amount);
        }
    }
}
