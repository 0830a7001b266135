using Ledger.Domain.Accounts;
using Ledger.Domain.Approvals;
using Ledger.Domain.Collections;
using static Ledger.Domain.Tests.Collections.Dunning;

namespace Ledger.Domain.Tests.Collections;

public class BrokersTests
{
    private static Decision As(Poster poster, Account account, IAccountCommand command, DateOnly? day = null) =>
        command.Decide(account, new Facts(Dunning.On(day ?? Reminder), poster, When.Ceiling));

    private static Account InBook => WalkedTo(Reminder).Then(new BrokerAssigned(Ids.Account, "broker-ann", null, Dunning.On(Reminder)));

    [Fact]
    public void Given_an_account_When_the_desk_assigns_moves_or_removes_a_broker_Then_each_is_an_event_naming_the_one_before()
    {
        As(Posters.Csr, WalkedTo(Reminder), new AssignBroker(Ids.Account, "broker-ann"))
            .ThenEvents(new BrokerAssigned(Ids.Account, "broker-ann", null, Dunning.On(Reminder)));
        As(Posters.Csr, InBook, new AssignBroker(Ids.Account, "broker-bob"))
            .ThenEvents(new BrokerAssigned(Ids.Account, "broker-bob", "broker-ann", Dunning.On(Reminder)));
        As(Posters.Csr, InBook, new AssignBroker(Ids.Account, null)).ThenEvents(new BrokerUnassigned(Ids.Account, "broker-ann", Dunning.On(Reminder)));
        As(Posters.Csr, InBook, new AssignBroker(Ids.Account, "broker-ann")).ThenEvents();
        As(Posters.Csr, InBook, new AssignBroker(Ids.Account, "bad id!")).ThenRejected("broker-id-invalid", "brokerId");
    }

    [Fact]
    public void Given_an_account_in_a_book_When_money_settles_or_a_step_is_taken_Then_its_risk_changed_and_not_for_a_charge()
    {
        var at = Dunning.On(Reminder.AddDays(1));
        var paid = InBook.Then(PaidOn(Reminder.AddDays(1), 50m));
        CancellationRiskChanged.After(InBook, paid, at).Should().Be(new CancellationRiskChanged(Ids.Account, "broker-ann",
            new RiskState(70m, Reminder, CollectionStep.Reminder, null, AccountStatus.Open, false, Dunning.On(Reminder.AddDays(1)), 50m), at));

        CancellationRiskChanged.After(InBook, InBook.Then(Events.Charged(Ids.Charge2, 5m)), at).Should().BeNull("a new charge is not due yet");
        CancellationRiskChanged.After(WalkedTo(Reminder), WalkedTo(Reminder).Then(PaidOn(Reminder, 50m)), at).Should().BeNull("not in a book");
        CancellationRiskChanged.After(WalkedTo(Reminder), InBook, at)!.Risk.PastDueAmount.Should().Be(120m, "coming into the book tells the broker where it stands");
        var intent = WalkedTo(IntentToCancel).Then(new BrokerAssigned(Ids.Account, "broker-ann", null, Dunning.On(IntentToCancel)));
        CancellationRiskChanged.After(intent, intent.ReviewedOn(Suspension), Dunning.On(Suspension))!.Risk
            .Should().Match<RiskState>(r => r.Step == CollectionStep.Suspension && r.Status == AccountStatus.Suspended && r.CancellationEffectiveOn == Cancellation);
    }

    [Fact]
    public void Given_a_broker_When_they_ask_the_desk_to_call_Then_only_for_their_book_and_the_desk_closes_it()
    {
        var broker = new Poster("broker-ann-login", "broker");
        var asked = As(broker, InBook, new RequestCallback(Ids.Account, Ids.Approval, "broker-ann", " Call after five "));

        asked.ThenEvents(new CallbackRequested(Ids.Account, Ids.Approval, "broker-ann", "Call after five", Dunning.On(Reminder)));
        As(broker, InBook, new RequestCallback(Ids.Account, Ids.Approval, "broker-bob", "Call")).ThenRejected("not-in-book");
        As(broker, InBook, new RequestCallback(Ids.Account, Ids.Approval, "broker-ann", " ")).ThenRejected("note-invalid", "note");
        var open = InBook.Then([.. asked.Events]);
        open.OpenCallbacks.Should().ContainSingle();
        As(Posters.Csr, open, new CompleteCallback(Ids.Account, Ids.Approval, "Plan agreed"))
            .ThenEvents(new CallbackCompleted(Ids.Account, Ids.Approval, "Plan agreed", Dunning.On(Reminder)));
        As(Posters.Csr, InBook, new CompleteCallback(Ids.Account, Ids.Approval, "x")).ThenConflict("callback-not-open", Ids.Approval);
    }
}
