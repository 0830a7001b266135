using Ledger.Domain.Approvals;

namespace Ledger.Domain.Tests.Approvals;

/// <summary>The limit a request exceeded, in the words and amounts a manager decides on.</summary>
public class DescribingLimitsTests
{
    [Theory]
    [InlineData("csr.max-single-credit", "a CSR's single credit: up to 100.00 EUR")]
    [InlineData("csr.daily-credit-total", "a CSR's credits in one day: up to 500.00 EUR in all")]
    [InlineData("csr.account-credit-total-30-days", "a CSR's credits to one account in 30 days: up to 300.00 EUR")]
    [InlineData("csr.max-single-correction", "a CSR's single correction: up to 200.00 EUR")]
    [InlineData("manager.max-single-credit", "a manager's single credit: up to 1,000.00 EUR")]
    [InlineData("second-approval-above", "above 5,000.00 EUR: two approvals, whoever asks")]
    [InlineData("self-service-request", "a customer's own request: customers never post credits themselves")]
    public void Given_the_policy_of_the_request_Then_each_limit_code_reads_with_its_amount(string code, string expected)
    {
        Authority.Describe(code, Limits.Default, "EUR").Should().Be(expected);
    }

    [Fact]
    public void Given_no_policy_Then_the_limit_is_named_without_an_amount_and_an_unknown_code_is_shown_as_it_is()
    {
        Authority.Describe("csr.max-single-credit", null, "USD").Should().Be("a CSR's single credit");
        Authority.Describe("something.new", Limits.Default, "USD").Should().Be("something.new");
    }
}
