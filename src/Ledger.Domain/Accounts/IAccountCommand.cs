using Ledger.Domain.Approvals;

namespace Ledger.Domain.Accounts;

/// <summary>What a decision reads besides the account. The write path reads all of it before deciding, so no decision does I/O.</summary>
[Flags]
public enum Reads
{
    Account = 0,
    /// <summary>The entry named by <see cref="IAccountCommand.EntryToRead"/>, as it stands before this write.</summary>
    Entry = 1,
    /// <summary>The limits policy in force.</summary>
    Limits = 2,
    /// <summary>The limits and what the poster already credited alone today; their allowance stream is locked after the accounts.</summary>
    Allowance = 4 | Limits,
}

/// <summary>
/// What a decision is given besides the account: the moment, who posts, the posting ceiling, and what it asked to read.
/// </summary>
public sealed record Facts(DateTimeOffset Now, Poster Poster, decimal Ceiling)
{
    public Entry? Entry { get; init; }
    public LimitsInForce? Limits { get; init; }
}

/// <summary>
/// A command on one account's stream. The write path loads and locks the account (and what <see cref="ReadsFor"/> asks),
/// runs <see cref="Decide"/> — pure, the events for each stream or a rejection — appends, and answers.
/// </summary>
public interface IAccountCommand
{
    Guid AccountId { get; }

    /// <summary>What a successful answer names: the new entry, the approval, the dispute — or the account itself.</summary>
    Guid AnswerId { get; }

    Reads ReadsFor(Poster poster) => Reads.Account;

    /// <summary>The entry to read when <see cref="ReadsFor"/> includes <see cref="Reads.Entry"/>.</summary>
    Guid? EntryToRead(Account account) => null;

    Decision Decide(Account account, Facts facts);
}

/// <summary>A command that starts an account's stream: decided on no account at all.</summary>
public interface IOpensAccount : IAccountCommand
{
    Decision Open(Facts facts);

    Decision IAccountCommand.Decide(Account account, Facts facts) =>
        Decision.Reject(new Rejection("account-exists", $"Account {account.AccountNumber} already exists.", IsConflict: true, Reference: account.Id));
}
