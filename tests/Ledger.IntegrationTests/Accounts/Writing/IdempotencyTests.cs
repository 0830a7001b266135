using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Accounts.Writing;

[Collection(LedgerCollection.Name)]
public sealed class IdempotencyTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr());

    private static HttpRequestMessage Payment(Guid accountId, string key, decimal amount) =>
        new(HttpMethod.Post, $"/api/accounts/{accountId}/payments")
        {
            Content = JsonContent.Create(new { amount, method = "cash", reference = "R-1" }),
            Headers = { { "Idempotency-Key", key } },
        };

    [Fact]
    public async Task A_retry_with_the_same_key_and_body_returns_the_first_answer_and_appends_nothing()
    {
        var accountId = await _desk.OpenAccount("cust-idem");
        var first = await _desk.SendAsync(Payment(accountId, "pay-001", 40m));
        var second = await _desk.SendAsync(Payment(accountId, "pay-001", 40m));

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        second.StatusCode.Should().Be(HttpStatusCode.Created);
        (await second.Content.ReadAsStringAsync()).Should().Be(await first.Content.ReadAsStringAsync());
        second.Headers.Location.Should().Be(first.Headers.Location);
        (await app.Events(accountId)).Should().HaveCount(2);
        (await _desk.Balance(accountId)).Should().Be(-40m);
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_refused()
    {
        var accountId = await _desk.OpenAccount("cust-idem-diff");
        (await _desk.SendAsync(Payment(accountId, "pay-002", 40m))).StatusCode.Should().Be(HttpStatusCode.Created);
        var reused = await _desk.SendAsync(Payment(accountId, "pay-002", 41m));
        await reused.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        (await app.Events(accountId)).Should().HaveCount(2);
    }

    [Fact]
    public async Task The_same_key_sent_twenty_times_at_once_produces_one_event_and_identical_answers()
    {
        var accountId = await _desk.OpenAccount("cust-idem-race");
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _desk.SendAsync(Payment(accountId, "pay-race", 12.34m))));

        responses.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Created);
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        bodies.Distinct().Should().HaveCount(1);
        (await app.Events(accountId)).Should().HaveCount(2);
        (await _desk.Balance(accountId)).Should().Be(-12.34m);
    }

    [Fact]
    public async Task Keys_are_scoped_to_the_caller_so_another_user_cannot_replay_an_answer()
    {
        var accountId = await _desk.OpenAccount("cust-idem-scope");
        using var other = app.ClientFor(TestUser.Csr("someone.else"));
        (await _desk.SendAsync(Payment(accountId, "shared-key", 10m))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await other.SendAsync(Payment(accountId, "shared-key", 10m))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await app.Events(accountId)).Should().HaveCount(3);
    }
}
