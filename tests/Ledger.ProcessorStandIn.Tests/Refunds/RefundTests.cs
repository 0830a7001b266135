using System.Net;
using Ledger.ProcessorStandIn.Tests.Harness;
using Stripe;

namespace Ledger.ProcessorStandIn.Tests.Refunds;

public sealed class RefundTests : StandInTest
{
    private async Task<string> PaidIntentAsync()
    {
        var session = await StandIn.CreateSessionAsync("pay-70");
        await StandIn.PayAsync(session, "4242424242424242");
        return (await new Stripe.Checkout.SessionService(StandIn.Client).GetAsync(session.Id)).PaymentIntentId;
    }

    [Fact]
    public async Task Given_a_paid_42_50_When_10_00_and_then_the_rest_are_refunded_Then_both_succeed_and_a_third_is_refused()
    {
        var intentId = await PaidIntentAsync();
        var refunds = new RefundService(StandIn.Client);

        var part = await refunds.CreateAsync(new RefundCreateOptions
        {
            PaymentIntent = intentId,
            Amount = 1000,
            Metadata = new Dictionary<string, string> { ["ledger_refund_id"] = "ref-1" },
        });
        var rest = await refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = intentId });
        var third = () => refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = intentId, Amount = 1 });

        part.Id.Should().StartWith("re_");
        part.Status.Should().Be("succeeded");
        part.Amount.Should().Be(1000);
        part.Metadata["ledger_refund_id"].Should().Be("ref-1");
        part.PaymentIntentId.Should().Be(intentId);
        rest.Amount.Should().Be(3250);
        (await third.Should().ThrowAsync<StripeException>()).Which.StripeError.Code.Should().Be("charge_already_refunded");
    }

    [Fact]
    public async Task Given_a_paid_42_50_When_42_51_is_refunded_Then_Stripe_shaped_400_on_amount()
    {
        var intentId = await PaidIntentAsync();

        var refund = () => new RefundService(StandIn.Client).CreateAsync(new RefundCreateOptions { PaymentIntent = intentId, Amount = 4251 });

        var refused = (await refund.Should().ThrowAsync<StripeException>()).Which;
        refused.HttpStatusCode.Should().Be(HttpStatusCode.BadRequest);
        refused.StripeError.Type.Should().Be("invalid_request_error");
        refused.StripeError.Param.Should().Be("amount");
        refused.StripeError.Message.Should().Contain("greater than unrefunded amount");
    }

    [Fact]
    public async Task Given_a_refund_Then_charge_refunded_reports_the_amount_refunded_so_far()
    {
        var intentId = await PaidIntentAsync();

        await new RefundService(StandIn.Client).CreateAsync(new RefundCreateOptions { PaymentIntent = intentId, Amount = 250 });

        var refunded = await StandIn.DeliveredAsync(EventTypes.ChargeRefunded);
        var charge = refunded.Data.Object.Should().BeOfType<Charge>().Which;
        charge.PaymentIntentId.Should().Be(intentId);
        charge.AmountRefunded.Should().Be(250);
        charge.Refunded.Should().BeFalse("only part of it is refunded");
        refunded.Request.Id.Should().StartWith("req_");
        (await StandIn.DeliveredAsync(EventTypes.RefundCreated)).Data.Object.Should().BeOfType<Refund>().Which.Amount.Should().Be(250);
    }

    [Fact]
    public async Task Given_a_refund_sent_twice_with_one_Idempotency_Key_Then_the_money_goes_back_once()
    {
        var intentId = await PaidIntentAsync();
        var refunds = new RefundService(StandIn.Client);
        var options = new RefundCreateOptions { PaymentIntent = intentId, Amount = 3000 };
        var key = new RequestOptions { IdempotencyKey = "ledger-refund-9" };

        var first = await refunds.CreateAsync(options, key);
        var second = await refunds.CreateAsync(options, key);

        second.Id.Should().Be(first.Id);
        StandIn.State.Read(records => records.Charges.Values.Single().AmountRefunded).Should().Be(3000);
    }

    [Fact]
    public async Task Given_an_unknown_PaymentIntent_When_refunded_Then_404_resource_missing()
    {
        var refund = () => new RefundService(StandIn.Client).CreateAsync(new RefundCreateOptions { PaymentIntent = "pi_nothere" });

        var refused = (await refund.Should().ThrowAsync<StripeException>()).Which;
        refused.HttpStatusCode.Should().Be(HttpStatusCode.NotFound);
        refused.StripeError.Code.Should().Be("resource_missing");
    }

    [Fact]
    public async Task Given_a_declined_payment_When_refunded_Then_refused_for_want_of_a_successful_charge()
    {
        var session = await StandIn.CreateSessionAsync("pay-71");
        await StandIn.PayAsync(session, "4000000000000002");
        var failed = await StandIn.DeliveredAsync(EventTypes.PaymentIntentPaymentFailed);

        var refund = () => new RefundService(StandIn.Client).CreateAsync(new RefundCreateOptions { PaymentIntent = ((PaymentIntent)failed.Data.Object).Id });

        (await refund.Should().ThrowAsync<StripeException>()).Which.HttpStatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
