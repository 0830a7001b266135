namespace Ledger.Api.Infrastructure;

public sealed class LedgerOptions
{
    public const string Section = "Ledger";

    /// <summary>No single posting may be larger than this, in the account's currency.</summary>
    public decimal PostingCeiling { get; set; } = 1_000_000m;

    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// The limits recorded as the first policy version when the ledger starts on an empty database.
    /// After that, the policy changes only through PUT /api/policy, each change an event.
    /// </summary>
    public LimitsDefaults Limits { get; set; } = new();

    /// <summary>
    /// The template new bills are rendered with; bills already issued keep theirs. Version 5 is version 4 signed: with signing
    /// off (no Ledger:Signing certificate outside Development) new bills get version 4.
    /// </summary>
    public int StatementTemplateVersion { get; set; } = 5;
}

public sealed class LimitsDefaults
{
    public RoleLimitsDefaults Csr { get; set; } = new() { MaxSingleCredit = 100m, MaxSingleCorrection = 250m, DailyCreditTotal = 500m, AccountCreditTotal30Days = 300m };
    public RoleLimitsDefaults Manager { get; set; } = new() { MaxSingleCredit = 1_000m, MaxSingleCorrection = 2_500m, DailyCreditTotal = 10_000m, AccountCreditTotal30Days = 3_000m };
    public decimal SecondApprovalAbove { get; set; } = 5_000m;
    public int ApprovalExpiryHours { get; set; } = 72;

    public Domain.Policies.LimitsPolicy ToPolicy() => new(Csr.ToLimits(), Manager.ToLimits(), SecondApprovalAbove, ApprovalExpiryHours);
}

public sealed class RoleLimitsDefaults
{
    public decimal MaxSingleCredit { get; set; }
    public decimal MaxSingleCorrection { get; set; }
    public decimal DailyCreditTotal { get; set; }
    public decimal AccountCreditTotal30Days { get; set; }

    public Domain.Policies.RoleLimits ToLimits() => new(MaxSingleCredit, MaxSingleCorrection, DailyCreditTotal, AccountCreditTotal30Days);
}
