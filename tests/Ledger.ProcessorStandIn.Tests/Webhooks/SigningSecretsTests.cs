using System.Text.RegularExpressions;
using Ledger.ProcessorStandIn.Tests.Harness;
using Stripe;

namespace Ledger.ProcessorStandIn.Tests.Webhooks;

public sealed class SigningSecretsTests
{
    [Fact]
    public async Task Given_an_endpoint_without_a_secret_Then_the_one_generated_is_logged_once_and_is_the_one_deliveries_are_signed_with()
    {
        await using var standIn = await StandInHost.StartAsync(options => options.Webhooks[0].Secret = null);
        var session = await standIn.CreateSessionAsync("pay-80");

        await standIn.PayAsync(session, "4242424242424242");

        var announced = standIn.Logs.Lines.Select(line => Regex.Match(line, "signing with (whsec_[A-Za-z0-9]+)"))
            .Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct().ToList();
        announced.Should().ContainSingle();
        var delivery = await Eventually.Find(() => standIn.Receiver.Accepted.FirstOrDefault(), "a delivery");
        var construct = () => EventUtility.ConstructEvent(delivery.Payload, delivery.Signature, announced[0]);
        construct.Should().NotThrow();
    }
}
