using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Accounts.Writing;

[Collection(LedgerCollection.Name)]
public sealed class ConcurrencyTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr());

    [Fact]
    public async Task Fifty_parallel_postings_on_one_account_all_land_with_an_exact_balance_and_a_gap_free_stream()
    {
        var accountId = await _desk.OpenAccount("cust-fifty");
        var amounts = Enumerable.Range(1, 50).Select(i => i + i / 100m).ToArray(); // 1.01, 2.02, ... distinct cents

        var responses = await Task.WhenAll(amounts.Select(async (amount, i) =>
        {
            using var client = app.ClientFor(TestUser.Csr($"csr-{i % 5}"));
            return i % 3 == 0
                ? await client.PostAsJsonAsync($"/api/accounts/{accountId}/payments", new { amount, method = "cash", reference = $"T{i}" })
                : await client.PostAsJsonAsync($"/api/accounts/{accountId}/charges", new { amount, description = $"Usage {i}", category = "usage" });
        }));

        responses.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Created);
        var expected = amounts.Select((a, i) => i % 3 == 0 ? -a : a).Sum();
        (await _desk.Balance(accountId)).Should().Be(expected);
        var events = await app.Events(accountId);
        events.Select(e => e.Version).Should().Equal(Enumerable.Range(1, 51).Select(v => (long)v));
        (await _desk.Version(accountId)).Should().Be(51);
    }

    [Fact]
    public async Task Stale_if_match_is_412_and_appends_nothing_while_a_current_one_applies()
    {
        var accountId = await _desk.OpenAccount("cust-ifmatch");
        var charge = new { amount = 5m, description = "Fee", category = "fees" };

        var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{accountId}/charges") { Content = JsonContent.Create(charge) };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"7\"");
        var refused = await _desk.SendAsync(stale);
        await refused.ShouldBeProblem(HttpStatusCode.PreconditionFailed, "version-mismatch");
        refused.Headers.ETag!.Tag.Should().Be("\"1\"");

        var current = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{accountId}/charges") { Content = JsonContent.Create(charge) };
        current.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var applied = await _desk.SendAsync(current);
        applied.StatusCode.Should().Be(HttpStatusCode.Created);
        applied.Headers.ETag!.Tag.Should().Be("\"2\"");
        (await app.Events(accountId)).Should().HaveCount(2);
    }

    [Fact]
    public async Task Two_writers_with_the_same_if_match_one_wins_the_other_gets_412()
    {
        var accountId = await _desk.OpenAccount("cust-ifmatch-race");
        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(async i =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{accountId}/charges")
            {
                Content = JsonContent.Create(new { amount = 5m + i, description = "Fee", category = "fees" }),
            };
            request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
            return (await _desk.SendAsync(request)).StatusCode;
        }));

        results.Should().BeEquivalentTo([HttpStatusCode.Created, HttpStatusCode.PreconditionFailed]);
        (await app.Events(accountId)).Should().HaveCount(2);
    }
}
