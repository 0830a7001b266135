using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace Ledger.IntegrationTests.Fuzzing;

/// <summary>An account the fuzzer may address: its owner and one of its line items.</summary>
public sealed record FuzzAccount(Guid AccountId, string CustomerId, Guid EntryId);

/// <summary>
/// Requests for every operation of the OpenAPI document: a valid one built from the operation's example (the access
/// matrix's body, the document's schema for the optional fields), then the same request with one part mutated —
/// a body field, the body's structure, the whole body, a query parameter, a header the API reads, a path parameter
/// or the caller.
/// </summary>
public sealed class RequestGenerator(IReadOnlyList<Operation> operations, IReadOnlyList<FuzzAccount> accounts,
    IReadOnlyDictionary<string, (string[] Allowed, object? Body)> examples)
{
    private const string Marker = "\u0001FZ\u0001";

    /// <summary>Query parameters an operation cannot do without: its valid request carries them, mutations keep them.</summary>
    private static readonly Dictionary<string, string> RequiredQuery = new() { ["GET /api/audit"] = "actor=csr.fuzz" };
    private static readonly string[] Callers =
        ["anonymous", "customer", "other-customer", "csr", "manager", "auditor", "admin", "broker", "ledger.read", "ledger.charges.write", "ledger.payments.write"];

    public Gen<FuzzRequest> Requests => Gen.Select(
        Gen.Int[0, operations.Count - 1], Gen.Int[0, 99], Gen.Int[0, 10_000], Gen.Int[0, 10_000], HostileValues.JsonValues,
        HostileValues.QueryValues, HostileValues.Strings, Gen.Int[0, accounts.Count - 1], Build);

    private FuzzRequest Build(int op, int kind, int a, int b, byte[] value, string queryValue, string text, int accountIndex)
    {
        var operation = operations[op];
        var account = accounts[accountIndex];
        var (allowed, example) = examples.TryGetValue(Normalize(operation.Key), out var row) ? row : (["admin"], null);
        var caller = allowed.FirstOrDefault(r => r != "anonymous") ?? "anonymous";
        var path = FillPath(operation.Path, account, a, null);
        var required = RequiredQuery.GetValueOrDefault(operation.Key);
        var query = required is null ? "" : "?" + required;
        var headers = new List<KeyValuePair<string, string>>();
        JsonNode? body = operation.BodySchema is null ? null : JsonSerializer.SerializeToNode(example ?? new { }, Harness.Api.Json);
        byte[]? bytes = body is null ? null : Encoding.UTF8.GetBytes(body.ToJsonString());
        var contentType = body is null ? null : "application/json";
        if (operation.XmlBody)
        {
            // A bank file whose one line matches nothing: valid, it waits in the reconciliation queue and touches no account.
            var file = new Harness.BankFiles(seed: a + 1).Line(Harness.BankLineSpec.Transfer(12.34m, remittance: "fuzz, no reference"));
            (bytes, contentType) = (Encoding.UTF8.GetBytes(file.Xml()), "application/xml");
        }
        string target = "", mutation = "valid";

        switch (kind)
        {
            case < 10:
                break;
            case < 45 when body is JsonObject fields:
                target = Pick(LeafPaths(fields, operation.BodySchema!), a);
                bytes = WithRaw(fields, target, value);
                mutation = $"value {Preview(value)}";
                break;
            case < 55 when body is JsonObject fields:
                (target, bytes, mutation) = Restructure(fields, operation.BodySchema!, a, b, value);
                break;
            case < 65 when bytes is not null:
                (bytes, var wholeType, mutation) = WholeBody(bytes, a, b);
                contentType = operation.XmlBody ? contentType : wholeType;
                target = "body";
                break;
            case < 80:
                (target, query) = QueryMutation(operation, a, b, queryValue);
                if (required is not null && !query.StartsWith("?" + required.Split('=')[0] + "=", StringComparison.Ordinal))
                    query += "&" + required;
                mutation = $"query {query}";
                break;
            case < 92:
                (target, var header, contentType) = HeaderMutation(a, b, text, contentType);
                headers.Add(header);
                mutation = $"header {header.Key}";
                bytes ??= target == "Content-Type" ? [] : null;
                break;
            case < 96 when operation.Parameters.Any(p => p.In == "path"):
                var parameter = Pick(operation.Parameters.Where(p => p.In == "path").Select(p => p.Name).ToList(), a);
                path = FillPath(operation.Path, account, a, (parameter, PathValue(parameter, b, account)));
                (target, mutation) = (parameter, $"path {path}");
                break;
            default:
                caller = Callers[b % Callers.Length];
                mutation = $"caller {caller}";
                break;
        }
        return new FuzzRequest(operation.Key, caller, operation.Method, path, query, headers, bytes, contentType, target, mutation);
    }

    /// <summary>The access matrix writes routes with constraints and a trailing slash; the document without them.</summary>
    public static string Normalize(string route) => route.Replace(":guid", "").TrimEnd('/');

    private static T Pick<T>(IReadOnlyList<T> items, int index) => items[index % items.Count];

    private static string Preview(byte[] value) => value.Length > 40 ? $"{value.Length} bytes" : Encoding.UTF8.GetString(value);

    private string FillPath(string template, FuzzAccount account, int seed, (string Name, string Value)? replaced)
    {
        var path = template;
        foreach (var name in new[] { "accountId", "entryId", "correctionId", "disputeId", "approvalId", "statementId", "deadLetterId", "paymentId", "refundId", "lineId", "feeEntryId", "requestId", "documentId", "nodeId", "targetId", "day", "brokerId", "code", "token", "corporateId", "billId", "runId" })
        {
            var value = replaced is { } r && r.Name == name ? r.Value : name switch
            {
                "accountId" => account.AccountId.ToString(),
                "entryId" => account.EntryId.ToString(),
                "day" => "2020-01-01",
                "brokerId" => "fz-broker",
                "code" => "billing-query",
                "token" => "fz-not-a-token",
                "corporateId" => "fz-corporate",
                _ => new Guid(seed, 0, 0, new byte[8]).ToString(),
            };
            path = path.Replace("{" + name + "}", value);
        }
        return path;
    }

    private string PathValue(string parameter, int pick, FuzzAccount account)
    {
        // No "%00": the test server's client refuses a path with NUL before sending (Kestrel answers it 400 itself).
        string[] ids = ["not-a-guid", Guid.Empty.ToString(), Guid.NewGuid().ToString(), "%01", new string('9', 400), "..%2F..%2Fetc", "%20",
            "{" + parameter + "}", accounts[(accounts.ToList().IndexOf(account) + 1) % accounts.Count].AccountId.ToString(), account.AccountId.ToString().ToUpperInvariant(),
            "%E2%80%AE", "00000000000000000000000000000000"];
        string[] days = ["2020-13-01", "9999-12-31", "0001-01-01", "x", "2020-1-1", "%01", "2019-02-29", "2020-02-29", "-1", "20200101", "2020-01-01T00:00:00Z"];
        string[] brokers = ["", "%20", "a b", new string('b', 65), "..%2F..", "b%C2%85", "{brokerId}", "fz-other-broker"];
        string[] codes = ["", "%20", "Address-Change", new string('c', 41), "..%2F..", "c%C2%85", "{code}", "fz-unknown-type", "close-account", "a"];
        return parameter switch
        {
            "day" => Pick(days, pick), "brokerId" => Pick(brokers, pick), "code" => Pick(codes, pick), "token" => Pick(codes, pick) + Pick(ids, pick), "corporateId" => Pick(brokers, pick),
            _ => Pick(ids, pick),
        };
    }

    /// <summary>Every field the example fills and every field the schema declares (nested ones as "address.city").</summary>
    private static List<string> LeafPaths(JsonObject example, JsonObject schema)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        void FromExample(JsonNode? node, string prefix)
        {
            if (node is JsonObject o && o.Count > 0)
                foreach (var (k, v) in o) FromExample(v, prefix.Length == 0 ? k : $"{prefix}.{k}");
            else if (prefix.Length > 0)
                paths.Add(prefix);
        }
        void FromSchema(JsonObject s, string prefix, int depth)
        {
            if (s["properties"] is JsonObject properties && depth < 4)
            {
                foreach (var (k, v) in properties) FromSchema(v!.AsObject(), prefix.Length == 0 ? k : $"{prefix}.{k}", depth + 1);
                if (prefix.Length > 0)
                    paths.Add(prefix);
            }
            else if (prefix.Length > 0)
                paths.Add(prefix);
        }
        FromExample(example, "");
        FromSchema(schema, "", 0);
        return paths.ToList();
    }

    /// <summary>The body with the value at <paramref name="path"/> replaced by raw bytes, valid JSON or not.</summary>
    private static byte[] WithRaw(JsonObject body, string path, byte[] raw)
    {
        var copy = body.DeepClone().AsObject();
        var segments = path.Split('.');
        var parent = copy;
        foreach (var segment in segments[..^1])
        {
            if (parent[segment] is not JsonObject child)
                parent[segment] = child = [];
            parent = child;
        }
        parent[segments[^1]] = Marker;
        return Splice(copy.ToJsonString(), raw);
    }

    private static byte[] Splice(string json, byte[] raw)
    {
        var marker = JsonSerializer.Serialize(Marker);
        var at = json.IndexOf(marker, StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(json[..at]), .. raw, .. Encoding.UTF8.GetBytes(json[(at + marker.Length)..])];
    }

    private static (string Target, byte[] Body, string Mutation) Restructure(JsonObject body, JsonObject schema, int a, int b, byte[] value)
    {
        var top = body.Select(p => p.Key).Concat(schema["properties"]?.AsObject().Select(p => p.Key) ?? []).Distinct().ToList();
        var name = top.Count == 0 ? "zz" : Pick(top, a);
        var json = body.ToJsonString();
        switch (b % 6)
        {
            case 0:
                var without = body.DeepClone().AsObject();
                without.Remove(name);
                return (name, Encoding.UTF8.GetBytes(without.ToJsonString()), $"without {name}");
            case 1:
                return ($"zz{a}", Encoding.UTF8.GetBytes("{" + $"\"zz{a}\":" + Encoding.UTF8.GetString(value) + (json.Length > 2 ? "," : "") + json[1..]),
                    "unknown field first");
            case 2:
                return (name, [.. Encoding.UTF8.GetBytes("{\"" + name + "\":"), .. value, .. Encoding.UTF8.GetBytes((json.Length > 2 ? "," : "") + json[1..])],
                    $"duplicate {name}, hostile value first");
            case 3:
                return (name, [.. Encoding.UTF8.GetBytes(json[..^1] + (json.Length > 2 ? "," : "") + "\"" + name + "\":"), .. value, .. "}"u8.ToArray()],
                    $"duplicate {name}, hostile value last");
            case 4:
                return ("body", Encoding.UTF8.GetBytes("[" + json + "]"), "wrapped in an array");
            default:
                var renamed = new JsonObject(body.Select(p => KeyValuePair.Create(p.Key == name ? char.ToUpperInvariant(name[0]) + name[1..] + " " : p.Key,
                    p.Value?.DeepClone())));
                return (name, Encoding.UTF8.GetBytes(renamed.ToJsonString()), $"{name} renamed");
        }
    }

    private static (byte[] Body, string ContentType, string Mutation) WholeBody(byte[] valid, int a, int b)
    {
        var text = Encoding.UTF8.GetString(valid);
        byte[] Padded(int size) => Encoding.UTF8.GetBytes(text[..^1] + (text.Length > 2 ? "," : "") + "\"zz\":\"" +
            new string('x', Math.Max(0, size - text.Length - 8)) + "\"}");
        var choices = new (string Name, Func<byte[]> Make)[]
        {
            ("empty", () => []), ("space", () => " "u8.ToArray()), ("null", () => "null"u8.ToArray()), ("array", () => "[]"u8.ToArray()),
            ("empty object", () => "{}"u8.ToArray()), ("number", () => "42"u8.ToArray()), ("string", () => "\"s\""u8.ToArray()),
            ("open brace", () => "{"u8.ToArray()), ("two documents", () => Encoding.UTF8.GetBytes(text + "{}")),
            ("BOM", () => [0xef, 0xbb, 0xbf, .. valid]), ("UTF-16", () => Encoding.Unicode.GetBytes(text)),
            ("truncated", () => valid[..(a % Math.Max(1, valid.Length))]), ("trailing garbage", () => Encoding.UTF8.GetBytes(text + " x")),
            ("comment", () => Encoding.UTF8.GetBytes("// c\n" + text)), ("deep nesting", () => Encoding.UTF8.GetBytes(new string('[', 10_000))),
            ("64 KiB - 1", () => Padded(64 * 1024 - 1)), ("64 KiB", () => Padded(64 * 1024)), ("64 KiB + 1", () => Padded(64 * 1024 + 1)),
            ("1 MiB", () => Padded(1024 * 1024)), ("invalid UTF-8", () => [.. valid[..^1], .. ",\"zz\":\""u8.ToArray(), 0xc3, 0x28, .. "\"}"u8.ToArray()]),
            ("NUL bytes", () => [0, 0, 0, 0]),
        };
        var (name, make) = Pick(choices, b);
        return (make(), "application/json", $"body {name}");
    }

    private static (string Target, string Query) QueryMutation(Operation operation, int a, int b, string value)
    {
        var names = operation.Parameters.Where(p => p.In == "query").Select(p => p.Name).Append("zzz").ToList();
        var name = Pick(names, a);
        return (b % 5) switch
        {
            0 => (name, $"?{name}=1&{name}={value}"),
            1 => (name, $"?{name.ToLowerInvariant()}={value}"),
            _ => (name, $"?{name}={value}"),
        };
    }

    private static (string Target, KeyValuePair<string, string> Header, string? ContentType) HeaderMutation(int a, int b, string text, string? contentType)
    {
        var safe = new string(text.Where(c => c >= ' ' && c <= '\u00ff' && c != '\u007f').Take(2_000).ToArray());
        string[] types = ["text/plain", "application/xml", "application/json; charset=utf-16", "application/json; charset=bogus", "application/merge-patch+json",
            "application/problem+json", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "*/*", "application/json;;;", "json", safe];
        string[] accepts = ["application/xml", "text/csv", "application/pdf", "*/*", "image/png", "text/html", "application/json;q=0", "garbage", "", safe];
        string[] keys = ["", " ", new string('k', 100), new string('k', 101), new string('k', 5_000), "a b", "key\t", "fz-reused-key", "ü", safe];
        string[] versions = ["*", "\"0\"", "\"1\"", "\"-1\"", "\"9223372036854775807\"", "\"9223372036854775808\"", "W/\"1\"", "1", "\"a\"", "\"1\", \"2\"",
            "", "\"\"", "\"1.5\"", "\"1e3\"", safe];
        string[] correlations = ["", new string('c', 100), new string('c', 101), "a b", "ü", "4111111111111111", "../x", safe];
        return (b % 5) switch
        {
            0 => ("Content-Type", new("Content-Type", Pick(types, a)), Pick(types, a)),
            1 => ("Accept", new("Accept", Pick(accepts, a)), contentType),
            2 => ("Idempotency-Key", new("Idempotency-Key", Pick(keys, a)), contentType),
            3 => ("If-Match", new("If-Match", Pick(versions, a)), contentType),
            _ => ("X-Correlation-Id", new("X-Correlation-Id", Pick(correlations, a)), contentType),
        };
    }
}
