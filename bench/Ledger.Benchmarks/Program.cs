using Ledger.Benchmarks;

// ./ledger bench [--seconds N] [--clients 1,4,16,32]
var seconds = Arg(args, "--seconds", 10);
var clients = (ArgText(args, "--clients") ?? "1,4,16,32").Split(',').Select(int.Parse).ToArray();
return await BenchmarkRun.RunAsync(TimeSpan.FromSeconds(seconds), clients);

static int Arg(string[] a, string name, int fallback) => ArgText(a, name) is { } v ? int.Parse(v) : fallback;
static string? ArgText(string[] a, string name) => Array.IndexOf(a, name) is var i and >= 0 && i + 1 < a.Length ? a[i + 1] : null;
