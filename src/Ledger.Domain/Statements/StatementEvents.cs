using Ledger.Domain.Accounts;

namespace Ledger.Domain.Statements;

/// <summary>One line of a bill. <see cref="Amount"/> is its signed effect on what the customer owes.</summary>
public sealed record StatementLine(Guid EntryId, string Type, DateTimeOffset Date, string Description, decimal Amount, bool Adjustment);

/// <summary>Everything printed on a bill, exactly as issued; the PDF is rendered from this and nothing else.</summary>
public sealed record StatementContent(
    Guid StatementId, Guid AccountId, string AccountNumber, string HolderName, Address Address, string Currency,
    DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, decimal OpeningBalance, IReadOnlyList<StatementLine> Lines,
    decimal ClosingBalance, decimal AmountDue, DateOnly DueDate, long CoveredThroughVersion);

/// <summary>A bill was issued: its content, the template version it was rendered with, and the SHA-256 of that document.</summary>
public sealed record StatementIssued(Guid AccountId, StatementContent Content, int TemplateVersion, string DocumentSha256, DateTimeOffset IssuedAt)
    : Accounts.IKeepsCheckpoint;

/// <summary>Someone asked for a copy of an old bill (who and through which channel are in the metadata).</summary>
public sealed record StatementReprinted(Guid AccountId, Guid StatementId, string DocumentSha256, DateTimeOffset ReprintedAt);

/// <summary>An event as the store recorded it: its stream version and the moment it was committed.</summary>
public sealed record RecordedEvent(long Version, DateTimeOffset RecordedAt, object Data);
