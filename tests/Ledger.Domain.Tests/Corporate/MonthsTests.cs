using Ledger.Domain.Corporate;

namespace Ledger.Domain.Tests.Corporate;

/// <summary>Months as the corporate reports name them (yyyy-MM): counted, stepped and spanned across years.</summary>
public class MonthsTests
{
    [Fact]
    public void Given_a_range_across_a_new_year_When_spanned_Then_every_month_once_in_order()
    {
        Months.Span("2030-11", "2031-02").Should().Equal("2030-11", "2030-12", "2031-01", "2031-02");
        Months.Count("2030-11", "2031-02").Should().Be(4);
        Months.Span("2031-03", "2031-03").Should().Equal("2031-03");
        Months.Span("2031-04", "2031-03").Should().BeEmpty();
        Months.Count("2031-04", "2031-03").Should().Be(0);
    }

    [Fact]
    public void Given_a_month_When_stepped_Then_years_roll_over_and_the_ends_of_the_calendar_hold()
    {
        Months.Add("2031-01", -1).Should().Be("2030-12");
        Months.Add("2031-12", 13).Should().Be("2033-01");
        Months.Add("0001-03", -11).Should().Be("0001-01");
        Months.Add("9998-10", 5).Should().Be("9998-12");
    }

    [Theory]
    [InlineData("2031-03", true)]
    [InlineData("9998-12", true)]
    [InlineData("9999-12", false)] // its end, the next month's first instant, is past what a date can hold
    [InlineData("2031-13", false)]
    [InlineData("2031-3", false)]
    [InlineData("31-03-01", false)]
    [InlineData(null, false)]
    public void A_month_is_written_yyyy_MM(string? month, bool valid) => Months.Valid(month).Should().Be(valid);
}
