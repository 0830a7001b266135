using Ledger.Domain.Approvals;

namespace Ledger.Domain.Tests.Approvals;

public class DailyAllowanceTests
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(At.Now.UtcDateTime);

    [Fact]
    public void Given_a_user_and_a_day_Then_the_stream_id_is_the_same_every_time()
    {
        DailyAllowance.StreamIdFor("csr-ann", Today).Should().Be(DailyAllowance.StreamIdFor("csr-ann", new DateOnly(2025, 3, 14)));
    }

    [Fact]
    public void Given_a_user_and_a_day_Then_the_stream_id_is_the_pinned_name_based_id()
    {
        // SHA-256 of "credit-allowance\u001fcsr-ann\u001f2025-03-14", version 5 layout; worked out independently (Python hashlib + uuid).
        // Stored streams are keyed by it: it must never change.
        DailyAllowance.StreamIdFor("csr-ann", Today).Should().Be(Guid.Parse("0b3a20a7-6a0f-5a88-b42f-74a6b8d86ceb"));
    }

    [Fact]
    public void Given_a_stream_id_Then_it_has_the_rfc_9562_version_5_layout()
    {
        var id = DailyAllowance.StreamIdFor("mgr-max", Today).ToString();

        id[14].Should().Be('5');
        id[19].Should().BeOneOf('8', '9', 'a', 'b');
    }

    [Fact]
    public void Given_two_users_on_the_same_day_Then_different_stream_ids()
    {
        DailyAllowance.StreamIdFor("csr-ann", Today).Should().NotBe(DailyAllowance.StreamIdFor("csr-bob", Today));
    }

    [Fact]
    public void Given_the_same_user_on_consecutive_days_Then_different_stream_ids()
    {
        DailyAllowance.StreamIdFor("csr-ann", Today).Should().NotBe(DailyAllowance.StreamIdFor("csr-ann", Today.AddDays(1)));
    }

    [Fact]
    public void Given_user_ids_differing_only_in_case_Then_different_stream_ids()
    {
        DailyAllowance.StreamIdFor("csr-ann", Today).Should().NotBe(DailyAllowance.StreamIdFor("CSR-ANN", Today));
    }

    [Fact]
    public void Given_a_first_usage_Then_the_allowance_of_that_user_and_day_with_that_amount()
    {
        Given.Allowance(new CreditAllowanceUsed("csr-ann", Today, 40m, Ids.Account, Ids.Credit))
            .Should().Be(new DailyAllowance(DailyAllowance.StreamIdFor("csr-ann", Today), "csr-ann", Today, 40m));
    }

    [Fact]
    public void Given_usages_on_several_accounts_Then_the_amounts_are_summed()
    {
        Given.Allowance(
                new CreditAllowanceUsed("csr-ann", Today, 40m, Ids.Account, Ids.Credit),
                new CreditAllowanceUsed("csr-ann", Today, 59.99m, Ids.OtherAccount, Ids.Credit2),
                new CreditAllowanceUsed("csr-ann", Today, 0.01m, Ids.Account, Ids.Credit3))
            .Should().Be(new DailyAllowance(DailyAllowance.StreamIdFor("csr-ann", Today), "csr-ann", Today, 100m));
    }

    [Fact]
    public void Given_a_draw_When_it_is_returned_Then_only_that_amount_comes_off_the_day()
    {
        var credit = new CreditAllowanceUsed("csr-ann", Today, 59.99m, Ids.OtherAccount, Ids.Credit2);
        var allowance = Given.Allowance(new CreditAllowanceUsed("csr-ann", Today, 40m, Ids.Account, Ids.Credit), credit);

        DailyAllowance.Evolve(allowance, DailyAllowance.Return(credit))
            .Should().Be(new DailyAllowance(DailyAllowance.StreamIdFor("csr-ann", Today), "csr-ann", Today, 40m));
        DailyAllowance.Return(credit).Should().Be(new CreditAllowanceReturned("csr-ann", Today, 59.99m, Ids.OtherAccount, Ids.Credit2));
    }

    [Fact]
    public void Given_no_allowance_When_a_return_is_folded_Then_there_is_still_none()
    {
        DailyAllowance.Evolve(null, new CreditAllowanceReturned("csr-ann", Today, 1m, Ids.Account, Ids.Credit)).Should().BeNull();
    }

    [Fact]
    public void Given_an_allowance_When_an_unrelated_object_is_folded_Then_it_is_unchanged()
    {
        var allowance = Given.Allowance(new CreditAllowanceUsed("csr-ann", Today, 40m, Ids.Account, Ids.Credit));

        DailyAllowance.Evolve(allowance, "not an event").Should().BeSameAs(allowance);
        DailyAllowance.Evolve(null, "not an event").Should().BeNull();
    }
}
