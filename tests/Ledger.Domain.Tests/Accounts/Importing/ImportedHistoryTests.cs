using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Importing;
using Ledger.Domain.Approvals;

namespace Ledger.Domain.Tests.Accounts.Importing;

/// <summary>
/// Migrated money was decided in the old system: recorded on its authority, never judged again by today's limits, but
/// still under the posting rules; the same entry imported twice is one entry.
/// </summary>
public class ImportedHistoryTests
{
    private static readonly Poster Importer = new("import", "import");
    private static readonly Account Open = Given.Account(Events.Opened(), Events.Charged(Ids.Charge, 49.90m));

    [Fact]
    public void Given_an_open_account_When_a_payment_is_imported_Then_it_is_confirmed_by_the_import_and_received()
    {
        When.As(Importer, Open, new ImportPayment(Ids.Account, Ids.Payment, 49.90m, PaymentMethod.Card, "  Visa ending 4242 ", "PAY-7")).ThenEvents(
            new PaymentConfirmed(Ids.Account, Ids.Payment, "import", "PAY-7", At.Now),
            new PaymentReceived(Ids.Account, Ids.Payment, 49.90m, PaymentMethod.Card, "Visa ending 4242", null, null, At.Now));
    }

    [Fact]
    public void Given_the_payment_was_imported_before_When_it_is_imported_again_Then_nothing_is_recorded()
    {
        var history = Given.Account(Events.Opened(), Events.PaidByCard(Ids.Payment, 49.90m));
        var entry = Given.Entry(Ids.Payment, Events.PaidByCard(Ids.Payment, 49.90m));

        When.As(Importer, history, new ImportPayment(Ids.Account, Ids.Payment, 49.90m, PaymentMethod.Card, null, "PAY-7"), entry).ThenEvents();
    }

    [Fact]
    public void Given_a_closed_account_When_a_payment_is_imported_Then_it_is_refused_like_any_posting()
    {
        When.As(Importer, Given.Account(Events.Opened(), Events.Closed()), new ImportPayment(Ids.Account, Ids.Payment, 5m, PaymentMethod.Cash, null, "P"))
            .ThenRejected("account-closed");
    }

    [Fact]
    public void Given_a_credit_far_above_any_limit_When_it_is_imported_Then_it_is_issued_on_the_old_systems_authority()
    {
        When.As(Importer, Open, new ImportCredit(Ids.Account, Ids.Credit, 25_000m, "Balance-Brought-Forward", " Credit balance brought forward ")).ThenEvents(
            new CreditIssued(Ids.Account, Ids.Credit, 25_000m, "balance-brought-forward", "Credit balance brought forward", At.Now,
                new Authorization(0, ImportedHistory.Limit)));
    }

    [Fact]
    public void Given_an_amount_with_more_decimals_than_the_currency_When_a_credit_is_imported_Then_it_is_refused()
    {
        When.As(Importer, Open, new ImportCredit(Ids.Account, Ids.Credit, 1.005m, "goodwill", "Rounding")).ThenRejected("amount-too-precise", "amount");
    }
}
