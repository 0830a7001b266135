using Ledger.Domain.Approvals;

namespace Ledger.Domain.Tests.Approvals;

/// <summary>The scheduled expiry: <see cref="DecidingApprovals.Expire"/> at <see cref="At.Now"/>.</summary>
public class ExpiringApprovalsTests
{
    private static ApprovalRequested RequestedAt(DateTimeOffset at) =>
        Events.CreditRequested(Ids.Approval, 150m, Posters.Csr, "csr.max-single-credit", at: at);

    [Fact]
    public void Given_a_request_due_exactly_now_When_expired_Then_approval_expired()
    {
        When.Expire(Given.Account(Events.Opened(), RequestedAt(At.Now.AddHours(-72))), Ids.Approval)
            .ThenEvents(new ApprovalExpired(Ids.Account, Ids.Approval, At.Now));
    }

    [Fact]
    public void Given_a_request_overdue_When_expired_Then_approval_expired_and_folding_it_clears_the_request()
    {
        object[] history = [Events.Opened(), RequestedAt(At.Earlier)];

        var decision = When.Expire(Given.Account(history), Ids.Approval);

        decision.ThenEvents(new ApprovalExpired(Ids.Account, Ids.Approval, At.Now));
        Given.Account([.. history, .. decision.Events]).PendingApprovals.Should().BeEmpty();
    }

    [Fact]
    public void Given_a_request_due_in_a_second_When_expired_Then_accepted_with_no_events()
    {
        When.Expire(Given.Account(Events.Opened(), RequestedAt(At.Now.AddHours(-72).AddSeconds(1))), Ids.Approval).ThenEvents();
    }

    [Theory]
    [MemberData(nameof(Decided))]
    public void Given_a_request_already_decided_When_expired_Then_accepted_with_no_events(object decision)
    {
        When.Expire(Given.Account(Events.Opened(), RequestedAt(At.Earlier), decision), Ids.Approval).ThenEvents();
    }

    public static TheoryData<object> Decided =>
    [
        Events.Approved(Ids.Approval, Posters.Manager, Ids.Applied),
        Events.RejectedApproval(Ids.Approval, Posters.Manager),
        Events.Expired(Ids.Approval, At.Earlier.AddHours(72)),
    ];

    [Fact]
    public void Given_no_such_request_When_expired_Then_accepted_with_no_events()
    {
        When.Expire(Given.Account(Events.Opened(), RequestedAt(At.Earlier)), Ids.OtherApproval).ThenEvents();
    }
}
