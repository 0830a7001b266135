using Ledger.Benchmarks;

const string Usage = """
./ledger bench [--seconds N] [--clients 1,4,16,32] [--only post-charge,account-summary] [--quick]
  --run-accounts N --events-per-account M   the statement run and rebuild data (default 10000 × 100 = 1M events)
  --history 1000,10000,100000               the long accounts for as-of and summary reads
  --demo-accounts N                         the demo seeder's accounts (default 1000)
  --bulk-accounts N                         the accounts bulk-charges spreads its charges over (default 10000, at least 1000)
  --import-accounts N                       the accounts of the file import reads, 4 lines each (default 10000)
  --capacity-accounts N                     the accounts capacity appends twice, --events-per-account each (default 5000)
  --collection-accounts N                   the accounts with a bill past due the collections run reviews (default 10000)
Scenarios for --only: post-charge hot-account credit-in-limits credit-over-limit-approved account-summary entries-page
  reprint-pdf bulk-charges pgbench marten-append as-of-read summary- statement-run import projection-rebuild seed-demo
  cluster (1, 2 and 3 nodes behind HAProxy, and failover) capacity (bytes per event and per account) collections-run
  policy-simulation (90 days of --demo-accounts demo accounts replayed against proposed limits)
  consolidated-bill (one bill over 1,000 corporate members, its reprint, and their own bills as the baseline)
  (a prefix selects all it starts)
""";
string[] valued = ["--seconds", "--clients", "--only", "--run-accounts", "--events-per-account", "--history", "--demo-accounts", "--bulk-accounts", "--import-accounts", "--capacity-accounts", "--collection-accounts"];
if (args.Any(a => a is "-h" or "--help"))
{
    Console.WriteLine(Usage);
    return 0;
}
// An option it does not know is refused before anything starts: a typo must not cost a 25-minute run with defaults.
for (var i = 0; i < args.Length; i++)
{
    if (valued.Contains(args[i]) && i + 1 < args.Length)
        i++;
    else if (args[i] != "--quick")
    {
        Console.Error.WriteLine($"ledger bench: unknown option or missing value: {args[i]}\n\n{Usage}");
        return 2;
    }
}
var quick = args.Contains("--quick");
var options = new BenchOptions(
    TimeSpan.FromSeconds(Arg("--seconds", quick ? 3 : 10)),
    Ints("--clients", quick ? "1,16" : "1,4,16,32"),
    ArgText("--only")?.Split(','),
    Arg("--run-accounts", quick ? 300 : 10_000),
    Arg("--events-per-account", 100),
    Ints("--history", quick ? "1000,10000" : "1000,10000,100000"),
    Arg("--demo-accounts", quick ? 50 : 1_000),
    Math.Max(BulkCharges.ItemsPerRequest, Arg("--bulk-accounts", quick ? 2_000 : 10_000)),
    Arg("--import-accounts", quick ? 1_000 : 10_000),
    Arg("--capacity-accounts", quick ? 500 : 5_000),
    Arg("--collection-accounts", quick ? 1_000 : 10_000),
    "./ledger bench " + string.Join(' ', args));
return await BenchmarkRun.RunAsync(options);

int Arg(string name, int fallback) => ArgText(name) is { } v ? int.Parse(v) : fallback;
int[] Ints(string name, string fallback) => (ArgText(name) ?? fallback).Split(',').Select(int.Parse).ToArray();
string? ArgText(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
