using Ledger.Domain.Money;

namespace Ledger.Domain.Tests.Money;

public class CurrencyTests
{
    [Theory]
    [InlineData("USD", 2)]
    [InlineData("EUR", 2)]
    [InlineData("JPY", 0)]
    [InlineData("BHD", 3)]
    [InlineData("KWD", 3)]
    [InlineData("CLP", 0)]
    public void Given_an_iso_code_When_found_Then_its_minor_units(string code, int minorUnits)
    {
        Currency.TryFind(code, out var currency).Should().BeTrue();
        currency.Should().Be(new Currency(code, minorUnits));
        Currency.Of(code).Should().Be(new Currency(code, minorUnits));
    }

    [Theory]
    [InlineData("usd")]
    [InlineData("XAU")]
    [InlineData("XTS")]
    [InlineData("ABC")]
    [InlineData("")]
    [InlineData(null)]
    public void Given_an_unknown_code_When_found_Then_not_found(string? code)
    {
        Currency.TryFind(code, out _).Should().BeFalse();
    }

    [Fact]
    public void Given_an_unknown_code_When_taken_as_currency_Then_throws()
    {
        var act = () => Currency.Of("ABC");

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
