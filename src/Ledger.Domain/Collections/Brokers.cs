using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Opening;

namespace Ledger.Domain.Collections;

/// <summary>The account was put in broker <see cref="BrokerId"/>'s book (taken from <see cref="PreviousBrokerId"/>'s, if it was in one).</summary>
public sealed record BrokerAssigned(Guid AccountId, string BrokerId, string? PreviousBrokerId, DateTimeOffset AssignedAt);

/// <summary>The account was taken out of broker <see cref="PreviousBrokerId"/>'s book.</summary>
public sealed record BrokerUnassigned(Guid AccountId, string PreviousBrokerId, DateTimeOffset UnassignedAt);

/// <summary>The broker asked the desk to call the customer; the note is for the desk.</summary>
public sealed record CallbackRequested(Guid AccountId, Guid RequestId, string BrokerId, string Note, DateTimeOffset RequestedAt);

/// <summary>The desk called (or tried to) and says how it went.</summary>
public sealed record CallbackCompleted(Guid AccountId, Guid RequestId, string Outcome, DateTimeOffset CompletedAt);

/// <summary>A call a broker asked for, still to be made.</summary>
public sealed record OpenCallback(Guid RequestId, string BrokerId, string Note, DateTimeOffset RequestedAt);

/// <summary>The desk puts an account in a broker's book (<see cref="BrokerId"/>), moves it to another's, or takes it out (null).</summary>
public sealed record AssignBroker(Guid AccountId, string? BrokerId) : IAccountCommand
{
    public Guid AnswerId => AccountId;

    public Decision Decide(Account account, Facts facts)
    {
        if (BrokerId is not null && !CustomerIds.IsValid(BrokerId))
            return Decision.Reject("broker-id-invalid", "'brokerId' is 1 to 64 letters, digits, '.', '_', ':' or '-'.", "brokerId");
        if (account.Status == AccountStatus.Closed)
            return Decision.Reject("account-closed", $"Account {account.AccountNumber} is closed.");
        if (account.BrokerId == BrokerId)
            return Decision.Accept();
        return BrokerId is null
            ? Decision.Accept(new BrokerUnassigned(account.Id, account.BrokerId!, facts.Now))
            : Decision.Accept(new BrokerAssigned(account.Id, BrokerId, account.BrokerId, facts.Now));
    }
}

/// <summary>A broker asks the desk to call the customer of an account in their book.</summary>
public sealed record RequestCallback(Guid AccountId, Guid RequestId, string BrokerId, string Note) : IAccountCommand
{
    public Guid AnswerId => RequestId;

    public Decision Decide(Account account, Facts facts)
    {
        if (account.BrokerId != BrokerId)
            return Decision.Reject("not-in-book", $"Account {account.AccountNumber} is not in your book.");
        if (string.IsNullOrWhiteSpace(Note) || Note.Length > 1000)
            return Decision.Reject("note-invalid", "'note' is 1 to 1000 characters.", "note");
        return account.OpenCallbacks.Count >= 10
            ? Decision.Reject("too-many-callbacks", "Ten calls are already asked for on this account; the desk answers them first.")
            : Decision.Accept(new CallbackRequested(account.Id, RequestId, BrokerId, Note.Trim(), facts.Now));
    }
}

/// <summary>The desk records a call a broker asked for as made.</summary>
public sealed record CompleteCallback(Guid AccountId, Guid RequestId, string Outcome) : IAccountCommand
{
    public Guid AnswerId => RequestId;

    public Decision Decide(Account account, Facts facts)
    {
        if (account.OpenCallbacks.All(c => c.RequestId != RequestId))
            return Decision.Reject(new Rejection("callback-not-open", $"No open call request {RequestId} on this account.", IsConflict: true, Reference: RequestId));
        return string.IsNullOrWhiteSpace(Outcome) || Outcome.Length > 1000
            ? Decision.Reject("outcome-invalid", "'outcome' is 1 to 1000 characters.", "outcome")
            : Decision.Accept(new CallbackCompleted(account.Id, RequestId, Outcome.Trim(), facts.Now));
    }
}
