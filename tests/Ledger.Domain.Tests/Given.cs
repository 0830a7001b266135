using Ledger.Domain.Accounts;
using Ledger.Domain.Approvals;
using Ledger.Domain.Policies;
using AccountState = Ledger.Domain.Accounts.Account;
using EntryState = Ledger.Domain.Accounts.Entry;

namespace Ledger.Domain.Tests;

/// <summary>Builds the Given state the way the event store does: by folding past events, never by setting properties.</summary>
public static class Given
{
    public static AccountState Account(params object[] history) =>
        history.Aggregate((AccountState?)null, AccountState.Evolve)
        ?? throw new InvalidOperationException("The history does not open an account.");

    /// <summary>The entry <paramref name="entryId"/> as the account's history left it (other entries' events are skipped).</summary>
    public static EntryState Entry(Guid entryId, params object[] history) =>
        history.OfType<IEntryEvent>().Where(e => e.EntryId == entryId).Aggregate((EntryState?)null, (s, e) => EntryState.Evolve(s, e))
        ?? throw new InvalidOperationException($"The history has no entry {entryId}.");

    public static PolicyState Policy(params PolicyChanged[] history) =>
        history.Aggregate((PolicyState?)null, (s, e) => PolicyState.Evolve(s, e))
        ?? throw new InvalidOperationException("The history sets no policy.");

    public static DailyAllowance Allowance(params CreditAllowanceUsed[] history) =>
        history.Aggregate((DailyAllowance?)null, (s, e) => DailyAllowance.Evolve(s, e))
        ?? throw new InvalidOperationException("The history uses no allowance.");
}
