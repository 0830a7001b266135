using System.Diagnostics;
using System.Diagnostics.Metrics;
using Ledger.Api.Accounts.Writing;

namespace Ledger.Api.Infrastructure.Telemetry;

/// <summary>
/// The ledger's own figures on the Meter <c>Ledger</c>: what the write path committed and refused, group-commit batch sizes,
/// webhook deliveries that failed, and the gauges the service reads in the background. Each count is recorded where the
/// thing happened and only once it happened (a write after its transaction committed: a batch that failed and ran again
/// alone is counted once, as it ended).
/// <para>
/// One Meter for the process rather than one per host from <c>IMeterFactory</c>: OpenTelemetry merges same-named
/// instruments of same-named meters into one stream and drops that stream when either meter is disposed, so with two hosts
/// in one process (the integration tests) the survivor's figures would vanish when the other stops.
/// </para>
/// </summary>
public static class LedgerMetrics
{
    public const string MeterName = "Ledger";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Writes = Meter.CreateCounter<long>("ledger.writes", "{write}",
        "Account writes committed, by command kind and outcome (applied, or pending approval)");

    private static readonly Counter<long> Rejections = Meter.CreateCounter<long>("ledger.rejections", "{write}",
        "Account writes refused, by the rule that refused them and the command kind");

    private static readonly Histogram<int> BatchSizes = Meter.CreateHistogram<int>("ledger.group_commit.batch_size", "{write}",
        "Writes committed together in one group-commit transaction", tags: null,
        new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });

    private static readonly Counter<long> WebhookFailures = Meter.CreateCounter<long>("ledger.webhook.failures", "{delivery}",
        "Webhook deliveries that failed, by why (an error status, no answer, the timeout)");

    private static long projectionLag, approvalsPending, outboxDepth, deadLetters;

    static LedgerMetrics()
    {
        Meter.CreateObservableGauge("ledger.projection.lag", () => Interlocked.Read(ref projectionLag), "{event}",
            "Events appended but not yet processed by the slowest async projection");
        Meter.CreateObservableGauge("ledger.approvals.pending", () => Interlocked.Read(ref approvalsPending), "{approval}",
            "Approval requests waiting for a decision");
        // Wolverine's own wolverine-outbox-count says the same on the node that runs its durability agent; this one is on every node.
        Meter.CreateObservableGauge("ledger.outbox.depth", () => Interlocked.Read(ref outboxDepth), "{message}",
            "Messages in Wolverine's durable outbox not yet sent");
        Meter.CreateObservableGauge("ledger.dead_letters", () => Interlocked.Read(ref deadLetters), "{message}",
            "Messages in Wolverine's dead letters, waiting to be replayed or discarded");
    }

    /// <summary>Whether an exporter reads the gauges (none: the queries behind them need not run).</summary>
    public static bool Observed => Writes.Enabled;

    /// <summary>One committed transaction of the write path: its size, and what each of its writes came to.</summary>
    public static void Committed(IReadOnlyList<AccountWrite> batch, IReadOnlyList<CommandOutcome> outcomes)
    {
        BatchSizes.Record(batch.Count);
        if (!Writes.Enabled && !Rejections.Enabled)
            return;
        for (var i = 0; i < batch.Count; i++)
        {
            var kind = batch[i].Command.GetType().Name;
            var outcome = outcomes[i];
            switch (outcome.Kind)
            {
                case OutcomeKind.Applied when outcome.Issued:
                    Writes.Add(1, new TagList { { "kind", kind }, { "outcome", "applied" } });
                    break;
                case OutcomeKind.Pending:
                    Writes.Add(1, new TagList { { "kind", kind }, { "outcome", "pending" } });
                    break;
                case OutcomeKind.Rejected or OutcomeKind.NotFound or OutcomeKind.Stale:
                    Rejections.Add(1, new TagList { { "rule", RuleOf(outcome) }, { "kind", kind } });
                    break;
            }
        }
    }

    public static void WebhookFailed(string failure) => WebhookFailures.Add(1, new KeyValuePair<string, object?>("failure", failure));

    public static void ProjectionLag(long events) => Interlocked.Exchange(ref projectionLag, events);

    public static void Operations(long approvals, long outbox, long deadLettered)
    {
        Interlocked.Exchange(ref approvalsPending, approvals);
        Interlocked.Exchange(ref outboxDepth, outbox);
        Interlocked.Exchange(ref deadLetters, deadLettered);
    }

    private static string RuleOf(CommandOutcome outcome) => outcome.Kind switch
    {
        OutcomeKind.NotFound => "not-found",
        OutcomeKind.Stale => "version-mismatch",
        _ => outcome.Rejection!.Rule,
    };
}
