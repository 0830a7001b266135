namespace Ledger.ProcessorStandIn.Tests.Harness;

/// <summary>A webhook request as the receiver got it: the raw body, its Stripe-Signature header, and what it answered.</summary>
public sealed record ReceivedWebhook(string Payload, string Signature, int AnsweredWith);
