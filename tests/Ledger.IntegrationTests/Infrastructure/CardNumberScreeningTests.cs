using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Infrastructure;

/// <summary>
/// No card number is stored or logged, whatever separators it is written with and wherever it is sent: a body field,
/// a header the ledger keeps (correlation id, idempotency key) or a query parameter. Found by review: dotted and
/// slashed numbers passed as payment references, and a number sent as X-Correlation-Id reached the audit trail.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class CardNumberScreeningTests(LedgerApp app)
{
    public static TheoryData<string> Written => new()
    {
        "4111111111111111", "4111.1111.1111.1111", "4111/1111/1111/1111", "4111_1111-1111.1111", "4111\u200B1111\u200B1111\u200B1111",
        "\uFF14\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11",
    };

    [Theory]
    [MemberData(nameof(Written))]
    public async Task Given_a_card_number_in_a_payment_reference_When_posted_Then_422_naming_the_field_and_nothing_appended(string card)
    {
        using var desk = app.ClientFor(TestUser.Csr());
        var accountId = await desk.OpenAccount("cust-card-body");

        var response = await desk.PostAsJsonAsync($"/api/accounts/{accountId}/payments", new { amount = 10m, method = "check", reference = card });

        await Refused(response, "reference");
        (await app.Events(accountId)).Should().HaveCount(1);
    }

    [Theory]
    [InlineData("X-Correlation-Id", "4111111111111111")]
    [InlineData("X-Correlation-Id", "4111.1111.1111.1111")]
    [InlineData("Idempotency-Key", "4111-1111-1111-1111")]
    public async Task Given_a_card_number_in_a_kept_header_When_writing_Then_422_naming_the_header_and_nothing_appended(string header, string value)
    {
        using var desk = app.ClientFor(TestUser.Csr());
        var accountId = await desk.OpenAccount("cust-card-header");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{accountId}/charges")
        {
            Content = JsonContent.Create(new { amount = 10m, description = "Line", category = "telecom" }),
        };
        request.Headers.TryAddWithoutValidation(header, value);

        var response = await desk.SendAsync(request);

        await Refused(response, header);
        (await app.Events(accountId)).Should().HaveCount(1);
        var history = await desk.GetStringAsync($"/api/accounts/{accountId}/history");
        // Not "4111" alone: the account's own random correlation id is hex and may hold it (it did once in CI).
        history.Should().NotContain(value).And.NotContain("41111111").And.NotContain("4111.1111").And.NotContain("4111-1111");
    }

    [Fact]
    public async Task Given_a_card_number_in_a_query_When_searching_Then_422_naming_the_parameter()
    {
        using var desk = app.ClientFor(TestUser.Csr());

        await Refused(await desk.GetAsync("/api/accounts?q=4111%201111%201111%201111"), "q");
    }

    [Fact]
    public async Task Given_a_token_whose_subject_is_a_card_number_When_it_calls_Then_refused()
    {
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer",
            LedgerApp.TokenWith([new("sub", "4111 1111 1111 1111"), new("role", "csr")]));

        var response = await client.GetAsync("/api/accounts");

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Body())["rule"]!.GetValue<string>().Should().Be("card-number-not-allowed");
    }

    private static async Task Refused(HttpResponseMessage response, string field)
    {
        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, await response.Content.ReadAsStringAsync());
        var problem = await response.Body();
        problem["rule"]!.GetValue<string>().Should().Be("card-number-not-allowed");
        problem["field"]!.GetValue<string>().Should().Be(field);
        // The trace id is random hex and may hold "4111" by chance (it did once in CI, one run in a few hundred): the
        // number must not be echoed anywhere else.
        problem.Remove("traceId");
        problem.ToJsonString().Should().NotContain("4111").And.NotContain("\uFF14");
    }
}
