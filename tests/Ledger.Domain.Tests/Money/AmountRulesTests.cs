using System.Globalization;
using Ledger.Domain.Money;

namespace Ledger.Domain.Tests.Money;

public class AmountRulesTests
{
    private const decimal Ceiling = 1_000_000m;

    private static Rejection? Check(string amount, string currency) =>
        AmountRules.Check(decimal.Parse(amount, CultureInfo.InvariantCulture), Currency.Of(currency), Ceiling);

    [Theory]
    [InlineData("0")]
    [InlineData("0.00")]
    [InlineData("-0.01")]
    [InlineData("-25")]
    public void Given_zero_or_negative_amount_When_checked_Then_amount_must_be_positive(string amount)
    {
        Check(amount, "USD").Should().BeEquivalentTo(new { Rule = "amount-must-be-positive", Field = "amount" });
    }

    [Theory]
    [InlineData("10.005", "USD")]
    [InlineData("0.001", "USD")]
    [InlineData("100.5", "JPY")]
    [InlineData("1.01", "JPY")]
    [InlineData("1.2345", "BHD")]
    [InlineData("0.0001", "BHD")]
    public void Given_more_decimals_than_the_currency_has_When_checked_Then_amount_too_precise(string amount, string currency)
    {
        Check(amount, currency).Should().BeEquivalentTo(new { Rule = "amount-too-precise", Field = "amount" });
    }

    [Theory]
    [InlineData("10.05", "USD")]
    [InlineData("10.5", "USD")]
    [InlineData("0.01", "USD")]
    [InlineData("100", "JPY")]
    [InlineData("1500.00", "JPY")]
    [InlineData("1.234", "BHD")]
    [InlineData("0.001", "BHD")]
    public void Given_amount_within_the_currency_precision_When_checked_Then_no_rejection(string amount, string currency)
    {
        Check(amount, currency).Should().BeNull();
    }

    [Theory]
    [InlineData("1000000.01", "USD")]
    [InlineData("1000001", "JPY")]
    [InlineData("1000000.001", "BHD")]
    public void Given_amount_over_the_ceiling_When_checked_Then_amount_over_ceiling(string amount, string currency)
    {
        Check(amount, currency).Should().BeEquivalentTo(new { Rule = "amount-over-ceiling", Field = "amount" });
    }

    [Theory]
    [InlineData("USD")]
    [InlineData("JPY")]
    [InlineData("BHD")]
    public void Given_amount_exactly_at_the_ceiling_When_checked_Then_no_rejection(string currency)
    {
        Check("1000000", currency).Should().BeNull();
    }

    [Fact]
    public void Given_a_field_name_When_checked_Then_the_rejection_names_that_field()
    {
        AmountRules.Check(0m, Currency.Of("USD"), Ceiling, "fee")
            .Should().BeEquivalentTo(new { Rule = "amount-must-be-positive", Field = "fee" });
    }
}
