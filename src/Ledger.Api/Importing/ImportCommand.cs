using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Charging;
using Ledger.Domain.Accounts.Importing;
using Ledger.Domain.Accounts.Opening;
using Marten;
using Spectre.Console;
using Wolverine;

namespace Ledger.Api.Importing;

/// <summary>
/// `import FILE [--parallel N] [--report FILE]`: an existing customer base into the ledger, through the one write path
/// and its rules, each fact at its original date, marked as imported (channel <c>migration</c>, header
/// <c>imported_from</c> = file:line). Every fact's Idempotency-Key follows from its identity in the old system, so the
/// import is idempotent and resumable: run it again after a crash (or by mistake) and what was written is found, not
/// written twice. A refused line is reported with its number and reason; the rest go on.
/// </summary>
public static class ImportCommand
{
    /// <summary>Who migrated history names as its actor: one fixed name, so a re-run by anyone finds the same keys.</summary>
    public static readonly Actor Importer = new("import", "import", Channel.Migration, null);

    public const string BroughtForward = "balance-brought-forward";

    public sealed record Refused(int Line, string? AccountNumber, string Rule, string Detail, string? Field);

    public sealed record Report(string File, int Lines, int Accounts, int Written, int AlreadyImported, IReadOnlyList<Refused> Refusals, double Seconds)
    {
        public double FactsPerSecond => Seconds > 0 ? (Written + AlreadyImported) / Seconds : 0;
    }

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        if (args.Length < 2 || args[1].StartsWith("--") || !File.Exists(args[1]))
        {
            Console.Error.WriteLine("Usage: import FILE.csv|FILE.jsonl [--parallel N] [--report FILE]  (formats: docs/integration.md)");
            return 2;
        }
        var file = Path.GetFullPath(args[1]);
        var parallel = Math.Max(1, CommandArguments.Number(args, "--parallel") ?? 16);
        var reportPath = CommandArguments.Text(args, "--report") ?? file + ".report.json";
        await app.StartAsync();
        var report = await ImportAsync(app.Services, file, parallel, CancellationToken.None);
        await File.WriteAllTextAsync(reportPath, JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));

        AnsiConsole.MarkupLine($"Imported [green]{report.Accounts}[/] accounts from {report.Lines} lines in {report.Seconds:F1} s " +
                               $"({report.FactsPerSecond:F0} facts/s): {report.Written} written, {report.AlreadyImported} already imported, " +
                               $"[{(report.Refusals.Count > 0 ? "red" : "green")}]{report.Refusals.Count} refused[/].");
        foreach (var refused in report.Refusals.Take(20))
            AnsiConsole.MarkupLineInterpolated($"  line {refused.Line}: {refused.Rule} — {refused.Detail}");
        if (report.Refusals.Count > 20)
            AnsiConsole.MarkupLine($"  … and {report.Refusals.Count - 20} more");
        AnsiConsole.MarkupLineInterpolated($"Report: {reportPath}");
        await app.StopAsync();
        return report.Refusals.Count > 0 ? 1 : 0;
    }

    public static async Task<Report> ImportAsync(IServiceProvider services, string file, int parallel, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await using var reading = services.CreateAsyncScope();
        var validator = reading.ServiceProvider.GetRequiredService<IValidator<ImportRecord>>();
        var refusals = new ConcurrentBag<Refused>();
        var accounts = new Dictionary<string, (ImportLine Opening, List<ImportLine> Facts)>(StringComparer.Ordinal);
        var orphans = new List<ImportLine>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lines = 0;
        foreach (var line in ImportFile.Read(file, validator))
        {
            lines = Math.Max(lines, line.Number);
            if (line.Refusal is { } refusal)
                refusals.Add(new Refused(line.Number, line.Record?.AccountNumber, refusal.Rule, refusal.Message, refusal.Field));
            else if (!seen.Add(line.Record!.Identity))
                refusals.Add(new Refused(line.Number, line.Record.AccountNumber, "duplicate-record",
                    $"An earlier line already has this {line.Record.Record} ({line.Record.Identity}).", "id"));
            else if (line.Record.Record == ImportRecord.Account)
                accounts[line.Record.AccountNumber!] = (line, []);
            else if (accounts.TryGetValue(line.Record.AccountNumber!, out var known))
                known.Facts.Add(line);
            else
                orphans.Add(line); // its account may come later in the file
        }
        foreach (var orphan in orphans)
        {
            if (accounts.TryGetValue(orphan.Record!.AccountNumber!, out var known))
                known.Facts.Add(orphan);
            else
                refusals.Add(new Refused(orphan.Number, orphan.Record.AccountNumber, "unknown-account",
                    $"No 'account' line in the file opens account {orphan.Record.AccountNumber}.", "accountNumber"));
        }
        var opened = accounts.Values.ToList();

        var written = 0;
        var already = 0;
        var total = opened.Sum(a => 1 + a.Facts.Count);
        var name = Path.GetFileName(file);
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"Importing {opened.Count} accounts ({total} facts) from {name}", maxValue: Math.Max(1, total));
                await Parallel.ForEachAsync(opened, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = ct }, async (account, token) =>
                {
                    await using var scope = services.CreateAsyncScope();
                    var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
                    var query = scope.ServiceProvider.GetRequiredService<IQuerySession>();
                    var open = account.Opening.Record!;
                    var accountId = DeterministicId.From($"import-account|{open.AccountNumber}");
                    // An account's facts in the order they happened, so its stream reads as its history did.
                    var facts = account.Facts.OrderBy(f => f.Record!.At).ThenBy(f => f.Number).ToList();
                    var refusedAccount = false;
                    foreach (var line in facts.Prepend(account.Opening))
                    {
                        if (refusedAccount)
                        {
                            refusals.Add(new Refused(line.Number, open.AccountNumber, "account-refused",
                                $"Account {open.AccountNumber} (line {account.Opening.Number}) was refused, so nothing is imported onto it.", "accountNumber"));
                            task.Increment(1);
                            continue;
                        }
                        var record = line.Record!;
                        if (record.At < open.At)
                        {
                            refusals.Add(new Refused(line.Number, open.AccountNumber, "before-account-opened",
                                $"This {record.Record} is dated {record.At:O}, before account {open.AccountNumber} was opened ({open.At:O}, line {account.Opening.Number}).", "at"));
                            task.Increment(1);
                            continue;
                        }
                        var (result, rejection) = await WriteAsync(bus, query, accountId, record, $"{name}:{line.Number}", open, token);
                        if (result == Result.Refused)
                        {
                            refusals.Add(new Refused(line.Number, open.AccountNumber, rejection!.Rule, rejection.Message, rejection.Field));
                            refusedAccount = record.Record == ImportRecord.Account;
                        }
                        else if (result == Result.AlreadyImported)
                            Interlocked.Increment(ref already);
                        else
                            Interlocked.Increment(ref written);
                        task.Increment(1);
                    }
                });
            });

        return new Report(file, lines, opened.Count, written, already, refusals.OrderBy(r => r.Line).ToList(), watch.Elapsed.TotalSeconds);
    }

    private enum Result { Written, AlreadyImported, Refused }

    private static async Task<(Result, Rejection?)> WriteAsync(IMessageBus bus, IQuerySession query, Guid accountId,
        ImportRecord record, string source, ImportRecord account, CancellationToken ct)
    {
        var context = new RequestContext(Importer, $"import-{account.AccountNumber}", null, record.Key, record.Hash)
        {
            EffectiveAt = record.At, ImportedFrom = source,
        };
        if (Command(accountId, record) is not { } command)
            return (Result.Written, null); // a zero opening balance: nothing to record
        var replayed = await Writes.Replay(query, context, record.Key, ct);
        var outcome = replayed ?? await Writes.OutcomeAsync(bus, query, new AccountWrite(command, context), ct);
        if (outcome.Kind is OutcomeKind.Applied)
            return (replayed is null ? Result.Written : Result.AlreadyImported, null);
        return (Result.Refused, outcome.Rejection ?? new Rejection("not-imported", $"The ledger answered {outcome.Kind.ToString().ToLowerInvariant()}."));
    }

    private static IAccountCommand? Command(Guid accountId, ImportRecord r)
    {
        var entryId = DeterministicId.From($"import-entry|{r.Identity}");
        return r.Record switch
        {
            ImportRecord.Account => new OpenAccount(accountId, r.CustomerId!.Trim(), r.HolderName!.Trim(), r.Currency!.Trim().ToUpperInvariant(), r.BillingDay!.Value,
                new Address(r.Line1!, r.Line2, r.City!, r.PostalCode!, r.Country!)),
            ImportRecord.OpeningBalance when r.Amount > 0 => new PostCharge(accountId, entryId, r.Amount.Value,
                r.Description ?? "Balance brought forward", BroughtForward, null, null),
            ImportRecord.OpeningBalance when r.Amount < 0 => new ImportCredit(accountId, entryId, -r.Amount.Value, BroughtForward,
                r.Description ?? "Credit balance brought forward"),
            ImportRecord.OpeningBalance => null,
            ImportRecord.Charge => new PostCharge(accountId, entryId, r.Amount!.Value, r.Description!, r.Category!, r.ServiceFrom, r.ServiceTo),
            ImportRecord.Payment => new ImportPayment(accountId, entryId, r.Amount!.Value, Enum.Parse<PaymentMethod>(r.Method!, ignoreCase: true), r.Reference, r.Id!),
            ImportRecord.Credit => new ImportCredit(accountId, entryId, r.Amount!.Value, r.ReasonCode!, r.Reason!),
            _ => throw new InvalidOperationException($"Record kind {r.Record} passed validation."),
        };
    }
}
