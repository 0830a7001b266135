using Ledger.Api.Infrastructure.RateLimiting;

namespace Ledger.IntegrationTests.Harness;

/// <summary>
/// The suite hammers the API as few users from one address (50 concurrent writers, races, sign-in after sign-in in the
/// browser tests): production's limits would throttle it. Every test host raises them; the rate-limit tests set their own.
/// </summary>
public static class TestRateLimits
{
    public const int Generous = 1_000_000_000;

    /// <summary>Configuration keys (<c>Ledger:RateLimits:Reads:PermitLimit</c>, ...) and values.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Settings(int permits = Generous) =>
        Enum.GetValues<RateLimitRule>().Select(rule => new KeyValuePair<string, string>(
            $"{RateLimits.Section}:{rule}:PermitLimit", permits.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The same as environment variables, for the API started as a process.</summary>
    public static IEnumerable<KeyValuePair<string, string>> EnvironmentVariables() =>
        Settings().Select(s => new KeyValuePair<string, string>(s.Key.Replace(":", "__", StringComparison.Ordinal), s.Value));
}
