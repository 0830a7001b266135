namespace Ledger.Api.Accounts.Writing;

/// <summary>A Wolverine message that writes to one account's stream on behalf of an HTTP request.</summary>
public interface IAccountMessage
{
    Guid AccountId { get; }
    RequestContext Context { get; }
}
