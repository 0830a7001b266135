using System.Collections.Immutable;
using Ledger.Domain.Accounts.Profile;
using Ledger.Domain.Approvals;
using Ledger.Domain.Collections;
using Ledger.Domain.Statements;

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

    /// <summary>When the account was closed (null while it is not).</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>When the closed account was moved to cold storage (<see cref="AccountArchived"/>); it takes no writes after.</summary>
    public DateTimeOffset? ArchivedAt { get; init; }
    public decimal? LastPaymentAmount { get; init; }

    /// <summary>Credits, approvals and requests still waiting for a decision, on the account itself.</summary>
    public ImmutableDictionary<Guid, PendingApproval> PendingApprovals { get; init; } = ImmutableDictionary<Guid, PendingApproval>.Empty;

    /// <summary>Credits of the last 30 days (older ones are dropped as new ones arrive), for the per-account rolling limit.</summary>
    public ImmutableList<RecentCredit> RecentCredits { get; init; } = ImmutableList<RecentCredit>.Empty;

    /// <summary>Money of settled payments that went back to the payer, by reversal id; a chargeback won is reinstated.</summary>
    public ImmutableDictionary<Guid, Reversal> Reversals { get; init; } = ImmutableDictionary<Guid, Reversal>.Empty;

    /// <summary>Payments started but not yet confirmed by the processor or the bank: shown apart, not in the balance.</summary>
    public ImmutableDictionary<Guid, PendingPayment> PendingPayments { get; init; } = ImmutableDictionary<Guid, PendingPayment>.Empty;

    /// <summary>Refunds on their way to the customer, not yet confirmed by the processor or the bank: kept apart from what may still be refunded.</summary>
    public ImmutableDictionary<Guid, PendingRefund> PendingRefunds { get; init; } = ImmutableDictionary<Guid, PendingRefund>.Empty;

    /// <summary>What the ledger owes the customer and is not already on its way back to them.</summary>
    public decimal RefundableCredit => Math.Max(0m, -Balance) - PendingRefunds.Values.Sum(r => r.Amount);

    public decimal CreditedSince(DateTimeOffset since) => RecentCredits.Where(c => c.At > since).Sum(c => c.Amount);

    /// <summary>The closing balance of the last bill (what was billed); <see cref="Balance"/> less this is unbilled activity.</summary>
    public decimal BilledBalance { get; init; }

    public Guid? LastStatementId { get; init; }
    public DateTimeOffset? LastStatementPeriodEnd { get; init; }

    /// <summary>How the customer wants notices (null: never chosen, so none are sent).</summary>
    public ContactPreferences? Contact { get; init; }

    /// <summary>A new address waiting for its owner's confirmation; notices do not go there yet.</summary>
    public PendingEmail? PendingEmail { get; init; }

    /// <summary>The broker whose book the account is in (null: none); brokers read only their book.</summary>
    public string? BrokerId { get; init; }

    /// <summary>Calls brokers asked the desk to make, not made yet.</summary>
    public ImmutableList<OpenCallback> OpenCallbacks { get; init; } = ImmutableList<OpenCallback>.Empty;

    /// <summary>Bills with something due on them, money settled against them, and the dunning steps taken.</summary>
    public CollectionState Collections { get; init; } = CollectionState.None;

    /// <summary>The tamper-evidence hash of the last event (kept by the event store's projection, not by the fold).</summary>
    public string? ChainHash { get; init; }

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
    public static Account? Evolve(Account? state, object @event)
    {
        var next = Fold(state, @event);
        if (next is null)
            return null;
        var collections = next.Collections.When(@event);
        return ReferenceEquals(collections, next.Collections) ? next : next with { Collections = collections };
    }

    private static Account? Fold(Account? state, object @event) => (state, @event) switch
    {
        (null, AccountOpened e) => From(e),
        (null, _) => null,
        (_, ProfileChanged e) => state.When(e),
        (_, ChargePosted e) => state.When(e),
        (_, PaymentReceived e) => state.When(e),
        (_, PaymentInitiated e) => state with { PendingPayments = state.PendingPayments.SetItem(e.PaymentId, PendingPayment.From(e)) },
        (_, PaymentFailed e) => state with { PendingPayments = state.PendingPayments.Remove(e.PaymentId) },
        (_, PaymentReversed e) => state with
        {
            Balance = state.Balance + e.Amount, Reversals = state.Reversals.SetItem(e.ReversalId, new Reversal(e.PaymentId, e.Amount, e.Kind, false)),
        },
        (_, PaymentReinstated e) => state with
        {
            Balance = state.Balance - e.Amount, Reversals = state.Reversals.SetItem(e.ReversalId, state.Reversals[e.ReversalId] with { Reinstated = true }),
        },
        (_, CreditIssued e) => state.When(e),
        (_, EntryCorrected e) => state.When(e),
        (_, CorrectionReversed e) => state.When(e),
        (_, ChargeDisputed e) => state.When(e),
        (_, DisputeResolved e) => state.When(e),
        (_, AccountSuspended e) => state.When(e),
        (_, AccountReactivated e) => state.When(e),
        (_, AccountClosed e) => state.When(e),
        (_, BrokerAssigned e) => state with { BrokerId = e.BrokerId },
        (_, BrokerUnassigned) => state with { BrokerId = null },
        (_, CallbackRequested e) => state with { OpenCallbacks = state.OpenCallbacks.Add(new OpenCallback(e.RequestId, e.BrokerId, e.Note, e.RequestedAt)) },
        (_, CallbackCompleted e) => state with { OpenCallbacks = state.OpenCallbacks.RemoveAll(c => c.RequestId == e.RequestId) },
        (_, AccountCancelled) => state with { Status = AccountStatus.Cancelled },
        (_, AccountReinstated) => state with { Status = AccountStatus.Open },
        (_, AccountArchived e) => state with { ArchivedAt = e.ArchivedAt },
        (_, StatementIssued e) => state with
        {
            BilledBalance = e.Content.ClosingBalance, LastStatementId = e.Content.StatementId, LastStatementPeriodEnd = e.Content.PeriodEnd,
        },
        (_, ContactPreferencesChanged e) => state with { Contact = new ContactPreferences(e.Channel, e.Email) },
        (_, ContactEmailVerificationRequested e) => state with { PendingEmail = new PendingEmail(e.VerificationId, e.Address, e.ExpiresAt) },
        (_, ContactEmailVerified e) => state with
        {
            Contact = new ContactPreferences(state.Contact?.Channel ?? ContactChannel.Email, e.Address), PendingEmail = null,
        },
        (_, ApprovalRequested e) => state.When(e),
        (_, RefundRequested e) => state.PendingApprovals.TryGetValue(e.ApprovalId, out var asked)
            ? state with { PendingApprovals = state.PendingApprovals.SetItem(e.ApprovalId, asked with { Refund = e }) }
            : state,
        (_, PaymentPlanRequested e) => state.PendingApprovals.TryGetValue(e.ApprovalId, out var plan)
            ? state with { PendingApprovals = state.PendingApprovals.SetItem(e.ApprovalId, plan with { Plan = e }) }
            : state,
        (_, RefundIssued e) => state with { PendingRefunds = state.PendingRefunds.SetItem(e.RefundId, PendingRefund.From(e)) },
        (_, RefundSettled e) => state with
        {
            Balance = state.Balance + e.Amount, EntryCount = state.EntryCount + 1, PendingRefunds = state.PendingRefunds.Remove(e.RefundId),
        },
        (_, RefundFailed e) => state with { PendingRefunds = state.PendingRefunds.Remove(e.RefundId) },
        (_, ApprovalGranted e) => state.When(e),
        (_, ApprovalApproved e) => state with { PendingApprovals = state.PendingApprovals.Remove(e.ApprovalId) },
        (_, ApprovalRejected e) => state with { PendingApprovals = state.PendingApprovals.Remove(e.ApprovalId) },
        (_, ApprovalExpired e) => state with { PendingApprovals = state.PendingApprovals.Remove(e.ApprovalId) },
        _ => state,
    };

    public Account When(ProfileChanged e) => this with { HolderName = e.HolderName, Address = e.Address };
    public Account When(ChargePosted e) => this with { Balance = Balance + e.Amount, EntryCount = EntryCount + 1 };

    public Account When(PaymentReceived e) => this with
    {
        Balance = Balance - e.Amount, EntryCount = EntryCount + 1, LastPaymentAt = e.ReceivedAt, LastPaymentAmount = e.Amount,
        PendingPayments = PendingPayments.Remove(e.EntryId),
    };

    public Account When(CreditIssued e) => this with
    {
        Balance = Balance - e.Amount,
        EntryCount = EntryCount + 1,
        RecentCredits = RecentCredits.RemoveAll(c => c.At <= e.IssuedAt.AddDays(-30)).Add(new RecentCredit(e.IssuedAt, e.Amount)),
    };

    public Account When(ApprovalRequested e) => this with { PendingApprovals = PendingApprovals.SetItem(e.ApprovalId, PendingApproval.From(e)) };

    public Account When(ApprovalGranted e) => PendingApprovals.TryGetValue(e.ApprovalId, out var pending)
        ? this with { PendingApprovals = PendingApprovals.SetItem(e.ApprovalId, pending with { ApprovedBy = [.. pending.ApprovedBy, e.ApprovedBy] }) }
        : this;
    public Account When(EntryCorrected e) => this with { Balance = Balance + e.BalanceEffect };
    public Account When(CorrectionReversed e) => this with { Balance = Balance + e.BalanceEffect };
    public Account When(ChargeDisputed e) => this with { OpenDisputes = OpenDisputes + 1 };
    public Account When(DisputeResolved e) => this with { OpenDisputes = OpenDisputes - 1 };
    public Account When(AccountSuspended e) => this with { Status = AccountStatus.Suspended };
    public Account When(AccountReactivated e) => this with { Status = AccountStatus.Open };
    public Account When(AccountClosed e) => this with { Status = AccountStatus.Closed, ClosedAt = e.ClosedAt };
}

public sealed record RecentCredit(DateTimeOffset At, decimal Amount);

public sealed record Reversal(Guid PaymentId, decimal Amount, ReversalKind Kind, bool Reinstated);

public sealed record PendingRefund(decimal Amount, RefundMethod Method, Guid? CardPaymentId, string Reference, DateTimeOffset IssuedAt)
{
    public static PendingRefund From(RefundIssued e) => new(e.Amount, e.Method, e.CardPaymentId, e.Reference, e.IssuedAt);
}

public sealed record PendingPayment(decimal Amount, PaymentMethod Method, string? Reference, string? ProcessorReference, DateTimeOffset InitiatedAt)
{
    public static PendingPayment From(PaymentInitiated e) => new(e.Amount, e.Method, e.Reference, e.ProcessorReference, e.InitiatedAt);
}
