using Ledger.Domain.Payments;

namespace Ledger.Domain.Tests.Payments;

public class CardNumbersTests
{
    [Theory]
    [InlineData("4111 1111 1111 1111")]
    [InlineData("4111-1111-1111-1111")]
    [InlineData("4111111111111111")]
    [InlineData("5500 0000 0000 0004")]
    [InlineData("4222222222222")]
    [InlineData("4111111111111111169")]
    [InlineData("paid with 4111 1111 1111 1111, thanks")]
    [InlineData("4111.1111.1111.1111")]
    [InlineData("4111/1111/1111/1111")]
    [InlineData("4111_1111_1111_1111")]
    [InlineData("4111 - 1111.1111/1111")]
    [InlineData("4111\u200B1111\u200B1111\u200B1111")]
    [InlineData("4111\u00A01111\u20141111\u20131111")]
    [InlineData("\uFF14\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11")]
    [InlineData("41.11.11.11.11.11.11.11")]
    [InlineData("ref:4111111111111111")]
    [InlineData("01a22eb3-bb5f-7fad-8938-040594272995 4111 1111 1111 1111")]
    [InlineData("x01a22eb3-bb5f-7fad-8938-040594272995")]
    public void Given_a_luhn_valid_card_number_When_inspected_Then_looks_like_a_card_number(string text)
    {
        CardNumbers.LooksLikeCardNumber(text).Should().BeTrue();
    }

    // 411111111117 and 41111111111111111115 pass Luhn: they are refused for their length (12, 20) alone.
    [Theory]
    [InlineData("4111111111111112")]
    [InlineData("4111 1111 1111 1112")]
    [InlineData("411111111117")]
    [InlineData("41111111111111111115")]
    [InlineData("+1 (415) 555-0132")]
    [InlineData("+44 20 7946 0958")]
    [InlineData("outage from 2026-11-30 18:47:54 to 19:05")]
    [InlineData("1234")]
    [InlineData("CHK-0042")]
    // An entry id from a CI run: its last two groups read as 16 Luhn-valid digits, and the API refused its own id.
    [InlineData("01a22eb3-bb5f-7fad-8938-040594272995")]
    [InlineData("/api/accounts/01a22eb3-bb5f-7fad-8938-040594272995/entries")]
    [InlineData("")]
    [InlineData(null)]
    public void Given_text_that_is_not_a_card_number_When_inspected_Then_does_not_look_like_one(string? text)
    {
        CardNumbers.LooksLikeCardNumber(text).Should().BeFalse();
    }

    [Fact]
    public void Given_a_card_number_late_in_a_long_reason_When_inspected_Then_looks_like_a_card_number()
    {
        // Reasons and notes may be 500 characters long; a card number in one must still be caught.
        var reason = new string('x', 280) + " card 4111 1111 1111 1111";

        CardNumbers.LooksLikeCardNumber(reason).Should().BeTrue();
    }
}

public class CardNumbersAndIdentifiersTests
{
    [Fact]
    public void Given_a_guid_whose_hex_groups_hold_a_luhn_valid_digit_run_When_inspected_Then_it_is_not_a_card_number()
    {
        // "0" + "7948" + "8442" + "312345605" = 18 Luhn-valid digits, glued to hex letters on both sides.
        CardNumbers.LooksLikeCardNumber("01a20a9c-85c0-7948-8442-312345605fd5").Should().BeFalse();
    }

    [Fact]
    public void Given_ten_thousand_random_guids_When_inspected_Then_none_looks_like_a_card_number()
    {
        var random = new Random(42);
        var bytes = new byte[16];
        var flagged = Enumerable.Range(0, 10_000).Select(_ =>
        {
            random.NextBytes(bytes);
            return new Guid(bytes).ToString();
        }).Where(CardNumbers.LooksLikeCardNumber).ToList();

        flagged.Should().BeEmpty();
    }

    [Theory]
    [InlineData("card 4111 1111 1111 1111 thanks")]
    [InlineData("4111-1111-1111-1111")]
    [InlineData("(4111111111111111)")]
    public void Given_a_card_number_standing_alone_When_inspected_Then_it_is_found(string text)
    {
        CardNumbers.LooksLikeCardNumber(text).Should().BeTrue();
    }
}
