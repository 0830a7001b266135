using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Clients;

/// <summary>
/// The API description is a contract: served at <c>/openapi/v1.json</c>, kept in the repository (the copy the typed
/// clients are generated from), lint-clean, and complete in what each operation says it answers. That the answers really
/// are what it says is checked on every response of the suite (<see cref="ResponseContract"/>).
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class OpenApiDocumentTests(LedgerApp app)
{
    private async Task<JsonObject> ServedAsync(string path = "/openapi/v1.json")
    {
        using var staff = app.ClientFor(TestUser.Auditor());
        var response = await staff.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    [Fact]
    public async Task The_served_document_is_OpenAPI_3_1_and_is_the_copy_the_clients_are_generated_from()
    {
        var served = await ServedAsync();
        served["openapi"]!.GetValue<string>().Should().StartWith("3.1");
        served["servers"]!.AsArray().Should().ContainSingle().Which!["url"]!.GetValue<string>().Should().Be("http://localhost");
        JsonNode.DeepEquals(served, await ServedAsync("/swagger/v1/swagger.json")).Should().BeTrue("Swagger UI reads the same document");

        var kept = JsonNode.Parse(await File.ReadAllTextAsync(Tools.OpenApiDocument))!.AsObject();
        served.Remove("servers");
        kept.Remove("servers");
        if (!JsonNode.DeepEquals(served, kept))
            Assert.Fail("clients/openapi/v1.json differs from the document the service serves: run `./ledger openapi` and commit " +
                        $"the result (the typed clients are generated from it). First difference: {FirstDifference(kept, served, "$")}");
    }

    [Fact]
    public async Task Every_operation_says_what_it_answers()
    {
        var document = await ServedAsync();
        var schemas = document["components"]!["schemas"]!.AsObject();
        foreach (var (path, item) in document["paths"]!.AsObject())
        foreach (var (method, node) in item!.AsObject())
        {
            var operation = node!.AsObject();
            var where = $"{method.ToUpperInvariant()} {path}";
            var responses = operation["responses"]!.AsObject();
            responses.Select(r => r.Key).Should().Contain(s => s.StartsWith('2'), $"{where} documents its success answer");
            responses.Select(r => r.Key).Should().Contain(["400", "422", "429", "503"], $"{where} documents the answers every request can get");
            if (operation["security"] is JsonArray { Count: > 0 })
                responses.Select(r => r.Key).Should().Contain(["401", "403"], $"{where} needs a token");
            if (path.Contains('{'))
                responses.Select(r => r.Key).Should().Contain("404", $"{where} names something in its path");
            if (method is "post" or "put")
                responses.Select(r => r.Key).Should().Contain(["413", "415"], $"{where} takes a body");
            foreach (var (status, response) in responses)
            {
                response!["description"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace($"{where} {status} says what it means");
                if (status is "429" or "503")
                    response["headers"]?["Retry-After"].Should().NotBeNull($"{where} {status} says when to retry");
                if (status is "201" or "202")
                    response["headers"]?["Location"].Should().NotBeNull($"{where} {status} says where to follow it");
                if (!status.StartsWith('2'))
                    response["content"]!.AsObject().Should().ContainSingle().Which.Key.Should().Be("application/problem+json", $"{where} {status} is a problem");
            }
            operation["operationId"].Should().NotBeNull($"{where} has an operationId (the generated clients' method name)");
            operation["summary"].Should().NotBeNull($"{where} has a summary");
        }
        schemas["ProblemDetails"]!["properties"]!.AsObject().Select(p => p.Key).Should().Contain(["rule", "field", "errors", "traceId"]);
        document["tags"]!.AsArray().Should().OnlyContain(t => t!["description"] != null);
        document["info"]!["license"].Should().NotBeNull();
    }

    [Fact]
    public async Task Enums_are_the_strings_the_API_sends_and_nullable_objects_say_so()
    {
        var schemas = (await ServedAsync())["components"]!["schemas"]!.AsObject();
        foreach (var (name, schema) in schemas)
            if (schema!["enum"] is JsonArray values)
                values.Should().OnlyContain(v => v!.GetValueKind() == JsonValueKind.String, $"{name} is sent as strings");
        schemas["PaymentMethod"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Contain(["card", "transfer"]);
        schemas["AccountView"]!["properties"]!["contact"]!.ToJsonString().Should().Contain("\"null\"", "an account may have no contact yet");
        schemas["EntryView"]!["properties"]!["dispute"]!.ToJsonString().Should().Contain("\"null\"", "most entries are not disputed");
        schemas["AccountView"]!["properties"]!["balance"]!["format"]!.GetValue<string>().Should().Be("decimal", "money is exact");
    }

    [Fact]
    public async Task The_document_lints_with_Redocly_without_an_error_or_a_warning()
    {
        Tools.RequireTypeScriptPackages();
        var (exit, output) = await Tools.RunAsync("npx", ["--no-install", "redocly", "lint", "--format", "summary", Tools.OpenApiDocument],
            Tools.TypeScriptClient);
        exit.Should().Be(0, output);
        output.Should().Contain("Your API description is valid");
        output.Should().NotMatchRegex(@"You have \d+ warning", output);
    }

    [Fact]
    public async Task Customers_get_no_API_description_outside_Development_but_staff_do()
    {
        using var customer = app.ClientFor(TestUser.Customer("cust-openapi"));
        // The test environment is not Development: the description is staff-only, as in production.
        (await customer.GetAsync("/openapi/v1.json")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        using var anonymous = app.CreateClient();
        (await anonymous.GetAsync("/openapi/v1.json")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    private static string FirstDifference(JsonNode? expected, JsonNode? actual, string path)
    {
        if (expected is JsonObject e && actual is JsonObject a)
        {
            foreach (var key in e.Select(p => p.Key).Union(a.Select(p => p.Key)))
                if (!JsonNode.DeepEquals(e[key], a[key]))
                    return FirstDifference(e[key], a[key], $"{path}.{key}");
        }
        else if (expected is JsonArray ea && actual is JsonArray aa && ea.Count == aa.Count)
        {
            for (var i = 0; i < ea.Count; i++)
                if (!JsonNode.DeepEquals(ea[i], aa[i]))
                    return FirstDifference(ea[i], aa[i], $"{path}[{i}]");
        }
        return $"{path}: kept {Short(expected)}, served {Short(actual)}";
    }

    private static string Short(JsonNode? node) => node?.ToJsonString() is { } text ? text.Length > 200 ? text[..200] + "…" : text : "(nothing)";
}
