namespace Ledger.Domain.Accounts;

/// <summary>An event that parks a posting until someone decides it: the write is answered 202 with the request, not 201.</summary>
public interface IAwaitsApproval
{
    Guid ApprovalId { get; }
    string ExceededLimit { get; }
}

/// <summary>An event after which the account is kept as a checkpoint (the account as it stood on an issued bill).</summary>
public interface IKeepsCheckpoint;
