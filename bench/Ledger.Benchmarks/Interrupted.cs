using System.Runtime.InteropServices;

namespace Ledger.Benchmarks;

/// <summary>
/// SIGTERM or Ctrl+C ends the process without running the run's finally blocks: its API kept serving and its scratch
/// database stayed behind (seen on this shared machine). On either signal this stops every process the bench started
/// and drops the database before the process ends. Nothing is reported then: a partial report would overwrite the
/// day's full one.
/// </summary>
public sealed class Interrupted : IDisposable
{
    private readonly PosixSignalRegistration[] _registrations;
    private int _handled;

    public Interrupted(Func<Task> dropDatabase) =>
        _registrations = [.. new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT }.Select(signal => PosixSignalRegistration.Create(signal, _ =>
        {
            if (Interlocked.Exchange(ref _handled, 1) == 1)
                return;
            Console.Error.WriteLine($"{signal}: stopping the API and dropping the scratch database");
            LedgerProcess.StopAll();
            dropDatabase().GetAwaiter().GetResult();
        }))];

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
    }
}
