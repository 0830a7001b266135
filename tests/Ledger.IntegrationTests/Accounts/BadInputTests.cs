using System.Net;
using System.Net.Http.Json;
using System.Text;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Accounts;

/// <summary>Every refusal is a ProblemDetails naming the rule and field, and the stream does not move.</summary>
[Collection(LedgerCollection.Name)]
public sealed class BadInputTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr());

    public static TheoryData<string, string, HttpStatusCode, string, string?> Refusals => new()
    {
        { "charges", """{"description":"x","category":"energy"}""", HttpStatusCode.BadRequest, "invalid-request", "amount" },
        { "charges", """{"amount":10,"category":"energy"}""", HttpStatusCode.BadRequest, "invalid-request", "description" },
        { "charges", """{"amount":-5,"description":"x","category":"energy"}""", HttpStatusCode.UnprocessableEntity, "amount-must-be-positive", "amount" },
        { "charges", """{"amount":0,"description":"x","category":"energy"}""", HttpStatusCode.UnprocessableEntity, "amount-must-be-positive", "amount" },
        { "charges", """{"amount":10.001,"description":"x","category":"energy"}""", HttpStatusCode.UnprocessableEntity, "amount-too-precise", "amount" },
        { "charges", """{"amount":1000000.01,"description":"x","category":"energy"}""", HttpStatusCode.UnprocessableEntity, "amount-over-ceiling", "amount" },
        { "charges", """{"amount":1e400,"description":"x","category":"energy"}""", HttpStatusCode.BadRequest, "malformed-json", "amount" },
        { "charges", """{"amount":"ten","description":"x","category":"energy"}""", HttpStatusCode.BadRequest, "malformed-json", "amount" },
        { "charges", """{"amount":NaN,"description":"x","category":"energy"}""", HttpStatusCode.BadRequest, "malformed-json", null },
        { "charges", """{"amount":10,"description":"x",""", HttpStatusCode.BadRequest, "malformed-json", null },
        { "charges", """{"amount":10,"description":"x","category":"energy","serviceFrom":"2026-03-31","serviceTo":"2026-03-01"}""",
            HttpStatusCode.UnprocessableEntity, "service-period-inverted", "serviceTo" },
        { "charges", "{\"amount\":10,\"description\":\"" + new string('x', 201) + "\",\"category\":\"energy\"}", HttpStatusCode.BadRequest, "invalid-request", "description" },
        { "payments", """{"amount":10,"method":"bitcoin"}""", HttpStatusCode.BadRequest, "malformed-json", "method" },
        { "payments", """{"amount":10,"method":2}""", HttpStatusCode.BadRequest, "malformed-json", "method" },
        { "payments", """{"amount":10,"method":"card","cardBrand":"visa","cardLast4":"12a4"}""", HttpStatusCode.UnprocessableEntity, "card-last4-invalid", "cardLast4" },
        { "payments", """{"amount":10,"method":"card","cardBrand":"visa","cardLast4":"1111","cardNumber":"4111 1111 1111 1111"}""",
            HttpStatusCode.UnprocessableEntity, "card-number-not-allowed", "cardNumber" },
        { "payments", """{"amount":10,"method":"check","reference":"4111111111111111"}""", HttpStatusCode.UnprocessableEntity, "card-number-not-allowed", "reference" },
        { "credits", """{"amount":10,"reasonCode":"goodwill"}""", HttpStatusCode.BadRequest, "invalid-request", "reason" },
        { "corrections", """{"entryId":"00000000-0000-0000-0000-000000000001","amount":1,"reason":"x"}""", HttpStatusCode.UnprocessableEntity, "entry-not-found", "entryId" },
        { "corrections", """{"entryId":"not-a-guid","amount":1,"reason":"x"}""", HttpStatusCode.BadRequest, "malformed-json", "entryId" },
        { "disputes", """{"entryId":"00000000-0000-0000-0000-000000000001","reason":"x"}""", HttpStatusCode.UnprocessableEntity, "entry-not-found", "entryId" },
        { "closure", """{"reason":"moving"}""", HttpStatusCode.UnprocessableEntity, "balance-not-zero", null },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Bad_posting_is_refused_with_a_problem_naming_rule_and_field_and_nothing_is_appended(
        string what, string json, HttpStatusCode status, string rule, string? field)
    {
        var accountId = await _desk.OpenAccount("cust-bad-input");
        await _desk.Post(accountId, "charges", new { amount = 25m, description = "Base fee", category = "fees" });
        var before = await _desk.Version(accountId);

        var response = await _desk.PostAsync($"/api/accounts/{accountId}/{what}", new StringContent(json, Encoding.UTF8, "application/json"));

        var problem = await response.ShouldBeProblem(status, rule);
        if (field is not null)
            problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain(field);
        (await _desk.Version(accountId)).Should().Be(before);
        (await _desk.Balance(accountId)).Should().Be(25m);
    }

    [Fact]
    public async Task Correction_beyond_what_remains_of_the_entry_is_refused_and_appends_nothing()
    {
        var accountId = await _desk.OpenAccount("cust-correct");
        var charge = await _desk.Post(accountId, "charges", new { amount = 30m, description = "Roaming", category = "mobile" });
        await _desk.Post(accountId, "corrections", new { entryId = charge, amount = 20m, reason = "Roaming bundle applied late" });
        var before = await _desk.Version(accountId);

        var response = await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/corrections", new { entryId = charge, amount = 10.01m, reason = "again" });

        await response.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "correction-exceeds-remaining");
        (await _desk.Version(accountId)).Should().Be(before);
    }

    [Fact]
    public async Task Unknown_currency_and_billing_day_out_of_range_are_refused_when_opening()
    {
        var address = new { line1 = "1 Main St", city = "Springfield", postalCode = "12345", country = "US" };
        var currency = await _desk.PostAsJsonAsync("/api/accounts", new { customerId = "c", holderName = "H", currency = "ABC", billingDay = 1, address });
        (await currency.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "unknown-currency"))["field"]!.GetValue<string>().Should().Be("currency");

        var day = await _desk.PostAsJsonAsync("/api/accounts", new { customerId = "c", holderName = "H", currency = "USD", billingDay = 31, address });
        await day.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "billing-day-out-of-range");

        var noAddress = await _desk.PostAsJsonAsync("/api/accounts", new { customerId = "c", holderName = "H", currency = "USD", billingDay = 1 });
        (await noAddress.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid-request"))["errors"]!.AsObject().Should().ContainKey("address");
    }

    [Fact]
    public async Task Unknown_account_is_404_and_bad_ids_unknown_routes_and_wrong_content_types_are_problems()
    {
        var charge = new { amount = 10m, description = "x", category = "y" };
        await (await _desk.PostAsJsonAsync($"/api/accounts/{Guid.NewGuid()}/charges", charge)).ShouldBeProblem(HttpStatusCode.NotFound, "not-found");
        await (await _desk.GetAsync($"/api/accounts/{Guid.NewGuid()}")).ShouldBeProblem(HttpStatusCode.NotFound, "not-found");
        await (await _desk.GetAsync("/api/accounts/not-a-guid")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await _desk.GetAsync("/api/nothing-here")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await _desk.PostAsJsonAsync($"/api/accounts/{Guid.Empty}/charges", charge)).ShouldBeProblem(HttpStatusCode.NotFound, "not-found");

        var accountId = await _desk.OpenAccount("cust-content-type");
        var text = await _desk.PostAsync($"/api/accounts/{accountId}/charges", new StringContent("amount=10", Encoding.UTF8, "text/plain"));
        await text.ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);
        (await _desk.Version(accountId)).Should().Be(1);
    }

    public static TheoryData<string, byte[], string, HttpStatusCode, string, string?> NotText => new()
    {
        // Found by the OpenAPI fuzzer: bytes that are not UTF-8 inside a string were a 500, a NUL a 503 from the database.
        { "reason", [.. "{\"reason\":\""u8.ToArray(), 0xc3, 0x28, .. "\"}"u8.ToArray()], "application/json", HttpStatusCode.BadRequest, "invalid-text", "reason" },
        { "reason", "{\"reason\":\"\\ud800\"}"u8.ToArray(), "application/json", HttpStatusCode.BadRequest, "invalid-text", "reason" },
        { "reason", "{\"reason\":\"moving\\u0000out\"}"u8.ToArray(), "application/json", HttpStatusCode.BadRequest, "invalid-text", "reason" },
        { "reason", Encoding.Unicode.GetBytes("{\"reason\":\"4111 1111 1111 1111\"}"), "application/json; charset=utf-16",
            HttpStatusCode.UnsupportedMediaType, "unsupported-charset", "Content-Type" },
    };

    [Theory]
    [MemberData(nameof(NotText))]
    public async Task Text_that_is_not_text_is_a_400_naming_its_field_never_a_5xx(string what, byte[] body, string contentType, HttpStatusCode status,
        string rule, string? field)
    {
        var accountId = await _desk.OpenAccount("cust-not-text");
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await _desk.PostAsync($"/api/accounts/{accountId}/suspension", content);

        (await response.ShouldBeProblem(status, rule))["field"]!.GetValue<string>().Should().Be(field ?? what);
        (await _desk.Version(accountId)).Should().Be(1);
    }

    [Theory]
    [InlineData("/api/approvals?page=2147483647", "page")]
    [InlineData("/api/accounts?page=100001", "page")]
    [InlineData("/api/audit?actor=x&page=2147483647", "page")]
    [InlineData("/api/audit?actor=%00", "actor")]
    public async Task Numbers_and_text_past_their_range_in_a_query_are_a_400_not_a_503(string path, string field)
    {
        using var response = await _desk.GetAsync(path);

        (await response.ShouldBeProblem(HttpStatusCode.BadRequest))["field"]!.GetValue<string>().Should().Be(field);
    }

    [Fact]
    public async Task Oversized_body_is_refused_without_touching_the_account()
    {
        var accountId = await _desk.OpenAccount("cust-oversized");
        var huge = "{\"amount\":10,\"description\":\"" + new string('x', 200_000) + "\",\"category\":\"y\"}";
        var response = await _desk.PostAsync($"/api/accounts/{accountId}/charges", new StringContent(huge, Encoding.UTF8, "application/json"));
        await response.ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge, "body-too-large");
        (await _desk.Version(accountId)).Should().Be(1);
    }
}
