namespace Ledger.Api.Infrastructure.RateLimiting;

/// <summary>
/// How many requests one caller may make per window, per kind of request (<c>Ledger:RateLimits</c>). A caller is the
/// signed-in user (token subject or portal cookie), or the client address when anonymous. The defaults are for
/// production; test hosts and the benchmark raise them, tests of the limiter lower them.
/// </summary>
public sealed class RateLimits
{
    public const string Section = "Ledger:RateLimits";

    /// <summary>GETs: pages, account views, searches.</summary>
    public RateLimit Reads { get; set; } = new() { PermitLimit = 600, Window = TimeSpan.FromMinutes(1) };

    /// <summary>POST, PUT, DELETE: every write takes a row lock and appends, so fewer.</summary>
    public RateLimit Writes { get; set; } = new() { PermitLimit = 120, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Statement PDFs and letter batches: each one is re-verified (and may be re-rendered) before it is served.</summary>
    public RateLimit Downloads { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Sign-in attempts, per client address whoever claims to sign in (guessing stays slow).</summary>
    public RateLimit SignIn { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(1) };

    /// <summary>
    /// Profile and contact changes, per user and account: each one mails the new and the previous contact, so this is
    /// what keeps the ledger from being used to send mail. Per account too, so a desk worker serving many customers is
    /// not stopped by the fifth of them.
    /// </summary>
    public RateLimit ProfileChanges { get; set; } = new() { PermitLimit = 5, Window = TimeSpan.FromHours(1) };

    /// <summary>Documents attached to service requests: up to 10 MB each, every one opened and checked (a PDF parsed) before it is kept.</summary>
    public RateLimit Uploads { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) };

    public RateLimit For(RateLimitRule rule) => rule switch
    {
        RateLimitRule.Reads => Reads,
        RateLimitRule.Writes => Writes,
        RateLimitRule.Downloads => Downloads,
        RateLimitRule.SignIn => SignIn,
        RateLimitRule.ProfileChanges => ProfileChanges,
        RateLimitRule.Uploads => Uploads,
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
    };

    public IEnumerable<(RateLimitRule Rule, RateLimit Limit)> All() =>
        Enum.GetValues<RateLimitRule>().Select(r => (r, For(r)));
}

public sealed class RateLimit
{
    public int PermitLimit { get; set; }
    public TimeSpan Window { get; set; }
}
