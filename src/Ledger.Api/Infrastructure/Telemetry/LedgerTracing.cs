using System.Diagnostics;

namespace Ledger.Api.Infrastructure.Telemetry;

/// <summary>The ledger's own spans (ActivitySource <c>Ledger</c>), for the work no library traces for it.</summary>
public static class LedgerTracing
{
    public const string SourceName = "Ledger";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// Ends, when disposed, the connection spans Marten started under <paramref name="ours"/> for the sessions just opened.
    /// Marten (9.58) swaps a session's traced connection for the untraced one inside it when the session begins its
    /// transaction, and so never ends that span: the statements' spans under it would point at a parent never exported.
    /// </summary>
    public static IDisposable? EndsMartenConnections(Activity? ours)
    {
        if (ours is null)
            return null;
        var opened = new List<Activity>();
        for (var span = Activity.Current; span is not null && span != ours; span = span.Parent)
            if (span.Source.Name == "Marten")
                opened.Add(span);
        return opened.Count == 0 ? null : new Ending(opened);
    }

    private sealed class Ending(List<Activity> spans) : IDisposable
    {
        public void Dispose()
        {
            foreach (var span in spans)
                span.Dispose(); // a span Marten did end stays as it was
        }
    }
}
