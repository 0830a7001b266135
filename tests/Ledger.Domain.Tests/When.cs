using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Charging;
using Ledger.Domain.Accounts.Correcting;
using Ledger.Domain.Accounts.Crediting;
using Ledger.Domain.Accounts.Disputing;
using Ledger.Domain.Accounts.Lifecycle;
using Ledger.Domain.Accounts.Opening;
using Ledger.Domain.Accounts.Paying;
using Ledger.Domain.Accounts.Profile;
using ChargingRules = Ledger.Domain.Accounts.Charging.Charging;
using CorrectingRules = Ledger.Domain.Accounts.Correcting.Correcting;
using CreditingRules = Ledger.Domain.Accounts.Crediting.Crediting;
using DisputingRules = Ledger.Domain.Accounts.Disputing.Disputing;
using OpeningRules = Ledger.Domain.Accounts.Opening.Opening;
using PayingRules = Ledger.Domain.Accounts.Paying.Paying;

namespace Ledger.Domain.Tests;

/// <summary>Runs one command through its pure decision, always at <see cref="At.Now"/> and under <see cref="Ceiling"/>.</summary>
public static class When
{
    /// <summary>The API's default posting ceiling (LedgerOptions.PostingCeiling).</summary>
    public const decimal Ceiling = 1_000_000m;

    public static Decision Open(OpenAccount command) => OpeningRules.Decide(command, At.Now);
    public static Decision Charge(Account account, PostCharge command) => ChargingRules.Decide(account, command, Ceiling, At.Now);
    public static Decision Pay(Account account, ReceivePayment command) => PayingRules.Decide(account, command, Ceiling, At.Now);
    public static Decision Credit(Account account, IssueCredit command) => CreditingRules.Decide(account, command, Ceiling, At.Now);

    public static Decision Correct(Account account, Entry? entry, CorrectEntry command) =>
        CorrectingRules.Decide(account, entry, command, Ceiling, At.Now);

    public static Decision Reverse(Account account, Entry? entry, ReverseCorrection command) =>
        ReversingCorrections.Decide(account, entry, command, At.Now);

    public static Decision Dispute(Account account, Entry? entry, DisputeCharge command) => DisputingRules.Decide(account, entry, command, At.Now);
    public static Decision Resolve(Account account, Entry? entry, ResolveDispute command) => DisputingRules.Decide(account, entry, command, At.Now);
    public static Decision ChangeStatus(Account account, ChangeAccountStatus command) => AccountLifecycle.Decide(account, command, At.Now);
    public static Decision ChangeProfile(Account account, ChangeProfile command) => ProfileChanges.Decide(account, command, At.Now);
}
