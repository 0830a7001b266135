namespace Ledger.Api.Signing;

/// <summary>
/// Resolves the signing certificate as the service starts: a configured one that cannot be used stops the start here, with
/// what to set, rather than at the first bill; and the log says who signs, or that nobody does.
/// </summary>
internal sealed class SigningAtStartUp(SigningSetup.Resolution signing, ILogger<SigningAtStartUp> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (signing.Error is { } error)
            throw new InvalidOperationException(error);
        log.Log(signing.Signer.IsOn ? LogLevel.Information : LogLevel.Warning, "{Signing}", signing.Note);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
