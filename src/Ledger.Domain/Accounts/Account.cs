namespace Ledger.Domain.Accounts;

/// <summary>
/// An account as its events left it. Balance sign convention: positive = the customer owes us,
/// negative = we owe the customer (a credit balance).
/// </summary>
public sealed record Account
{
    public Guid Id { get; init; }
    public string AccountNumber { get; init; } = "";
    public string CustomerId { get; init; } = "";
    public string HolderName { get; init; } = "";
    public string Currency { get; init; } = "";
    public int BillingDay { get; init; }
    public Address Address { get; init; } = new("", null, "", "", "");
    public AccountStatus Status { get; init; }
    public decimal Balance { get; init; }
    public int OpenDisputes { get; init; }
    public int EntryCount { get; init; }
    public DateTimeOffset OpenedAt { get; init; }
    public DateTimeOffset? LastPaymentAt { get; init; }
    public decimal? LastPaymentAmount { get; init; }

    /// <summary>Stream version; Marten fills it in when it aggregates or loads the snapshot.</summary>
    public long Version { get; set; }

    public static Account From(AccountOpened e) => new()
    {
        Id = e.AccountId,
        AccountNumber = e.AccountNumber,
        CustomerId = e.CustomerId,
        HolderName = e.HolderName,
        Currency = e.Currency,
        BillingDay = e.BillingDay,
        Address = e.Address,
        Status = AccountStatus.Open,
        OpenedAt = e.OpenedAt,
    };

    /// <summary>The fold in one place, for replaying a list of events without the event store.</summary>
    public static Account? Evolve(Account? state, object @event) => (state, @event) switch
    {
        (null, AccountOpened e) => From(e),
        (null, _) => null,
        (_, ProfileChanged e) => state.When(e),
        (_, ChargePosted e) => state.When(e),
        (_, PaymentReceived e) => state.When(e),
        (_, CreditIssued e) => state.When(e),
        (_, EntryCorrected e) => state.When(e),
        (_, CorrectionReversed e) => state.When(e),
        (_, ChargeDisputed e) => state.When(e),
        (_, DisputeResolved e) => state.When(e),
        (_, AccountSuspended e) => state.When(e),
        (_, AccountReactivated e) => state.When(e),
        (_, AccountClosed e) => state.When(e),
        _ => state,
    };

    public Account When(ProfileChanged e) => this with { HolderName = e.HolderName, Address = e.Address };
    public Account When(ChargePosted e) => this with { Balance = Balance + e.Amount, EntryCount = EntryCount + 1 };

    public Account When(PaymentReceived e) => this with
    {
        Balance = Balance - e.Amount, EntryCount = EntryCount + 1, LastPaymentAt = e.ReceivedAt, LastPaymentAmount = e.Amount,
    };

    public Account When(CreditIssued e) => this with { Balance = Balance - e.Amount, EntryCount = EntryCount + 1 };
    public Account When(EntryCorrected e) => this with { Balance = Balance + e.BalanceEffect };
    public Account When(CorrectionReversed e) => this with { Balance = Balance + e.BalanceEffect };
    public Account When(ChargeDisputed e) => this with { OpenDisputes = OpenDisputes + 1 };
    public Account When(DisputeResolved e) => this with { OpenDisputes = OpenDisputes - 1 };
    public Account When(AccountSuspended e) => this with { Status = AccountStatus.Suspended };
    public Account When(AccountReactivated e) => this with { Status = AccountStatus.Open };
    public Account When(AccountClosed e) => this with { Status = AccountStatus.Closed };
}
