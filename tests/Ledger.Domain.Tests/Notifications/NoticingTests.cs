using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Profile;
using Ledger.Domain.Approvals;
using Ledger.Domain.Notifications;

namespace Ledger.Domain.Tests.Notifications;

public class NoticingTests
{
    private static readonly ContactPreferencesChanged ByEmail = new(Ids.Account, ContactChannel.Email, "ada@example.org", At.Opened);
    private static readonly ContactPreferencesChanged ByBoth = new(Ids.Account, ContactChannel.Both, "ada@example.org", At.Opened);
    private static readonly Address NewHome = new("3 Baker Street", null, "London", "NW1 6XE", "GB");

    private static IReadOnlyList<Notice> When(Account before, long firstVersion, params object[] events) =>
        Noticing.For(before, events.Select((e, i) => new AppendedEvent(firstVersion + i, e)));

    [Fact]
    public void Given_no_contact_preference_When_a_payment_is_received_Then_no_notice()
    {
        When(Given.Account(Events.Opened()), 2, Events.Paid(Ids.Payment, 10m)).Should().BeEmpty();
    }

    [Fact]
    public void Given_email_and_paper_When_a_payment_is_received_Then_one_notice_per_channel_with_ids_from_event_and_recipient()
    {
        var notices = When(Given.Account(Events.Opened(), ByBoth), 3, Events.Paid(Ids.Payment, 10m));

        notices.Select(n => (n.Kind, n.To.Channel, n.Amount, n.EventVersion)).Should().Equal(
            (NoticeKind.PaymentReceived, NoticeChannel.Email, 10m, 3L), (NoticeKind.PaymentReceived, NoticeChannel.Paper, 10m, 3L));
        notices[1].To.Address.Should().Be(Events.Home);
        notices.Select(n => n.NoticeId).Should().OnlyHaveUniqueItems();
        When(Given.Account(Events.Opened(), ByBoth), 3, Events.Paid(Ids.Payment, 10m)).Select(n => n.NoticeId)
            .Should().Equal(notices.Select(n => n.NoticeId), "deciding again gives the same ids: the delivery record's key");
    }

    [Fact]
    public void Given_email_When_a_pending_payment_fails_Then_the_customer_is_told_why_and_a_start_alone_tells_nothing()
    {
        var started = new PaymentInitiated(Ids.Account, Ids.Payment, 60m, PaymentMethod.Card, null, "cs_test_1", At.Earlier);
        When(Given.Account(Events.Opened(), ByEmail), 3, started).Should().BeEmpty("nothing has happened to the customer's money yet");

        var failed = When(Given.Account(Events.Opened(), ByEmail, started), 4,
            new PaymentFailed(Ids.Account, Ids.Payment, "insufficient_funds", "Your card has insufficient funds.", At.Now));

        failed.Should().ContainSingle().Which.Should().Match<Notice>(n => n.Kind == NoticeKind.PaymentFailed && n.Amount == 60m
            && n.Reference == "cs_test_1" && n.Detail == "Card: Your card has insufficient funds.");
        When(Given.Account(Events.Opened(), ByEmail), 3,
            new PaymentFailed(Ids.Account, Ids.Payment, "expired", "Expired.", At.Now)).Should().BeEmpty("a failure of no known payment tells nothing");
    }

    [Fact]
    public void Given_email_When_a_charge_and_a_dispute_are_recorded_Then_no_notice_but_its_resolution_is_told()
    {
        var account = Given.Account(Events.Opened(), ByEmail, Events.Charged(Ids.Charge, 40m));
        When(account, 4, Events.Disputed(Ids.Dispute, Ids.Charge)).Should().BeEmpty();

        var disputed = Given.Account(Events.Opened(), ByEmail, Events.Charged(Ids.Charge, 40m), Events.Disputed(Ids.Dispute, Ids.Charge));
        When(disputed, 5, Events.Resolved(Ids.Dispute, Ids.Charge)).Should().ContainSingle()
            .Which.Should().Match<Notice>(n => n.Kind == NoticeKind.DisputeResolved && n.Reference == Ids.Dispute.ToString() && n.Detail!.StartsWith("Upheld"));
    }

    [Fact]
    public void Given_email_When_the_customers_own_request_is_rejected_Then_they_are_told_with_the_reason()
    {
        var asked = Given.Account(Events.Opened(), ByEmail,
            Events.CreditRequested(Ids.Approval, 150m, Posters.Customer, Authority.SelfServiceRequest));

        When(asked, 4, new ApprovalRejected(Ids.Account, Ids.Approval, "mgr-max", "Already compensated", At.Now)).Should().ContainSingle()
            .Which.Should().Match<Notice>(n => n.Kind == NoticeKind.RequestRejected && n.Detail == "Already compensated");
    }

    [Fact]
    public void Given_email_When_a_request_the_desk_raised_is_decided_Then_no_staff_note_reaches_the_customer()
    {
        // Found by review: the desk's own notes (written for colleagues) were mailed to the customer with the decision.
        var raised = Given.Account(Events.Opened(), ByEmail,
            Events.CreditRequested(Ids.Approval, 150m, Posters.Csr, "csr.max-single-credit"));

        When(raised, 4, new ApprovalRejected(Ids.Account, Ids.Approval, "mgr-max", "CSR too generous again", At.Now)).Should().BeEmpty();
        var approved = When(raised, 4, new ApprovalApproved(Ids.Account, Ids.Approval, "mgr-max", "ok this once", Ids.Applied, At.Now),
            Events.Credited(Ids.Applied, 150m));
        approved.Should().ContainSingle().Which.Kind.Should().Be(NoticeKind.CreditApplied, "the customer hears of the credit itself");
    }

    [Fact]
    public void Given_email_When_the_email_changes_Then_the_new_address_and_the_previous_one_are_told()
    {
        var notices = When(Given.Account(Events.Opened(), ByEmail), 3,
            new ContactPreferencesChanged(Ids.Account, ContactChannel.Email, "ada@new.example.org", At.Now));

        notices.Select(n => (n.Kind, n.To.Email, n.To.Previous)).Should().Equal(
            (NoticeKind.ContactChanged, "ada@new.example.org", false), (NoticeKind.ContactChanged, "ada@example.org", true));
    }

    [Fact]
    public void Given_paper_When_the_address_changes_Then_a_letter_to_the_new_address_and_one_to_the_old()
    {
        var paper = new ContactPreferencesChanged(Ids.Account, ContactChannel.Paper, null, At.Opened);
        var notices = When(Given.Account(Events.Opened(), paper), 3, new ProfileChanged(Ids.Account, "Ada Lovelace", NewHome, At.Now));

        notices.Select(n => (n.Kind, n.To.Address, n.To.Previous)).Should().Equal(
            (NoticeKind.AddressChanged, NewHome, false), (NoticeKind.AddressChanged, Events.Home, true));
    }

    [Fact]
    public void Given_email_When_a_customer_first_chooses_a_contact_Then_only_that_contact_is_told()
    {
        When(Given.Account(Events.Opened()), 2, ByEmail).Should().ContainSingle().Which.To.Previous.Should().BeFalse();
    }
}
