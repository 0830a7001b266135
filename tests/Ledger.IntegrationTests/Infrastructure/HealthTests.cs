using System.Net;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Infrastructure;

/// <summary>The test host runs outside Development, so the details and the API description are for staff (see DeploymentHardeningTests).</summary>
[Collection(LedgerCollection.Name)]
public sealed class HealthTests(LedgerApp app)
{
    [Fact]
    public async Task Live_and_ready_answer_200_when_the_database_and_schema_are_there()
    {
        var client = app.CreateClient();
        (await client.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
        var ready = await client.GetAsync("/health/ready");
        var body = await ready.Content.ReadAsStringAsync();
        ready.StatusCode.Should().Be(HttpStatusCode.OK, body);
        System.Text.Json.Nodes.JsonNode.Parse(body)!.AsObject().Select(p => p.Key).Should()
            .Equal(["status"], "an anonymous caller learns ready or not (Healthy or Degraded), nothing about the inside");

        using var staff = app.ClientFor(TestUser.Auditor());
        var details = await staff.GetStringAsync("/health/ready");
        details.Should().Contain("\"postgresql\"").And.Contain("event store schema applied");
    }

    [Fact]
    public async Task Swagger_document_lists_the_account_endpoints_and_bearer_security()
    {
        using var staff = app.ClientFor(TestUser.Csr());
        var doc = await staff.GetStringAsync("/swagger/v1/swagger.json");
        doc.Should().Contain("/api/accounts/{accountId}/charges").And.Contain("bearer");
    }
}
