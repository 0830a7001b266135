using System.Diagnostics;
using Bogus;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Charging;
using Ledger.Api.Accounts.Correcting;
using Ledger.Api.Accounts.Crediting;
using Ledger.Api.Accounts.Disputing;
using Ledger.Api.Accounts.Opening;
using Ledger.Api.Accounts.Paying;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Charging;
using Ledger.Domain.Accounts.Correcting;
using Ledger.Domain.Accounts.Crediting;
using Ledger.Domain.Accounts.Disputing;
using Ledger.Domain.Accounts.Opening;
using Ledger.Domain.Accounts.Paying;
using Spectre.Console;
using Wolverine;

namespace Ledger.Api.Seeding;

/// <summary>
/// `seed --accounts N [--seed S]`: realistic customers with a year of activity each, sent through the same
/// Wolverine handlers (and so the same rules) as the API. Only the business dates are set in the past.
/// </summary>
public static class DemoDataSeeder
{
    private static readonly Actor Seeder = new("demo-seeder", Roles.Csr, Channel.Desk, null);
    private static readonly string[] Categories = ["energy", "water", "mobile", "internet", "fees"];

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var accounts = CommandArguments.Number(args, "--accounts") ?? 100;
        var seed = CommandArguments.Number(args, "--seed") ?? Environment.TickCount;
        // Accounts seeded at once. Their charges share transactions (group commit), so more at once means fuller
        // transactions: 1,000 accounts took 76 s with 8 and 63 s with 32 on a 2-core machine.
        var parallel = Math.Max(1, CommandArguments.Number(args, "--parallel") ?? 32);
        await app.StartAsync();
        var start = DateTimeOffset.UtcNow.AddYears(-1);
        var watch = Stopwatch.StartNew();
        var commands = 0;

        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask($"Seeding {accounts} accounts", maxValue: accounts);
            await Parallel.ForEachAsync(Enumerable.Range(0, accounts), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, ct) =>
            {
                // One bus per account: a message bus carries per-conversation state and is not shared across threads.
                await using var scope = app.Services.CreateAsyncScope();
                var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
                var sent = await SeedAccount(bus, new Faker("en") { Random = new Randomizer(seed + i) }, start, ct);
                Interlocked.Add(ref commands, sent);
                task.Increment(1);
            });
        });

        AnsiConsole.MarkupLine($"Seeded [green]{accounts}[/] accounts with {commands} commands in {watch.Elapsed.TotalSeconds:F1} s " +
                               $"({commands / watch.Elapsed.TotalSeconds:F0} commands/s). Seed {seed}.");
        await app.StopAsync();
        return 0;
    }

    private static async Task<int> SeedAccount(IMessageBus bus, Faker f, DateTimeOffset start, CancellationToken ct)
    {
        // Drawn in the order they always were, so a seed gives the same data: the address, then the customer number.
        var address = new Address(f.Address.StreetAddress(), null, f.Address.City(), f.Address.ZipCode(), "US");
        var customerId = $"demo-{f.Random.Number(100000, 999999)}";
        var accountId = Buckets.NewId(Buckets.OfCustomer(customerId));
        var sent = 0;
        async Task<CommandOutcome> Send(IAccountCommand command, RequestContext context)
        {
            sent++;
            return await bus.InvokeAsync<CommandOutcome>(new AccountWrite(command, context), ct);
        }
        RequestContext At(DateTimeOffset when) => new(Seeder, $"seed-{accountId:N}", null, null, null) { EffectiveAt = when };

        await Send(new OpenAccount(accountId, customerId, f.Name.FullName(), "USD", f.Random.Number(1, 28), address),
            At(start));

        var charges = new List<(Guid Id, decimal Amount)>();
        for (var month = 0; month < 12; month++)
        {
            var monthStart = start.AddMonths(month);
            var billed = 0m;
            foreach (var category in f.PickRandom(Categories, f.Random.Number(2, 4)))
            {
                var amount = Math.Round(f.Random.Decimal(5m, 150m), 2);
                var charge = new PostCharge(accountId, Buckets.NewIdBeside(accountId), amount, $"{Capitalized(category)} {monthStart:MMMM yyyy}", category,
                    DateOnly.FromDateTime(monthStart.Date), DateOnly.FromDateTime(monthStart.AddMonths(1).AddDays(-1).Date));
                await Send(charge, At(monthStart.AddDays(f.Random.Number(0, 3))));
                charges.Add((charge.EntryId, amount));
                billed += amount;
            }

            if (f.Random.Bool(0.85f))
            {
                var method = f.PickRandom(PaymentMethod.Card, PaymentMethod.Check, PaymentMethod.Transfer);
                var card = method == PaymentMethod.Card;
                await Send(new ReceivePayment(accountId, Buckets.NewIdBeside(accountId), billed, method,
                    card ? null : f.Random.Replace("REF-########"), card ? f.PickRandom("visa", "mastercard", "amex") : null,
                    card ? f.Random.Replace("####") : null), At(monthStart.AddDays(f.Random.Number(10, 25))));
            }
            if (f.Random.Bool(0.1f))
                await Send(new IssueCredit(accountId, Buckets.NewIdBeside(accountId), Math.Round(f.Random.Decimal(1m, 20m), 2),
                    "goodwill", f.PickRandom("Service outage", "Late delivery", "Billing confusion"), null, Buckets.NewIdBeside(accountId)), At(monthStart.AddDays(20)));
            if (f.Random.Bool(0.05f) && charges.Count > 0)
            {
                var (id, amount) = f.PickRandom(charges);
                await Send(new CorrectEntry(accountId, Buckets.NewIdBeside(accountId), id, Math.Round(amount / 2, 2), "Meter read corrected", null,
                    Buckets.NewIdBeside(accountId)), At(monthStart.AddDays(21)));
            }
            if (f.Random.Bool(0.03f) && charges.Count > 0)
            {
                var dispute = new DisputeCharge(accountId, Buckets.NewIdBeside(accountId), f.PickRandom(charges).Id, "I do not recognise this charge");
                if ((await Send(dispute, At(monthStart.AddDays(22)))).Kind == OutcomeKind.Applied && f.Random.Bool())
                    await Send(new ResolveDispute(accountId, dispute.EntryId, dispute.DisputeId, f.PickRandom<DisputeOutcome>(), "Reviewed with the customer"),
                        At(monthStart.AddDays(27)));
            }
        }
        return sent;
    }

    private static string Capitalized(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}
