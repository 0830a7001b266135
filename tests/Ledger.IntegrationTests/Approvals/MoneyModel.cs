namespace Ledger.IntegrationTests.Approvals;

/// <summary>What a command should get, as the model sees it: applied ("ok"), sent for approval with the limit it went over, or refused by a rule.</summary>
public sealed record Expected(string Outcome, string? Rule = null)
{
    public static readonly Expected Ok = new("ok");
    public static Expected Pending(string limit) => new("pending", limit);
    public static Expected Refused(string rule) => new("refused", rule);

    /// <summary>A payment that has to clear: 202, waiting for the processor or the bank.</summary>
    public static readonly Expected Clearing = new("clearing");
    public override string ToString() => Rule is null ? Outcome : $"{Outcome} {Rule}";
}

public sealed record RoleLimitsModel(decimal SingleCredit, decimal SingleCorrection, decimal Daily, decimal Account30);

public sealed record PolicyModel(RoleLimitsModel Csr, RoleLimitsModel Manager, decimal SecondAbove, int ExpiryHours)
{
    public static readonly PolicyModel Default = new(new(100m, 250m, 500m, 300m), new(1_000m, 2_500m, 10_000m, 3_000m), 5_000m, 72);
    public RoleLimitsModel For(string role) => role == "csr" ? Csr : Manager;

    public object Body(string reason) => new
    {
        limits = new
        {
            csr = new { maxSingleCredit = Csr.SingleCredit, maxSingleCorrection = Csr.SingleCorrection, dailyCreditTotal = Csr.Daily, accountCreditTotal30Days = Csr.Account30 },
            manager = new
            {
                maxSingleCredit = Manager.SingleCredit, maxSingleCorrection = Manager.SingleCorrection, dailyCreditTotal = Manager.Daily,
                accountCreditTotal30Days = Manager.Account30,
            },
            secondApprovalAbove = SecondAbove, approvalExpiryHours = ExpiryHours,
        },
        reason,
    };
}

public enum EntryKindModel { Charge, Payment, Credit }

public sealed class EntryModel(Guid id, EntryKindModel kind, decimal amount)
{
    public Guid Id { get; } = id;
    public EntryKindModel Kind { get; } = kind;
    public decimal Remaining { get; set; } = amount;
    public Guid? OpenDispute { get; set; }
}

public sealed record CorrectionModel(Guid Id, Guid EntryId, decimal Amount)
{
    public bool Reversed { get; set; }
}

public sealed record RequestModel(Guid Id, bool IsCredit, decimal Amount, Guid? EntryId, string RequestedBy, string RequestedRole, int Required,
    DateTimeOffset ExpiresAt)
{
    public List<string> ApprovedBy { get; } = [];
}

/// <summary>
/// A small, independent model of one account's money and of the limits rules: balances, line items and what is left
/// of them, credits in the last 30 days, pending requests, and each user's credits per UTC day. It predicts the outcome
/// of every command from the rules as the README states them, then follows what the service did.
/// </summary>
public sealed class AccountModel(Guid id, string customerId)
{
    public Guid Id { get; } = id;
    public string CustomerId { get; } = customerId;
    public decimal Balance { get; set; }
    public Dictionary<Guid, EntryModel> Entries { get; } = [];
    public List<(DateTimeOffset At, decimal Amount)> Credits { get; } = [];
    public Dictionary<Guid, RequestModel> Pending { get; } = [];
    public Dictionary<Guid, CorrectionModel> Corrections { get; } = [];

    /// <summary>Payments started and not yet settled or failed, with the hosted page of a customer's card.</summary>
    public Dictionary<Guid, (decimal Amount, string? PageUrl)> PendingPayments { get; } = [];

    /// <summary>Refunds on their way to the customer, with the reference their transfer carries.</summary>
    public Dictionary<Guid, (decimal Amount, string Reference)> PendingRefunds { get; } = [];

    /// <summary>What the ledger owes the customer and is not already on its way back.</summary>
    public decimal RefundableCredit => Math.Max(0m, -Balance) - PendingRefunds.Values.Sum(r => r.Amount);

    /// <summary>Checks and transfers the bank's statement settled, with the reference the payer quoted: the bank may still return them.</summary>
    public Dictionary<Guid, string> SettledByBank { get; } = [];

    public decimal CreditedSince(DateTimeOffset since) => Credits.Where(c => c.At > since).Sum(c => c.Amount);
}

public sealed class MoneyModel
{
    /// <summary>Payments: Payments:PrepaymentAllowance, the default.</summary>
    public const decimal PrepaymentAllowance = 500m;

    public PolicyModel Policy { get; set; } = PolicyModel.Default;

    /// <summary>
    /// A payment: the desk's cash and terminal card settle now; a customer's card, transfer or check and the desk's check
    /// or transfer clear later; a customer pays cash only at the desk, and at most what is owed after pending payments
    /// plus the allowance.
    /// </summary>
    public static Expected Payment(AccountModel account, bool byCustomer, string method, decimal amount)
    {
        if (byCustomer && method == "cash")
            return Expected.Refused("cash-only-at-desk");
        if (byCustomer && account.PendingPayments.Count >= 10)
            return Expected.Refused("too-many-pending-payments");
        if (byCustomer && amount > Math.Max(0m, account.Balance - account.PendingPayments.Values.Sum(p => p.Amount)) + PrepaymentAllowance)
            return Expected.Refused("payment-above-amount-due");
        return !byCustomer && method is "cash" or "card" ? Expected.Ok : Expected.Clearing;
    }
    public Dictionary<(string User, DateOnly Day), decimal> Used { get; } = [];

    public decimal UsedToday(string user, DateTimeOffset now) => Used.GetValueOrDefault((user, DateOnly.FromDateTime(now.UtcDateTime)));

    public void Draw(string user, DateTimeOffset now, decimal amount) =>
        Used[(user, DateOnly.FromDateTime(now.UtcDateTime))] = UsedToday(user, now) + amount;

    /// <summary>The first limit of <paramref name="role"/> a credit would break, measured against <paramref name="user"/>'s day.</summary>
    public string? CreditLimit(AccountModel account, string user, string role, decimal amount, DateTimeOffset now)
    {
        if (amount > Policy.SecondAbove)
            return "second-approval-above";
        var own = Policy.For(role);
        if (amount > own.SingleCredit) return $"{role}.max-single-credit";
        if (UsedToday(user, now) + amount > own.Daily) return $"{role}.daily-credit-total";
        return account.CreditedSince(now.AddDays(-30)) + amount > own.Account30 ? $"{role}.account-credit-total-30-days" : null;
    }

    public Expected Credit(AccountModel account, string user, string role, decimal amount, bool overrideReason, DateTimeOffset now)
    {
        if (role == "customer")
            return Duplicate(account, user, true, amount, null, now) ?? Expected.Pending("self-service-request");
        if (CreditLimit(account, user, role, amount, now) is { } exceeded)
            return Duplicate(account, user, true, amount, null, now) ?? Expected.Pending(exceeded);
        return role == "manager" && !overrideReason && CreditLimit(account, user, "csr", amount, now) is not null
            ? Expected.Refused("override-reason-required")
            : Expected.Ok;
    }

    public Expected Correction(AccountModel account, string user, string role, EntryModel entry, decimal amount, bool overrideReason, DateTimeOffset now)
    {
        if (amount > entry.Remaining)
            return Expected.Refused("correction-exceeds-remaining");
        var exceeded = amount > Policy.SecondAbove ? "second-approval-above"
            : amount > Policy.For(role).SingleCorrection ? $"{role}.max-single-correction" : null;
        if (exceeded is not null)
            return Duplicate(account, user, false, amount, entry.Id, now) ?? Expected.Pending(exceeded);
        return role == "manager" && !overrideReason && amount > Policy.Csr.SingleCorrection ? Expected.Refused("override-reason-required") : Expected.Ok;
    }

    public Expected Decide(AccountModel account, RequestModel request, string decider, string role, bool approve, DateTimeOffset now)
    {
        // A CSR sees only their own requests and customers' in the queue; anyone else's is not there for them.
        if (role == "csr" && request.RequestedBy != decider && request.RequestedRole != "customer")
            return Expected.Refused("not-found");
        if (!account.Pending.ContainsKey(request.Id))
            return Expected.Refused("approval-not-pending");
        if (now >= request.ExpiresAt)
            return Expected.Refused("approval-expired");
        if (decider == request.RequestedBy || request.ApprovedBy.Contains(decider))
            return Expected.Refused("four-eyes");
        var csrMay = role == "csr" && request.RequestedRole == "customer" && request.Required == 1
            && request.Amount <= (request.IsCredit ? Policy.Csr.SingleCredit : Policy.Csr.SingleCorrection);
        if (role != "manager" && !csrMay)
            return Expected.Refused("approver-lacks-authority");
        if (!approve || request.ApprovedBy.Count + 1 < request.Required)
            return Expected.Ok;
        if (!request.IsCredit)
            return account.Entries[request.EntryId!.Value].Remaining < request.Amount ? Expected.Refused("correction-exceeds-remaining") : Expected.Ok;
        return role == "csr" && CreditLimit(account, decider, "csr", request.Amount, now) is { } exceeded ? Expected.Refused(exceeded) : Expected.Ok;
    }

    private static Expected? Duplicate(AccountModel account, string user, bool isCredit, decimal amount, Guid? entryId, DateTimeOffset now) =>
        account.Pending.Values.Any(p => p.RequestedBy == user && p.IsCredit == isCredit && p.Amount == amount && p.EntryId == entryId && now < p.ExpiresAt)
            ? Expected.Refused("duplicate-pending-request")
            : null;
}
