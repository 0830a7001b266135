using System.Diagnostics;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Charging;
using Ledger.Domain.Accounts.Opening;
using Marten;

namespace Ledger.Api.Seeding;

/// <summary>
/// `seed-history --accounts N --events M [--batch B]`: accounts with long histories, for benchmarks and for trying
/// time travel on a big account. Each account gets M events (an opening and charges spread over the past year),
/// decided by the same pure decisions and appended through the same write path as the API (hash chain, metadata,
/// inline projections, checkpoints), but B events per transaction instead of one per request, so a million events
/// take a minute rather than an hour. Prints the new account ids, one per line, on stdout.
/// </summary>
public static class HistorySeeder
{
    private static readonly Actor Seeder = new("history-seeder", Roles.Csr, Channel.Desk, null);

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var accounts = CommandArguments.Number(args, "--accounts") ?? 1;
        var events = CommandArguments.Number(args, "--events") ?? 1_000;
        var batch = CommandArguments.Number(args, "--batch") ?? 500;
        if (accounts < 1 || events < 1 || batch < 1)
        {
            Console.Error.WriteLine("usage: seed-history --accounts N --events M [--batch B]   (all at least 1)");
            return 1;
        }
        await app.StartAsync();
        var writer = app.Services.GetRequiredService<GroupCommit>();
        var clock = app.Services.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        var written = 0L;
        // Each account its own customer ("history-<id>"), in the bucket its id falls in.
        var ids = Enumerable.Range(0, accounts).Select(_ => Guid.CreateVersion7()).ToArray();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (accountId, ct) =>
        {
            var start = now.AddYears(-1);
            var step = TimeSpan.FromTicks(TimeSpan.FromDays(365).Ticks / events);
            var context = new RequestContext(Seeder, $"history-{accountId:N}", null, null, null) { EffectiveAt = start };
            Expect(accountId, await writer.WriteAsync(new AccountWrite(new OpenAccount(accountId, $"history-{accountId:N}", "History Seeded", "USD",
                1 + accountId.ToByteArray()[15] % 28, new Address("1 Long Road", null, "Archive", "00001", "US")), context), ct));
            for (var done = 1; done < events; done += batch)
                Expect(accountId, await writer.WriteAsync(
                    new AccountWrite(new SeedCharges(accountId, done, (int)Math.Min(batch, events - done), start, step), context), ct));
            Interlocked.Add(ref written, events);
            Console.Out.WriteLine(accountId);
        });
        Console.Error.WriteLine($"seed-history: {accounts} accounts, {written} events in {watch.Elapsed.TotalSeconds:F1} s " +
                                $"({written / watch.Elapsed.TotalSeconds:F0} events/s)");
        await app.StopAsync();
        return 0;
    }

    private static void Expect(Guid accountId, CommandOutcome outcome)
    {
        if (outcome.Kind != OutcomeKind.Applied)
            throw new InvalidOperationException($"Seeding {accountId} stopped: {outcome.Kind} {outcome.Rejection?.Message}");
    }

    /// <summary>Charges number <see cref="First"/> onwards, each decided against the state the previous one left.</summary>
    private sealed record SeedCharges(Guid AccountId, int First, int Count, DateTimeOffset Start, TimeSpan Step) : IAccountCommand
    {
        public Guid AnswerId => AccountId;

        public Decision Decide(Account account, Facts facts)
        {
            var decided = new object[Count];
            var state = account;
            for (var i = 0; i < Count; i++)
            {
                var n = First + i;
                var decision = PostCharge.Decide(state, new PostCharge(account.Id, Buckets.NewIdBeside(account.Id), 1m + n % 97, $"Metered usage #{n}", "usage", null, null),
                    1_000_000m, Start + Step * n);
                if (decision.Rejection is not null)
                    return decision;
                decided[i] = decision.Events[0];
                state = Account.Evolve(state, decided[i])!;
            }
            return Decision.Accept(decided);
        }
    }
}
