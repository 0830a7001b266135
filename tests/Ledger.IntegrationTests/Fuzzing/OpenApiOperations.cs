using System.Text.Json.Nodes;

namespace Ledger.IntegrationTests.Fuzzing;

/// <summary>A parameter of an operation, as the service's own OpenAPI document declares it.</summary>
public sealed record OperationParameter(string Name, string In, JsonObject Schema);

/// <summary>
/// One operation of the document: where it lives, what it reads, and the schema of its JSON body (refs resolved), or
/// whether its body is an XML document instead (a bank file).
/// </summary>
public sealed record Operation(string Method, string Path, IReadOnlyList<OperationParameter> Parameters, JsonObject? BodySchema, bool XmlBody = false)
{
    public string Key => $"{Method} {Path}";
}

/// <summary>Reads the operations out of the document the service serves at /swagger/v1/swagger.json.</summary>
public static class OpenApiOperations
{
    public static IReadOnlyList<Operation> From(JsonObject document)
    {
        var schemas = document["components"]?["schemas"]?.AsObject();
        var operations = new List<Operation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        foreach (var (method, operation) in item!.AsObject())
        {
            // A stream of server-sent events never ends; its own tests watch it (BrokerLiveTests).
            if (operation!["responses"]?["200"]?["content"]?["text/event-stream"] is not null)
                continue;
            var parameters = (operation!["parameters"]?.AsArray() ?? [])
                .Select(p => new OperationParameter(p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(),
                    Resolve(p["schema"]?.AsObject() ?? [], schemas)))
                .ToList();
            var body = operation["requestBody"]?["content"]?["application/json"]?["schema"]?.AsObject();
            var xml = operation["requestBody"]?["content"]?["application/xml"] is not null;
            operations.Add(new Operation(method.ToUpperInvariant(), path, parameters, body is null ? null : Resolve(body, schemas), xml));
        }
        return operations;
    }

    /// <summary>A copy of the schema with every $ref replaced by what it names (the documents here have no cycles).</summary>
    private static JsonObject Resolve(JsonObject schema, JsonObject? schemas, int depth = 0)
    {
        if (depth > 16)
            return [];
        if (schema["$ref"]?.GetValue<string>() is { } reference && schemas?[reference.Split('/')[^1]] is JsonObject target)
            return Resolve(target, schemas, depth + 1);
        var copy = new JsonObject();
        foreach (var (name, value) in schema)
            copy[name] = value switch
            {
                JsonObject child when name is "items" => Resolve(child, schemas, depth + 1),
                JsonObject properties when name is "properties" => new JsonObject(properties.Select(p =>
                    KeyValuePair.Create(p.Key, (JsonNode?)Resolve(p.Value!.AsObject(), schemas, depth + 1)))),
                JsonArray all when name is "allOf" or "oneOf" or "anyOf" => new JsonArray(all.Select(a => (JsonNode?)Resolve(a!.AsObject(), schemas, depth + 1)).ToArray()),
                _ => value?.DeepClone(),
            };
        return copy["allOf"] is JsonArray { Count: 1 } single && single[0] is JsonObject only ? only.DeepClone().AsObject() : copy;
    }
}
