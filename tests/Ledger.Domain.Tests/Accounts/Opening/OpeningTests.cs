using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Opening;

namespace Ledger.Domain.Tests.Accounts.Opening;

public class OpeningTests
{
    private static readonly OpenAccount Command =
        new(Ids.Account, "cust-42", "  Ada Lovelace  ", "USD", 15, Events.Home);

    [Fact]
    public void Given_no_account_When_open_Then_account_opened_with_trimmed_holder_and_derived_number()
    {
        When.Open(Command).ThenEvents(
            new AccountOpened(Ids.Account, "MTVW-HPF0-Y6HB", "cust-42", "Ada Lovelace", "USD", 15, Events.Home, At.Now));
    }

    [Fact]
    public void Given_no_account_When_open_Then_account_number_is_three_groups_of_four_crockford_characters()
    {
        var opened = When.Open(Command).Events.Should().ContainSingle().Which.Should().BeOfType<AccountOpened>().Subject;

        opened.AccountNumber.Should().MatchRegex("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$");
        opened.AccountNumber.Should().Be(AccountNumbers.For(Ids.Account));
    }

    [Theory]
    [InlineData("JPY")]
    [InlineData("BHD")]
    [InlineData("EUR")]
    public void Given_no_account_When_open_in_another_iso_currency_Then_opened_in_that_currency(string currency)
    {
        When.Open(Command with { Currency = currency }).ThenEvents(
            new AccountOpened(Ids.Account, Ids.AccountNumber, "cust-42", "Ada Lovelace", currency, 15, Events.Home, At.Now));
    }

    [Theory]
    [InlineData("XYZ")]
    [InlineData("usd")]
    [InlineData("US")]
    [InlineData("")]
    [InlineData("XAU")]
    public void Given_no_account_When_open_with_unknown_currency_Then_rejected_unknown_currency(string currency)
    {
        When.Open(Command with { Currency = currency }).ThenRejected("unknown-currency", "currency");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(29)]
    [InlineData(31)]
    [InlineData(-1)]
    public void Given_no_account_When_open_with_billing_day_outside_1_to_28_Then_rejected_billing_day_out_of_range(int day)
    {
        When.Open(Command with { BillingDay = day }).ThenRejected("billing-day-out-of-range", "billingDay");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(28)]
    public void Given_no_account_When_open_with_billing_day_on_the_edge_Then_opened(int day)
    {
        When.Open(Command with { BillingDay = day }).ThenEvents(
            new AccountOpened(Ids.Account, Ids.AccountNumber, "cust-42", "Ada Lovelace", "USD", day, Events.Home, At.Now));
    }
}
