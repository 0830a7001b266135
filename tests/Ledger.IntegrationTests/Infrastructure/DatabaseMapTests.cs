using Ledger.Api.Infrastructure.Databases;
using Microsoft.Extensions.Configuration;

namespace Ledger.IntegrationTests.Infrastructure;

public sealed class DatabaseMapTests
{
    private const string Main = "Host=localhost;Database=ledger;Username=ledger;Password=ledger";

    private static (DatabaseMap? Map, string? Error) From(params (string Key, string Value)[] settings) =>
        DatabaseMap.From(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s =>
            new KeyValuePair<string, string?>($"{DatabaseMap.Section}:{s.Key}", s.Value))).Build(), Main);

    [Fact]
    public void Without_a_map_one_database_holds_every_bucket_and_the_store_is_not_sharded()
    {
        var (map, error) = From();
        error.Should().BeNull();
        map!.IsSharded.Should().BeFalse();
        map.Databases.Should().ContainSingle().Which.Buckets.Should().HaveCount(Ledger.Domain.Buckets.Count);
        map.DatabaseOf(Ledger.Domain.Buckets.Of(Guid.NewGuid())).IsMain.Should().BeTrue();
    }

    [Fact]
    public void Two_databases_split_the_buckets_and_the_one_without_a_connection_string_is_the_main_one()
    {
        var (map, error) = From(("0:Name", "ledger"), ("0:Buckets", "0-7"),
            ("1:Name", "ledger_2"), ("1:ConnectionString", Main.Replace("=ledger;", "=ledger_2;")), ("1:Buckets", "8-15"));
        error.Should().BeNull();
        map!.IsSharded.Should().BeTrue();
        map.Main.Name.Should().Be("ledger");
        map.Main.ConnectionString.Should().Be(Main);
        map.DatabaseOf(7).Name.Should().Be("ledger");
        map.DatabaseOf(8).Name.Should().Be("ledger_2");
        var id = Ledger.Domain.Buckets.NewId(12);
        map.DatabaseOf(Ledger.Domain.Buckets.Of(id)).Name.Should().Be("ledger_2");
    }

    [Theory]
    [InlineData("bucket 8 is held by no database", "0-7", "9-15")]
    [InlineData("bucket 7 is given to both 'a' and 'b'", "0-7", "7-15")]
    [InlineData("Buckets is a list of bucket numbers", "0-7", "8-16")]
    public void A_map_that_does_not_hold_every_bucket_exactly_once_is_refused_naming_the_bucket(string said, string first, string second)
    {
        var (map, error) = From(("0:Name", "a"), ("0:Buckets", first), ("1:Name", "b"), ("1:ConnectionString", Main), ("1:Buckets", second));
        map.Should().BeNull();
        error.Should().Contain(said);
    }

    [Fact]
    public void A_map_needs_exactly_one_main_database_and_distinct_names()
    {
        From(("0:Name", "a"), ("0:Buckets", "0-7"), ("1:Name", "b"), ("1:Buckets", "8-15")).Error.Should().Contain("exactly one entry must leave out ConnectionString");
        From(("0:Name", "a"), ("0:ConnectionString", Main), ("0:Buckets", "0-15")).Error.Should().Contain("exactly one entry must leave out ConnectionString");
        From(("0:Name", "a"), ("0:Buckets", "0-7"), ("1:Name", "a"), ("1:ConnectionString", Main), ("1:Buckets", "8-15")).Error.Should().Contain("given twice");
        From(("0:Buckets", "0-15")).Error.Should().Contain("Name is missing");
    }
}
