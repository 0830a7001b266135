namespace Ledger.Domain.Tests.Integrity;

public sealed class BucketsTests
{
    [Fact]
    public void Every_id_minted_in_a_bucket_is_read_back_in_that_bucket_and_stays_a_time_ordered_version_7_id()
    {
        for (var bucket = 0; bucket < Buckets.Count; bucket++)
            for (var i = 0; i < 500; i++)
            {
                var id = Buckets.NewId(bucket);
                Buckets.Of(id).Should().Be(bucket);
                id.Version.Should().Be(7);
                id.Variant.Should().BeInRange(8, 0xB, "the RFC 9562 variant bits are untouched");
                Buckets.Of(Buckets.NewIdBeside(id)).Should().Be(bucket);
            }
    }

    [Fact]
    public void Placing_a_name_based_id_in_a_bucket_gives_the_same_id_each_time_and_keeps_the_rest_of_it()
    {
        var named = DeterministicId.From("payment|csr|key-1");
        for (var bucket = 0; bucket < Buckets.Count; bucket++)
        {
            var placed = Buckets.Place(named, bucket);
            placed.Should().Be(Buckets.Place(named, bucket));
            Buckets.Of(placed).Should().Be(bucket);
            placed.ToString()[..35].Should().Be(named.ToString()[..35], "only the last hex digit carries the bucket");
        }
    }

    [Fact]
    public void Ids_minted_in_one_bucket_are_all_different()
    {
        var ids = Enumerable.Range(0, 100_000).Select(_ => Buckets.NewId(3)).ToHashSet();
        ids.Should().HaveCount(100_000);
    }

    [Fact]
    public void Random_ids_and_customers_spread_over_every_bucket()
    {
        var ids = Enumerable.Range(0, 16_000).Select(_ => Buckets.Of(Guid.NewGuid())).GroupBy(b => b).ToDictionary(g => g.Key, g => g.Count());
        ids.Keys.Should().BeEquivalentTo(Enumerable.Range(0, Buckets.Count));
        ids.Values.Should().OnlyContain(n => n > 800 && n < 1200, "about a sixteenth each");
        var customers = Enumerable.Range(0, 16_000).Select(i => Buckets.OfCustomer($"cust-{i}")).GroupBy(b => b).ToDictionary(g => g.Key, g => g.Count());
        customers.Values.Should().OnlyContain(n => n > 800 && n < 1200);
    }

    [Fact]
    public void A_customer_is_always_in_the_same_bucket()
    {
        Buckets.OfCustomer("cust-42").Should().Be(Buckets.OfCustomer("cust-42"));
        // Fixed by the hash, not by the process: a change here would move every customer's new accounts.
        Buckets.OfCustomer("cust-42").Should().Be(System.Security.Cryptography.SHA256.HashData("cust-42"u8)[0] & 15);
    }

    [Fact]
    public void Tenant_ids_name_the_bucket_with_two_digits()
    {
        Buckets.TenantId(0).Should().Be("bucket-00");
        Buckets.TenantId(15).Should().Be("bucket-15");
    }

    [Theory]
    [InlineData("0-7", new[] { 0, 1, 2, 3, 4, 5, 6, 7 })]
    [InlineData("8", new[] { 8 })]
    [InlineData("0-1, 14-15", new[] { 0, 1, 14, 15 })]
    public void Bucket_ranges_parse(string text, int[] expected) => Buckets.ParseRanges(text).Should().Equal(expected);

    [Theory]
    [InlineData("")]
    [InlineData("7-0")]
    [InlineData("0-16")]
    [InlineData("-1")]
    [InlineData("a-b")]
    [InlineData("1-2-3")]
    public void Anything_else_is_not_a_bucket_range(string text) => Buckets.ParseRanges(text).Should().BeNull();

    [Fact]
    public void A_bucket_outside_the_fixed_count_cannot_be_minted_in()
    {
        FluentActions.Invoking(() => Buckets.NewId(16)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => Buckets.NewId(-1)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
