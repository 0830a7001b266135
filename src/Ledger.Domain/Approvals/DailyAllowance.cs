namespace Ledger.Domain.Approvals;

/// <summary>
/// What one user credited alone on one calendar day (UTC), across all accounts. It is its own stream so the
/// daily limit holds when that user's requests race on different accounts: the account event and the usage
/// are appended in one transaction, and the stream's version check serializes the racers.
/// </summary>
public sealed record CreditAllowanceUsed(string UserId, DateOnly Day, decimal Amount, Guid AccountId, Guid EntryId);

/// <summary>
/// A draw given back because the credit it was drawn for was not recorded after all. Only a ledger on several databases
/// records it: there the allowance (in the main database) is committed before the account's events (in their own), and
/// when the second commit fails the first is undone by this event. A crash between the two leaves the draw standing — the
/// user may credit less that day, never more.
/// </summary>
public sealed record CreditAllowanceReturned(string UserId, DateOnly Day, decimal Amount, Guid AccountId, Guid EntryId);

public sealed record DailyAllowance(Guid Id, string UserId, DateOnly Day, decimal Used)
{
    /// <summary>The stream a poster draws on at <paramref name="now"/>: their allowance for that UTC day.</summary>
    public static Guid StreamIdFor(Poster poster, DateTimeOffset now) => StreamIdFor(poster.UserId, DateOnly.FromDateTime(now.UtcDateTime));

    public static CreditAllowanceUsed Use(Poster poster, decimal amount, Guid accountId, Guid entryId, DateTimeOffset now) =>
        new(poster.UserId, DateOnly.FromDateTime(now.UtcDateTime), amount, accountId, entryId);

    /// <summary>Whether a poster in this role has a daily allowance to draw on (customers only ever ask).</summary>
    public static bool Applies(Poster poster) => poster.Role is Poster.Csr or Poster.Manager;

    public static Guid StreamIdFor(string userId, DateOnly day) => DeterministicId.From($"credit-allowance\u001f{userId}\u001f{day:yyyy-MM-dd}");

    public static CreditAllowanceReturned Return(CreditAllowanceUsed used) => new(used.UserId, used.Day, used.Amount, used.AccountId, used.EntryId);

    public static DailyAllowance? Evolve(DailyAllowance? state, object @event) => @event switch
    {
        CreditAllowanceUsed e => state is null ? new DailyAllowance(StreamIdFor(e.UserId, e.Day), e.UserId, e.Day, e.Amount) : state with { Used = state.Used + e.Amount },
        CreditAllowanceReturned e when state is not null => state with { Used = state.Used - e.Amount },
        _ => state,
    };
}
