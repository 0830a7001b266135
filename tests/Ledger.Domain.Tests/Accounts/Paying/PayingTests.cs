using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Paying;

namespace Ledger.Domain.Tests.Accounts.Paying;

public class PayingTests
{
    private static readonly ReceivePayment ByCard = new(Ids.Account, Ids.Payment, 120m, PaymentMethod.Card, null, " Visa ", "4242");
    private static readonly ReceivePayment ByCheck = new(Ids.Account, Ids.Payment, 120m, PaymentMethod.Check, " CHK-0042 ", null, null);

    private static readonly Account OpenAccount = Given.Account(Events.Opened(), Events.Charged(Ids.Charge, 120m));

    [Fact]
    public void Given_open_account_When_card_payment_with_brand_and_last_four_Then_payment_received_without_reference()
    {
        When.Pay(OpenAccount, ByCard).ThenEvents(
            new PaymentReceived(Ids.Account, Ids.Payment, 120m, PaymentMethod.Card, null, "Visa", "4242", At.Now));
    }

    [Fact]
    public void Given_open_account_When_check_payment_Then_payment_received_with_trimmed_reference_and_no_card_details()
    {
        When.Pay(OpenAccount, ByCheck).ThenEvents(
            new PaymentReceived(Ids.Account, Ids.Payment, 120m, PaymentMethod.Check, "CHK-0042", null, null, At.Now));
    }

    [Fact]
    public void Given_open_account_When_transfer_without_reference_Then_payment_received()
    {
        When.Pay(OpenAccount, ByCheck with { Method = PaymentMethod.Transfer, Reference = null }).ThenEvents(
            new PaymentReceived(Ids.Account, Ids.Payment, 120m, PaymentMethod.Transfer, null, null, null, At.Now));
    }

    [Fact]
    public void Given_suspended_account_When_payment_Then_payment_received()
    {
        var account = Given.Account(Events.Opened(), Events.Charged(Ids.Charge, 120m), Events.Suspended());

        When.Pay(account, ByCheck).ThenEvents(
            new PaymentReceived(Ids.Account, Ids.Payment, 120m, PaymentMethod.Check, "CHK-0042", null, null, At.Now));
    }

    [Fact]
    public void Given_closed_account_When_payment_Then_rejected_account_closed()
    {
        When.Pay(Given.Account(Events.Opened(), Events.Closed()), ByCard).ThenRejected("account-closed");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Given_open_account_When_card_payment_without_brand_Then_rejected_card_brand_required(string? brand)
    {
        When.Pay(OpenAccount, ByCard with { CardBrand = brand }).ThenRejected("card-brand-required", "cardBrand");
    }

    [Fact]
    public void Given_open_account_When_card_brand_over_30_characters_Then_rejected_card_brand_required()
    {
        When.Pay(OpenAccount, ByCard with { CardBrand = new string('V', 31) }).ThenRejected("card-brand-required", "cardBrand");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("424")]
    [InlineData("42424")]
    [InlineData("42a2")]
    [InlineData("42 2")]
    [InlineData("４２４２")]
    [InlineData("4111111111111111")]
    public void Given_open_account_When_card_payment_without_exactly_four_digits_Then_rejected_card_last4_invalid(string? last4)
    {
        When.Pay(OpenAccount, ByCard with { CardLast4 = last4 }).ThenRejected("card-last4-invalid", "cardLast4");
    }

    [Theory]
    [InlineData(PaymentMethod.Check, "Visa", "4242")]
    [InlineData(PaymentMethod.Check, "Visa", null)]
    [InlineData(PaymentMethod.Check, null, "4242")]
    [InlineData(PaymentMethod.Transfer, "Visa", "4242")]
    [InlineData(PaymentMethod.Transfer, "", null)]
    public void Given_open_account_When_non_card_payment_carries_card_details_Then_rejected_card_details_only_for_cards(
        PaymentMethod method, string? brand, string? last4)
    {
        When.Pay(OpenAccount, ByCheck with { Method = method, CardBrand = brand, CardLast4 = last4 })
            .ThenRejected("card-details-only-for-cards", "cardBrand");
    }

    [Fact]
    public void Given_open_account_When_reference_over_100_characters_Then_rejected_too_long()
    {
        When.Pay(OpenAccount, ByCheck with { Reference = new string('r', 101) }).ThenRejected("too-long", "reference");
    }

    [Theory]
    [InlineData("0", "amount-must-be-positive")]
    [InlineData("-120", "amount-must-be-positive")]
    [InlineData("120.001", "amount-too-precise")]
    [InlineData("1000000.01", "amount-over-ceiling")]
    public void Given_open_account_When_payment_amount_breaks_an_amount_rule_Then_rejected_with_that_rule(string amount, string rule)
    {
        When.Pay(OpenAccount, ByCard with { Amount = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture) })
            .ThenRejected(rule, "amount");
    }

    [Fact]
    public void Given_customer_When_recording_cash_Then_refused_cash_is_taken_at_the_desk()
    {
        When.As(Posters.Customer, OpenAccount, ByCheck with { Method = PaymentMethod.Cash, Reference = null })
            .ThenRejected("cash-only-at-desk", "method");
    }

    [Fact]
    public void Given_desk_When_recording_cash_Then_payment_received()
    {
        When.As(Posters.Csr, OpenAccount, ByCheck with { Method = PaymentMethod.Cash, Reference = null }).ThenEvents(
            new PaymentReceived(Ids.Account, Ids.Payment, 120m, PaymentMethod.Cash, null, null, null, At.Now));
    }
}
