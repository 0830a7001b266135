using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Charging;

namespace Ledger.Domain.Tests.Accounts.Charging;

public class ChargingTests
{
    private static readonly DateOnly March1 = new(2025, 3, 1);
    private static readonly DateOnly March31 = new(2025, 3, 31);

    private static readonly PostCharge Command =
        new(Ids.Account, Ids.Charge, 49.90m, "  Fibre 1 Gbit, March  ", " Internet ", March1, March31);

    private static readonly Account OpenAccount = Given.Account(Events.Opened());

    [Fact]
    public void Given_open_account_When_charge_Then_charge_posted_with_trimmed_text_and_lowercase_category()
    {
        When.Charge(OpenAccount, Command).ThenEvents(
            new ChargePosted(Ids.Account, Ids.Charge, 49.90m, "Fibre 1 Gbit, March", "internet", March1, March31, At.Now));
    }

    [Fact]
    public void Given_reactivated_account_When_charge_Then_charge_posted()
    {
        var account = Given.Account(Events.Opened(), Events.Suspended(), Events.Reactivated());

        When.Charge(account, Command).ThenEvents(
            new ChargePosted(Ids.Account, Ids.Charge, 49.90m, "Fibre 1 Gbit, March", "internet", March1, March31, At.Now));
    }

    [Fact]
    public void Given_closed_account_When_charge_Then_rejected_account_closed()
    {
        When.Charge(Given.Account(Events.Opened(), Events.Closed()), Command).ThenRejected("account-closed");
    }

    [Fact]
    public void Given_suspended_account_When_charge_Then_rejected_account_suspended()
    {
        When.Charge(Given.Account(Events.Opened(), Events.Suspended()), Command).ThenRejected("account-suspended");
    }

    [Fact]
    public void Given_open_account_When_charge_with_service_period_ending_before_it_starts_Then_rejected_service_period_inverted()
    {
        When.Charge(OpenAccount, Command with { ServiceFrom = March31, ServiceTo = March1 })
            .ThenRejected("service-period-inverted", "serviceTo");
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void Given_open_account_When_charge_for_one_day_or_open_ended_period_Then_charge_posted(bool withFrom, bool withTo)
    {
        DateOnly? from = withFrom ? March31 : null, to = withTo ? March31 : null;

        When.Charge(OpenAccount, Command with { ServiceFrom = from, ServiceTo = to }).ThenEvents(
            new ChargePosted(Ids.Account, Ids.Charge, 49.90m, "Fibre 1 Gbit, March", "internet", from, to, At.Now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Given_open_account_When_charge_without_description_Then_rejected_required(string description)
    {
        When.Charge(OpenAccount, Command with { Description = description }).ThenRejected("required", "description");
    }

    [Fact]
    public void Given_open_account_When_charge_description_over_200_characters_Then_rejected_too_long()
    {
        When.Charge(OpenAccount, Command with { Description = new string('d', 201) }).ThenRejected("too-long", "description");
    }

    [Fact]
    public void Given_open_account_When_charge_description_of_exactly_200_characters_Then_charge_posted()
    {
        var description = new string('d', 200);

        When.Charge(OpenAccount, Command with { Description = description }).ThenEvents(
            new ChargePosted(Ids.Account, Ids.Charge, 49.90m, description, "internet", March1, March31, At.Now));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \t ")]
    public void Given_open_account_When_charge_without_category_Then_rejected_required(string category)
    {
        When.Charge(OpenAccount, Command with { Category = category }).ThenRejected("required", "category");
    }

    [Fact]
    public void Given_open_account_When_charge_category_over_50_characters_Then_rejected_too_long()
    {
        When.Charge(OpenAccount, Command with { Category = new string('c', 51) }).ThenRejected("too-long", "category");
    }

    [Theory]
    [InlineData("USD", "0", "amount-must-be-positive")]
    [InlineData("USD", "-5", "amount-must-be-positive")]
    [InlineData("USD", "49.999", "amount-too-precise")]
    [InlineData("JPY", "4990.5", "amount-too-precise")]
    [InlineData("BHD", "4.9999", "amount-too-precise")]
    [InlineData("USD", "1000000.01", "amount-over-ceiling")]
    public void Given_open_account_When_charge_amount_breaks_an_amount_rule_Then_rejected_with_that_rule(string currency, string amount, string rule)
    {
        var account = Given.Account(Events.Opened(currency));

        When.Charge(account, Command with { Amount = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture) })
            .ThenRejected(rule, "amount");
    }

    [Fact]
    public void Given_open_account_When_charge_exactly_the_ceiling_Then_charge_posted()
    {
        When.Charge(OpenAccount, Command with { Amount = When.Ceiling }).ThenEvents(
            new ChargePosted(Ids.Account, Ids.Charge, When.Ceiling, "Fibre 1 Gbit, March", "internet", March1, March31, At.Now));
    }
}
