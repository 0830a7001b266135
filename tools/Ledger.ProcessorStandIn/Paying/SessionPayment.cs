using Ledger.ProcessorStandIn.CheckoutSessions;
using Ledger.ProcessorStandIn.Disputes;
using Ledger.ProcessorStandIn.PaymentIntents;
using Ledger.ProcessorStandIn.State;
using Ledger.ProcessorStandIn.Wire;
using EventTypes = Stripe.EventTypes;

namespace Ledger.ProcessorStandIn.Paying;

/// <summary>
/// A customer pays a session with a card. The PaymentIntent is made at the first try (Stripe does the same since
/// 2022-08-01) and reused by later tries; each try is a charge of its own, failed or succeeded.
/// </summary>
public static class SessionPayment
{
    public static PaymentAttempt Pay(ProcessorRecords records, string sessionId, PresentedCard card, long now)
    {
        if (!records.Sessions.TryGetValue(sessionId, out var record) || record.Session.Status != CheckoutSession.Open)
            return new PaymentAttempt.NotPayable(record?.Session);

        var session = record.Session;
        var intent = record.AttemptedPaymentIntentId is { } tried
            ? records.PaymentIntents[tried]
            : new PaymentIntent
            {
                Id = StripeIds.New("pi"),
                Amount = session.AmountTotal,
                Created = now,
                Currency = session.Currency,
                Metadata = record.PaymentIntentMetadata,
                Status = PaymentIntent.RequiresPaymentMethod,
            };
        var outcome = card.Outcome;
        var charge = new Charge
        {
            Id = StripeIds.New("ch"),
            Amount = intent.Amount,
            Created = now,
            Currency = intent.Currency,
            FailureCode = outcome.Declines ? "card_declined" : null,
            FailureMessage = outcome.DeclineMessage,
            Metadata = intent.Metadata,
            PaymentIntent = intent.Id,
            PaymentMethodDetails = new ChargePaymentMethodDetails(card.Details),
            Status = outcome.Declines ? "failed" : "succeeded",
        };

        if (outcome.Declines)
        {
            intent = intent with
            {
                LatestCharge = charge.Id,
                LastPaymentError = new PaymentError("card_declined", outcome.DeclineCode!, outcome.DeclineMessage!, charge.Id),
                Status = PaymentIntent.RequiresPaymentMethod,
            };
            record = record with { AttemptedPaymentIntentId = intent.Id };
            Keep(records, record, intent, charge);
            records.Raise(EventTypes.PaymentIntentPaymentFailed, intent, now, ApiRequest.None);
            return new PaymentAttempt.Declined(record, outcome.DeclineMessage!);
        }

        intent = intent with { AmountReceived = intent.Amount, LatestCharge = charge.Id, LastPaymentError = null, Status = PaymentIntent.Succeeded };
        session = session with { PaymentIntent = intent.Id, PaymentStatus = "paid", Status = CheckoutSession.Complete, Url = null };
        record = record with { Session = session, AttemptedPaymentIntentId = intent.Id };
        Keep(records, record, intent, charge);
        records.Raise(EventTypes.PaymentIntentSucceeded, intent, now, ApiRequest.None);
        records.Raise(EventTypes.CheckoutSessionCompleted, session, now, ApiRequest.None);
        if (outcome.OpensDispute)
            OpenDispute(records, charge, now);
        return new PaymentAttempt.Paid(session);
    }

    private static void Keep(ProcessorRecords records, SessionRecord record, PaymentIntent intent, Charge charge)
    {
        records.Sessions[record.Session.Id] = record;
        records.PaymentIntents[intent.Id] = intent;
        records.Charges[charge.Id] = charge;
    }

    // Stripe's 4000000000000259: the cardholder's bank disputes the charge as fraudulent right after it succeeds.
    private static void OpenDispute(ProcessorRecords records, Charge charge, long now)
    {
        var dispute = new Dispute
        {
            Id = StripeIds.New("dp"),
            Amount = charge.Amount,
            Charge = charge.Id,
            Created = now,
            Currency = charge.Currency,
            PaymentIntent = charge.PaymentIntent,
            Status = Dispute.NeedsResponse,
        };
        records.Disputes[dispute.Id] = dispute;
        records.Charges[charge.Id] = charge with { Disputed = true };
        records.Raise(EventTypes.ChargeDisputeCreated, dispute, now, ApiRequest.None);
    }
}
