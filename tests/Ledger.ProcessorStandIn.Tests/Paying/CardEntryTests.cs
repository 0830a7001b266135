using Ledger.ProcessorStandIn.Paying;

namespace Ledger.ProcessorStandIn.Tests.Paying;

public sealed class CardEntryTests
{
    private static readonly DateTimeOffset Today = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("4242424242424242", "visa")]
    [InlineData("5555555555554444", "mastercard")]
    [InlineData("2223003122003222", "mastercard")]
    [InlineData("378282246310005", "amex")]
    [InlineData("341111111111111", "amex")]
    [InlineData("6011111111111117", "unknown")]
    public void Given_a_number_Then_its_brand_comes_from_its_leading_digits(string number, string brand) =>
        TestCards.BrandOf(number).Should().Be(brand);

    [Fact]
    public void Given_a_test_card_When_read_Then_only_brand_last4_and_expiry_are_kept()
    {
        var (card, problems) = CardEntry.Read("4000-0000-0000-0002", "7/2027", "321", Today);

        problems.Should().BeEmpty();
        card!.Details.Should().Be(new CardDetails("visa", "0002", 7, 2027));
        card.Outcome.DeclineCode.Should().Be("generic_decline");
    }

    [Theory]
    [InlineData("12 / 26", false)]
    [InlineData("11 / 26", true)]
    [InlineData("13 / 30", true)]
    [InlineData("1226", true)]
    public void Given_an_expiry_Then_this_month_is_still_valid_and_earlier_or_malformed_ones_are_not(string expiry, bool refused)
    {
        var (_, problems) = CardEntry.Read("4242424242424242", expiry, "123", Today);

        problems.ContainsKey(CardEntry.ExpiryField).Should().Be(refused);
    }
}
