using Ledger.Domain.Accounts.Opening;

namespace Ledger.Domain.Tests.Accounts.Opening;

public class AccountNumbersTests
{
    [Theory]
    [InlineData("0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b", "MTVW-HPF0-Y6HB")]
    [InlineData("00000000-0000-0000-0000-000000000000", "0000-0000-0000")]
    [InlineData("00000000-0000-0000-0000-00000000001f", "0000-0000-000Z")]
    [InlineData("00000000-0000-0000-0000-000000000020", "0000-0000-0010")]
    [InlineData("ffffffff-ffff-ffff-ffff-ffffffffffff", "ZZZZ-ZZZZ-ZZZZ")]
    public void Given_an_account_id_When_numbered_Then_its_low_60_bits_in_crockford_base32(string id, string expected)
    {
        AccountNumbers.For(Guid.Parse(id)).Should().Be(expected);
    }

    [Fact]
    public void Given_the_same_id_twice_When_numbered_Then_the_same_number()
    {
        AccountNumbers.For(Guid.Parse("0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b"))
            .Should().Be(AccountNumbers.For(Guid.Parse("0190A1B2-C3D4-7E5F-8A6B-7C8D9E0F1A2B")));
    }

    [Fact]
    public void Given_ids_differing_only_in_the_random_tail_When_numbered_Then_different_numbers()
    {
        AccountNumbers.For(Guid.Parse("0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b"))
            .Should().NotBe(AccountNumbers.For(Guid.Parse("0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2c")));
    }

    [Fact]
    public void Given_many_ids_When_numbered_Then_always_formatted_and_never_I_L_O_or_U()
    {
        var random = new Random(20250314);
        var bytes = new byte[16];
        for (var i = 0; i < 500; i++)
        {
            random.NextBytes(bytes);
            AccountNumbers.For(new Guid(bytes))
                .Should().MatchRegex("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$");
        }
    }
}
