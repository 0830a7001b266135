using Ledger.Domain.Accounts;
using Ledger.Domain.Approvals;
using Ledger.Domain.Corporate;
using Ledger.Domain.Policies;

namespace Ledger.Domain.Tests.Corporate;

/// <summary>A corporate customer's own desk limits: changed with a reason, and decisions under them named by their scope.</summary>
public class DeskLimitTests
{
    private static readonly LimitsPolicy Tight = Limits.Default with { Csr = Limits.Default.Csr with { MaxSingleCredit = 20m } };
    private static readonly Account OpenAccount = Given.Account(Events.Opened(), Events.Charged(Ids.Charge, 9_000m));
    private static readonly LimitsInForce Own = new(Tight, 2, 0m) { Scope = "corporate:acme" };

    [Fact]
    public void Given_a_customer_When_its_limits_are_set_changed_and_removed_Then_each_is_an_event_with_its_reason()
    {
        CorporateLimitsState.Change(null, "acme", Tight, "  Key account ", At.Now).ThenEvents(new CorporateLimitsChanged("acme", null, Tight, "Key account", At.Now));
        var state = CorporateLimitsState.Evolve(null, Guid.Empty, new CorporateLimitsChanged("acme", null, Tight, "Key account", At.Now))!;
        state.Version.Should().Be(1);
        CorporateLimitsState.Change(state, "acme", Tight, "Again", At.Now).ThenRejected("policy-unchanged");
        CorporateLimitsState.Change(state, "acme", Tight, " ", At.Now).ThenRejected("required", "reason");
        CorporateLimitsState.Change(state, "acme", Tight with { ApprovalExpiryHours = 0 }, "Bad", At.Now).Rejection.Should().NotBeNull();
        CorporateLimitsState.Change(state, "acme", null, "Back to the policy", At.Now)
            .ThenEvents(new CorporateLimitsChanged("acme", Tight, null, "Back to the policy", At.Now));
        CorporateLimitsState.Change(null, "acme", null, "Nothing", At.Now).ThenRejected("limits-unchanged");
    }

    [Fact]
    public void Given_a_customers_own_limits_When_a_credit_is_judged_Then_its_limits_apply_and_are_named_by_their_scope()
    {
        Authority.CreditLimit(OpenAccount, 30m, Posters.Csr, Own, At.Now).Should().Be(("corporate:acme/csr.max-single-credit", 1));
        Authority.CreditLimit(OpenAccount, 30m, Posters.Csr, Limits.InForce(), At.Now).Should().Be(((string?)null, 1));
        Authority.CreditLimit(OpenAccount, 6_000m, Posters.Csr, Own, At.Now).Should().Be(("corporate:acme/second-approval-above", 2));
        var decision = Authority.ForCredit(OpenAccount, Decision.Accept(new CreditIssued(Ids.Account, Ids.Credit, 15m, "goodwill", "Outage", At.Now, null)),
            Posters.Csr, Own, null, Ids.Approval, At.Now);
        ((CreditIssued)decision.Events[0]).Authorization.Should().Be(new Authorization(2, "corporate:acme/csr.within-limits"));
        var overridden = Authority.ForCredit(OpenAccount, Decision.Accept(new CreditIssued(Ids.Account, Ids.Credit, 30m, "goodwill", "Outage", At.Now, null)),
            Posters.Manager, Own, "Known outage", Ids.Approval, At.Now);
        ((CreditIssued)overridden.Events[0]).Authorization!.Limit.Should().Be("corporate:acme/manager-override-of-csr.max-single-credit");
        Authority.Describe("corporate:acme/csr.max-single-credit", Tight, "USD")
            .Should().Be("a CSR's single credit: up to 20.00 USD (under corporate acme's own desk limits)");
    }
}
