namespace Ledger.ProcessorStandIn.Paying;

/// <summary>A card typed on the page, reduced to what may be kept (<see cref="CardDetails"/>) and what the network answers.</summary>
public sealed record PresentedCard(CardDetails Details, CardOutcome Outcome);
