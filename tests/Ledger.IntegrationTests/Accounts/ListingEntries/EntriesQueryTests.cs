using System.Net;
using System.Text.Json.Nodes;
using Bogus;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Accounts.ListingEntries;

/// <summary>The line-item query is checked against an in-memory oracle over the same postings.</summary>
[Collection(LedgerCollection.Name)]
public sealed class EntriesQueryTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr());

    private sealed record Posted(Guid Id, string Type, decimal Amount, string Description, string Category);

    [Fact]
    public async Task Entries_filter_sort_and_page_exactly_like_the_oracle()
    {
        var faker = new Faker { Random = new Randomizer(20261123) };
        var accountId = await _desk.OpenAccount("cust-entries");
        var posted = new List<Posted>();
        for (var i = 0; i < 60; i++)
        {
            var amount = Math.Round(faker.Random.Decimal(1m, 300m), 2);
            if (i % 4 == 3)
            {
                posted.Add(new(await _desk.Post(accountId, "payments", new { amount, method = "cash", reference = $"P{i}" }),
                    "payment", amount, $"Cash payment P{i}", "payment"));
                continue;
            }
            var category = faker.PickRandom("energy", "water", "mobile");
            var description = $"{faker.Commerce.ProductName()} #{i}";
            posted.Add(new(await _desk.Post(accountId, "charges", new { amount, description, category }), "charge", amount, description, category));
        }

        var byAmountDesc = await Page(accountId, "sort=-amount&pageSize=7&page=2");
        byAmountDesc["total"]!.GetValue<long>().Should().Be(60);
        Ids(byAmountDesc).Should().Equal(posted.OrderByDescending(p => p.Amount).Skip(7).Take(7).Select(p => p.Id));

        var water = await Page(accountId, "type=charge&category=WATER&minAmount=50&maxAmount=250&sort=amount&pageSize=200");
        Ids(water).Should().Equal(posted.Where(p => p is { Type: "charge", Category: "water", Amount: >= 50m and <= 250m })
            .OrderBy(p => p.Amount).Select(p => p.Id));

        var text = posted.First(p => p.Type == "charge").Description.Split(' ')[0];
        var search = await Page(accountId, $"q={Uri.EscapeDataString(text.ToUpperInvariant())}&pageSize=200");
        Ids(search).Should().BeEquivalentTo(posted.Where(p => p.Description.Contains(text, StringComparison.OrdinalIgnoreCase)).Select(p => p.Id));

        var newestFirst = await Page(accountId, "pageSize=5");
        Ids(newestFirst).Should().Equal(posted.AsEnumerable().Reverse().Take(5).Select(p => p.Id));

        var future = await Page(accountId, $"from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"))}");
        future["total"]!.GetValue<long>().Should().Be(0);
    }

    [Theory]
    [InlineData("sort=price", "sort")]
    [InlineData("type=fee", "type")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=201", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("minAmount=10&maxAmount=5", "minAmount")]
    public async Task Bad_query_parameters_are_400_naming_the_parameter(string query, string field)
    {
        var accountId = await _desk.OpenAccount("cust-entries-bad");
        var problem = await (await _desk.GetAsync($"/api/accounts/{accountId}/entries?{query}")).ShouldBeProblem(HttpStatusCode.BadRequest);
        problem["field"]!.GetValue<string>().Should().Be(field);
    }

    private async Task<JsonObject> Page(Guid accountId, string query)
    {
        var response = await _desk.GetAsync($"/api/accounts/{accountId}/entries?{query}");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Body();
    }

    private static IEnumerable<Guid> Ids(JsonObject page) => page["items"]!.AsArray().Select(i => i!["entryId"]!.GetValue<Guid>());
}
