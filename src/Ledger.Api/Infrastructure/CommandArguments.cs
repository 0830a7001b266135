namespace Ledger.Api.Infrastructure;

/// <summary>The `--name value` options of the one-off commands (seed, seed-history, import).</summary>
public static class CommandArguments
{
    /// <summary>The value after <paramref name="name"/>, or null when the option is absent or has no value.</summary>
    public static string? Text(string[] args, string name) =>
        Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

    /// <summary>The value after <paramref name="name"/> as a whole number, or null when absent or not a number.</summary>
    public static int? Number(string[] args, string name) => int.TryParse(Text(args, name), out var value) ? value : null;
}
