using System.Text.Json;
using Npgsql;
using Spectre.Console;

namespace Ledger.Benchmarks;

/// <summary>
/// The API's one-off `import` of a customer base from JSON Lines: N accounts of four lines each (the account, its
/// opening balance, a charge, a payment), imported once and then again from the same file, when every line is found
/// already imported (the resume path after a crash). Each rate is the command's own report: facts per second over
/// its import, without the process's and host's start-up.
/// </summary>
public static class Import
{
    public const int LinesPerAccount = 4;

    public static async Task<List<Measurement>> Run(string connectionString, int accounts, int parallel)
    {
        // Beside the scratch database's name, so runs on the same machine never share a file.
        var directory = Directory.CreateTempSubdirectory(new NpgsqlConnectionStringBuilder(connectionString).Database + "-import-");
        try
        {
            var file = Path.Combine(directory.FullName, "legacy.jsonl");
            await Write(file, accounts);
            AnsiConsole.MarkupLine($"Importing {accounts:N0} accounts × {LinesPerAccount} lines from JSON Lines (import --parallel {parallel})...");
            return
            [
                await Once("import", connectionString, file, parallel, $"{accounts:N0} accounts × {LinesPerAccount} lines (account, opening balance, charge, payment)"),
                await Once("import-rerun", connectionString, file, parallel, "the same file again: every line already imported (the resume path)"),
            ];
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<Measurement> Once(string scenario, string connectionString, string file, int parallel, string what)
    {
        var cpu = new CpuSampler();
        // Exit code 1 is an answer, not a failure: some lines were refused, and the report says which.
        var (_, elapsed, ticks) = await LedgerProcess.RunCommand(connectionString, [0, 1], "import", file, "--parallel", parallel.ToString());
        using var report = JsonDocument.Parse(await File.ReadAllBytesAsync(file + ".report.json"));
        var root = report.RootElement;
        var (lines, seconds, rate) = (root.GetProperty("lines").GetInt32(), root.GetProperty("seconds").GetDouble(), root.GetProperty("factsPerSecond").GetDouble());
        var facts = root.GetProperty("written").GetInt64() + root.GetProperty("alreadyImported").GetInt64();
        var refusals = root.GetProperty("refusals");
        var first = refusals.GetArrayLength() > 0 ? refusals[0] : (JsonElement?)null;
        var refusal = first is { } r ? $"line {r.GetProperty("line").GetInt32()}: {r.GetProperty("rule").GetString()}: {r.GetProperty("detail").GetString()}" : null;

        AnsiConsole.MarkupLine($"{scenario}: {lines:N0} lines in {seconds:F1} s = [green]{rate:F0}[/] facts/s " +
                               $"({root.GetProperty("written").GetInt64():N0} written, {root.GetProperty("alreadyImported").GetInt64():N0} already imported, " +
                               $"{refusals.GetArrayLength()} refused; {elapsed.TotalSeconds:F1} s with the process's start-up)");
        if (refusal is not null)
            AnsiConsole.MarkupLine($"[yellow]  first refusal: {Markup.Escape(refusal)}[/]");
        return Measurement.Job(scenario, parallel, facts, TimeSpan.FromSeconds(seconds), refusals.GetArrayLength(),
                $"{what}; facts/s from the command's report (its import alone: {elapsed.TotalSeconds:F1} s with the process's start-up, " +
                $"which the CPU figures include); errors = lines refused{(refusal is null ? "" : $", first: {refusal}")}")
            with { OpsPerSecond = rate, Cpu = cpu.Stop(facts, commandTicks: ticks) };
    }

    /// <summary>The file a legacy system would export: per account its opening, an opening balance, a charge and a payment.</summary>
    private static async Task Write(string file, int accounts)
    {
        await using var writer = new StreamWriter(file);
        for (var i = 1; i <= accounts; i++)
        {
            var number = $"LEGACY-{i:D6}";
            foreach (var line in new object[]
                     {
                         new
                         {
                             record = "account", accountNumber = number, at = "2023-01-02T08:00:00Z", customerId = $"legacy-{i}", holderName = $"Legacy Holder {i}",
                             currency = "USD", billingDay = 1 + i % 28, line1 = $"{i} Main St", city = "Springfield", postalCode = "12345", country = "US",
                         },
                         new { record = "opening-balance", accountNumber = number, at = "2023-01-02T08:00:00Z", amount = 12.50m },
                         new
                         {
                             record = "charge", accountNumber = number, id = $"INV-{i}", at = "2023-02-01T00:00:00Z", amount = 42.10m, description = "Line rental",
                             category = "rental",
                         },
                         new { record = "payment", accountNumber = number, id = $"PAY-{i}", at = "2023-02-14T00:00:00Z", amount = 42.10m, method = "transfer" },
                     })
                await writer.WriteLineAsync(JsonSerializer.Serialize(line));
        }
    }
}
