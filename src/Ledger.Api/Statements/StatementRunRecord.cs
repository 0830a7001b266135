namespace Ledger.Api.Statements;

public enum StatementRunStatus { Queued, Running, Finished }

/// <summary>
/// A statement run as it goes and after: who started it, to which cut-off, and how far it has come. The run writes it every
/// few accounts (never once per account: the count is for people watching, the bills are the record), and once at the end.
/// </summary>
public sealed class StatementRunRecord
{
    /// <summary>The failures kept on the record; beyond them only their number (each account's log line names it).</summary>
    public const int FailuresKept = 100;

    public Guid Id { get; set; }
    public DateTimeOffset Cutoff { get; set; }
    public string StartedBy { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public StatementRunStatus Status { get; set; }
    public int Total { get; set; }
    public int Done { get; set; }
    public int Issued { get; set; }
    public int Skipped { get; set; }
    public int FailureCount { get; set; }
    public List<StatementRunFailure> Failures { get; set; } = [];
    public DateTimeOffset? FinishedAt { get; set; }
}
