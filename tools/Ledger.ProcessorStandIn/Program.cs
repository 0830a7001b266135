namespace Ledger.ProcessorStandIn;

/// <summary>
/// Runs the stand-in on its own: <c>dotnet run --project tools/Ledger.ProcessorStandIn -- --urls http://127.0.0.1:12111
/// --ProcessorStandIn:Webhooks:0:Url=http://localhost:5080/webhooks/stripe</c>. A named class rather than top-level
/// statements, so a test project that also references Ledger.Api sees one global <c>Program</c>, not two.
/// </summary>
public sealed class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddProcessorStandIn();
        var app = builder.Build();
        app.MapProcessorStandIn();
        await app.RunAsync();
    }
}
