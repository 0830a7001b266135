using Ledger.Domain.Accounts.Crediting;
using Ledger.Domain.Approvals;

namespace Ledger.Domain.Accounts.Importing;

/// <summary>
/// History migrated from the system the ledger replaces. A charge migrates as a charge (<c>PostCharge</c>, no
/// authority needed); money that was received or credited there was decided there, so it is recorded on that system's
/// authority rather than judged again by today's limits: a payment as received and confirmed by the import, a credit
/// authorised by <see cref="Limit"/>. The posting rules still hold (an open account, a positive amount within the
/// ceiling, the account's currency), and the same entry imported again changes nothing.
/// </summary>
public static class ImportedHistory
{
    /// <summary>The confirmation source of an imported payment and the authorisation of an imported credit.</summary>
    public const string Limit = "imported";
    public const string Source = "import";
}

/// <summary>A payment the old system had received and settled.</summary>
public sealed record ImportPayment(Guid AccountId, Guid EntryId, decimal Amount, PaymentMethod Method, string? Reference, string LegacyId) : IAccountCommand
{
    public Guid AnswerId => EntryId;

    public Reads ReadsFor(Poster poster) => Reads.Entry;

    public Guid? EntryToRead(Account account) => EntryId;

    public Decision Decide(Account account, Facts facts)
    {
        if (facts.Entry is not null)
            return Decision.Accept(); // imported before
        var rejection = Guards.AcceptsPostings(account) ?? Guards.Amount(account, Amount, facts.Ceiling);
        if (rejection is not null)
            return Decision.Reject(rejection);
        var reference = string.IsNullOrWhiteSpace(Reference) ? null : Reference.Trim()[..Math.Min(Reference.Trim().Length, 100)];
        return Decision.Accept(
            new PaymentConfirmed(AccountId, EntryId, ImportedHistory.Source, LegacyId, facts.Now),
            new PaymentReceived(AccountId, EntryId, Amount, Method, reference, null, null, facts.Now));
    }
}

/// <summary>A credit the old system had granted (or a credit balance brought forward), on that system's authority.</summary>
public sealed record ImportCredit(Guid AccountId, Guid EntryId, decimal Amount, string ReasonCode, string Reason) : IAccountCommand
{
    public Guid AnswerId => EntryId;

    public Reads ReadsFor(Poster poster) => Reads.Entry;

    public Guid? EntryToRead(Account account) => EntryId;

    public Decision Decide(Account account, Facts facts)
    {
        if (facts.Entry is not null)
            return Decision.Accept();
        var posting = IssueCredit.Decide(account, new IssueCredit(AccountId, EntryId, Amount, ReasonCode, Reason), facts.Ceiling, facts.Now);
        return posting.Events is [CreditIssued credit]
            ? Decision.Accept(credit with { Authorization = new Authorization(0, ImportedHistory.Limit) })
            : posting;
    }
}
