using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Accounts.Charging;

/// <summary>
/// The bulk endpoint on Kestrel, as a real process: its body limit (1 MiB) is the endpoint's, while every other route
/// keeps the general 64 KiB — the test host enforces neither limit on the socket, Kestrel does.
/// </summary>
public sealed class BulkChargeProcessTests : IAsyncLifetime
{
    private readonly ScratchDatabase _database = new("bulk");

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Given_a_thousand_item_request_over_the_general_body_limit_Then_kestrel_lets_it_through_and_other_routes_keep_their_limit()
    {
        await using var api = new ApiProcess(_database.ConnectionString);
        await api.StartAsync(TimeSpan.FromSeconds(90));
        using var desk = api.ClientFor(TestUser.Csr("carol.bulk"));
        var account = await desk.OpenAccount("cust-bulk-process");
        var items = Enumerable.Range(0, 1_000).Select(i => new
        {
            accountId = account, idempotencyKey = $"usage-nov-cell-{i}", amount = 0.01m, description = $"Metered usage, cell {i}",
            category = "usage",
        }).ToArray();

        var response = await desk.PostAsJsonAsync("/api/bulk/charges", new { items });

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await response.Body())["applied"]!.GetValue<int>().Should().Be(1_000);
        (await desk.Balance(account)).Should().Be(10m);
        var tooLarge = await desk.PostAsJsonAsync($"/api/accounts/{account}/charges",
            new { amount = 1m, description = new string('x', 70_000), category = "usage" });
        await tooLarge.ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge, "body-too-large");
    }
}
