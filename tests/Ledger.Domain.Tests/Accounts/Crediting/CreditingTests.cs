using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Crediting;

namespace Ledger.Domain.Tests.Accounts.Crediting;

public class CreditingTests
{
    private static readonly IssueCredit Command = new(Ids.Account, Ids.Credit, 15m, " GoodWill ", "  Outage on 3 March  ");

    private static readonly Account OpenAccount = Given.Account(Events.Opened(), Events.Charged(Ids.Charge, 49.90m));

    [Fact]
    public void Given_open_account_When_credit_Then_credit_issued_with_lowercase_reason_code_and_trimmed_reason()
    {
        When.Credit(OpenAccount, Command).ThenEvents(
            new CreditIssued(Ids.Account, Ids.Credit, 15m, "goodwill", "Outage on 3 March", At.Now));
    }

    [Fact]
    public void Given_suspended_account_When_credit_Then_credit_issued()
    {
        var account = Given.Account(Events.Opened(), Events.Suspended());

        When.Credit(account, Command).ThenEvents(
            new CreditIssued(Ids.Account, Ids.Credit, 15m, "goodwill", "Outage on 3 March", At.Now));
    }

    [Fact]
    public void Given_closed_account_When_credit_Then_rejected_account_closed()
    {
        When.Credit(Given.Account(Events.Opened(), Events.Closed()), Command).ThenRejected("account-closed");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Given_open_account_When_credit_without_reason_code_Then_rejected_required(string code)
    {
        When.Credit(OpenAccount, Command with { ReasonCode = code }).ThenRejected("required", "reasonCode");
    }

    [Fact]
    public void Given_open_account_When_reason_code_over_50_characters_Then_rejected_too_long()
    {
        When.Credit(OpenAccount, Command with { ReasonCode = new string('g', 51) }).ThenRejected("too-long", "reasonCode");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Given_open_account_When_credit_without_reason_Then_rejected_required(string reason)
    {
        When.Credit(OpenAccount, Command with { Reason = reason }).ThenRejected("required", "reason");
    }

    [Fact]
    public void Given_open_account_When_reason_over_500_characters_Then_rejected_too_long()
    {
        When.Credit(OpenAccount, Command with { Reason = new string('r', 501) }).ThenRejected("too-long", "reason");
    }

    [Theory]
    [InlineData("USD", "0", "amount-must-be-positive")]
    [InlineData("USD", "15.001", "amount-too-precise")]
    [InlineData("JPY", "15.5", "amount-too-precise")]
    [InlineData("USD", "1000000.01", "amount-over-ceiling")]
    public void Given_open_account_When_credit_amount_breaks_an_amount_rule_Then_rejected_with_that_rule(string currency, string amount, string rule)
    {
        var account = Given.Account(Events.Opened(currency));

        When.Credit(account, Command with { Amount = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture) })
            .ThenRejected(rule, "amount");
    }
}
