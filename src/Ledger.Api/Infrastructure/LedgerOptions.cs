namespace Ledger.Api.Infrastructure;

public sealed class LedgerOptions
{
    public const string Section = "Ledger";

    /// <summary>No single posting may be larger than this, in the account's currency.</summary>
    public decimal PostingCeiling { get; set; } = 1_000_000m;

    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;
}
