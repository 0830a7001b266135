using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Intake;

/// <summary>
/// Charges pushed to the ledger's RabbitMQ queue by a rating engine, with the plain RabbitMQ client (no Wolverine on
/// that side): the same rules as HTTP, exactly once however often the broker redelivers, refusals dead-lettered with
/// their ProblemDetails while the consumer goes on.
/// </summary>
[Collection(FeedCollection.Name)]
public sealed class ChargeIntakeTests(FeedApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("ivan.csr"));
    private readonly HttpClient _auditor = app.ClientFor(TestUser.Auditor());

    private static string Charge(Guid accountId, string key, decimal amount = 7.25m, string description = "Roaming, 12 MB") =>
        JsonSerializer.Serialize(new { idempotencyKey = key, accountId, amount, description, category = "roaming" });

    private async Task<JsonArray> History(Guid accountId) => (await _auditor.GetFromJsonAsync<JsonArray>($"/api/accounts/{accountId}/history"))!;

    private Task<JsonArray> Eventually(Guid accountId, int events) => Poll.Until(() => History(accountId), history => history.Count >= events);

    [Fact]
    public async Task A_charge_from_the_queue_lands_once_however_often_it_is_delivered_and_names_the_system_that_sent_it()
    {
        var accountId = await _desk.OpenAccount("cust-intake-once");
        var message = Charge(accountId, $"rating-{Guid.NewGuid():N}");
        for (var i = 0; i < 3; i++)
            await FeedConsumer.PublishAsync(app.ChargesQueue, message); // the broker's at-least-once, at its worst

        var history = await Eventually(accountId, 2);
        await Task.Delay(1500);
        history = await History(accountId);
        history.Should().HaveCount(2, "opened, then the charge once");
        var charge = history[1]!;
        charge["type"]!.GetValue<string>().Should().Be("charge_posted");
        charge["actor"]!.GetValue<string>().Should().Be("client:rating-engine");
        charge["channel"]!.GetValue<string>().Should().Be("integration");
        (await _desk.Balance(accountId)).Should().Be(7.25m);
    }

    [Fact]
    public async Task Refused_commands_go_to_the_dead_letters_with_their_ProblemDetails_and_the_consumer_goes_on()
    {
        var accountId = await _desk.OpenAccount("cust-intake-refused");
        var reusedKey = $"rating-{Guid.NewGuid():N}";
        await FeedConsumer.PublishAsync(app.ChargesQueue, Charge(accountId, reusedKey, 1m));
        await Eventually(accountId, 2);
        var refusals = new (string Body, string Rule)[]
        {
            ("{ not json", "malformed-json"),
            (Charge(accountId, $"rating-{Guid.NewGuid():N}", description: new string('x', 70_000)), "body-too-large"),
            ("null", "malformed-json"),
            (JsonSerializer.Serialize(new { idempotencyKey = "k-1", accountId, description = "No amount", category = "x" }), "invalid-request"),
            (Charge(accountId, $"rating-{Guid.NewGuid():N}", description: "Card 4111 1111 1111 1111"), "card-number-not-allowed"),
            (Charge(Guid.NewGuid(), $"rating-{Guid.NewGuid():N}"), "not-found"),
            (Charge(accountId, $"rating-{Guid.NewGuid():N}", amount: -5m), ""), // the domain's own rule for a negative charge
            (Charge(accountId, reusedKey, 2m), "idempotency-key-reused"),
        };
        foreach (var (body, _) in refusals)
            await FeedConsumer.PublishAsync(app.ChargesQueue, body);
        await FeedConsumer.PublishAsync(app.ChargesQueue, Charge(accountId, $"rating-{Guid.NewGuid():N}", 3m));

        var history = await Eventually(accountId, 3);
        history.Should().HaveCount(3, "the charge after the refusals still lands: the consumer kept running");
        (await _desk.Balance(accountId)).Should().Be(4m, "no refused command changed the account");

        var dead = await FeedConsumer.TakeAsync($"{app.ChargesQueue}.dead-letters", refusals.Length, TimeSpan.FromSeconds(30));
        dead.Should().HaveCount(refusals.Length);
        foreach (var (body, rule) in refusals)
        {
            var letter = dead.Single(d => d.Body == body);
            letter.Headers.Should().ContainKey("exception-message", $"the dead letter of {body} carries the ProblemDetails as its reason");
            var problem = JsonNode.Parse(letter.Headers["exception-message"])!;
            problem["status"]!.GetValue<int>().Should().BeOneOf(400, 404, 409, 413, 422);
            if (rule.Length > 0)
                problem["rule"]!.GetValue<string>().Should().Be(rule, body);
        }
    }
}
