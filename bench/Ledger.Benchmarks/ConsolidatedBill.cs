using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Ledger.Benchmarks;

/// <summary>
/// One consolidated bill over N member accounts (issue #24's target: 1,000 members in ≤ 2 s). The members' histories are
/// appended by seed-history (an opening and four charges each) and placed over ten cost centres of one division that pays
/// for them. Measured: the request issuing the bill (reading every member's events in one query, composing, drawing,
/// signing when the service signs, storing) and the reprint that checks it against those events and serves its bytes.
/// Baseline, same run: the statement run issuing the same members their own N bills, once their division stops paying.
/// </summary>
public static class ConsolidatedBill
{
    public static async Task<List<Measurement>> Run(LedgerProcess api, string connectionString, int members)
    {
        using var csr = api.Client("bench.csr", "csr");
        using var admin = api.Client("bench.admin", "admin", TimeSpan.FromMinutes(10));
        AnsiConsole.MarkupLine($"Consolidated bill: {members:N0} member accounts (seed-history, five events each) under ten cost centres...");
        var (output, _, _) = await LedgerProcess.RunCommand(connectionString, "seed-history", "--accounts", members.ToString(), "--events", "5", "--batch", "5");
        var ids = LedgerProcess.Ids(output);
        var corporateId = $"bench-{DateTime.UtcNow:HHmmss}";
        var opened = await Ok(await csr.PostAsJsonAsync("/api/corporates", new { corporateId, name = "Bench Holdings" }));
        var division = (await Ok(await csr.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes",
            new { parentId = opened["rootId"]!.GetValue<Guid>(), name = "Field", kind = "division" })))["nodes"]!.AsArray()
            .Single(n => n!["name"]!.GetValue<string>() == "Field")!["id"]!.GetValue<Guid>();
        var centres = new List<Guid>();
        for (var i = 1; i <= 10; i++)
            centres.Add((await Ok(await csr.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes",
                    new { parentId = division, name = $"Centre {i:D2}", kind = "costCentre" })))["nodes"]!.AsArray()
                .Single(n => n!["name"]!.GetValue<string>() == $"Centre {i:D2}")!["id"]!.GetValue<Guid>());
        // One tree takes its changes one at a time (its stream is locked for each): a few at once keep the lock busy.
        await Parallel.ForEachAsync(ids.Select((id, i) => (id, i)), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (m, ct) =>
            await Ok(await csr.PutAsJsonAsync($"/api/corporates/{corporateId}/members/{m.id}", new { nodeId = centres[m.i % centres.Count] }, ct)));
        await Ok(await csr.PutAsJsonAsync($"/api/corporates/{corporateId}/nodes/{division}/billing", new { mode = "parentPays", currency = "USD" }));

        var cpu = new CpuSampler();
        var watch = Stopwatch.StartNew();
        var bill = await Ok(await admin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes/{division}/bills", new { }));
        watch.Stop();
        var issue = Measurement.Job("consolidated-bill", 1, 1, watch.Elapsed, bill["members"]!.GetValue<int>() == members ? 0 : 1,
            $"one consolidated bill over {members:N0} members in 10 cost centres ({members * 4:N0} charge lines): composed, drawn, " +
            $"signed (template {bill["templateVersion"]}), stored; one request") with { Cpu = cpu.Stop(1) };

        watch.Restart();
        var pdf = await (await admin.GetAsync($"/api/corporates/{corporateId}/nodes/{division}/bills/{bill["billId"]}/document")).EnsureSuccessStatusCode()
            .Content.ReadAsByteArrayAsync();
        watch.Stop();
        var reprint = Measurement.Job("consolidated-reprint", 1, 1, watch.Elapsed, 0,
            $"the same bill's reprint: recomposed from the {members:N0} members' events and checked, {pdf.Length / 1024:N0} KB served");

        // Baseline: the members' own bills, once the division stops paying.
        await Ok(await csr.PutAsJsonAsync($"/api/corporates/{corporateId}/nodes/{division}/billing", new { mode = "eachPays" }));
        watch.Restart();
        var run = await Ok(await admin.PostAsJsonAsync("/api/statement-runs", new { accountIds = ids }));
        watch.Stop();
        var own = Measurement.Job("consolidated-baseline", 1, run["issued"]!.GetValue<int>(), watch.Elapsed, run["failed"]!.AsArray().Count,
            $"baseline: the statement run issuing the same {members:N0} members a bill each (items = bills)");
        AnsiConsole.MarkupLine($"consolidated-bill: {members:N0} members in [green]{issue.P50Ms / 1000:F2} s[/] " +
                               $"(reprint {reprint.P50Ms / 1000:F2} s; their {members:N0} own bills {own.P50Ms / 1000:F2} s, " +
                               $"ratio {issue.P50Ms / own.P50Ms:F2})");
        return [issue, reprint, own];
    }

    private static async Task<JsonObject> Ok(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
