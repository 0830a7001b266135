using System.Net;
using System.Net.Sockets;
using JasperFx.Events;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Webhooks;

namespace Ledger.Api.Webhooks;

/// <summary>
/// The event types a subscription may name: the names the audit trail shows (<c>charge_posted</c>) — every account event, and
/// corporate trees' alerts (<c>corporate_budget_alerted</c>, <c>corporate_charge_flagged</c>).
/// </summary>
public static class WebhookEventTypes
{
    public static readonly IReadOnlyDictionary<string, Type> ByName = AccountEventTypes.All.Concat(Domain.Corporate.CorporateAlerts.Outward)
        .ToDictionary(t => t.GetEventTypeName(), StringComparer.Ordinal);

    public static readonly IReadOnlyList<string> Names = ByName.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>The first name that is neither an account event type nor "*", as a refusal naming its place in the list.</summary>
    public static Rejection? Unknown(IReadOnlyList<string> names)
    {
        for (var i = 0; i < names.Count; i++)
            if (names[i] != WebhookSubscription.AllTypes && !ByName.ContainsKey(names[i]))
                return new Rejection("webhook-event-type-unknown",
                    $"'{names[i]}' is not an event type the webhooks carry; GET /api/webhook-subscriptions/event-types lists them (or use \"*\" for all).",
                    $"eventTypes[{i}]");
        return null;
    }
}

/// <summary>
/// Where a webhook may be sent. Receivers are in-house systems, so private networks are fine; this host itself
/// (loopback), link-local addresses (the cloud metadata service at 169.254.169.254 among them) and unspecified or
/// multicast addresses are not — unless <see cref="WebhookOptions.AllowLoopback"/> lets loopback through. The rule
/// holds twice: for the URL when it is registered, and for every address its name resolves to when a delivery
/// connects (so a name that later resolves elsewhere gains nothing).
/// </summary>
public static class WebhookTargets
{
    public const string Rule = "webhook-target-not-allowed";

    public static Rejection? Check(string url, bool allowLoopback)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
            return new Rejection(Rule, "The URL is an absolute http or https URL.", "url");
        if (!string.IsNullOrEmpty(uri.UserInfo))
            return new Rejection(Rule, "The URL carries no user name or password; the signature is how the receiver knows the sender.", "url");
        if (!string.IsNullOrEmpty(uri.Fragment))
            return new Rejection(Rule, "The URL has no fragment (#...): it is never sent to the receiver.", "url");
        var host = uri.IdnHost.TrimEnd('.');
        if (!allowLoopback && (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)))
            return new Rejection(Rule, "The URL points at this host (localhost); webhooks go to other systems.", "url");
        if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && Refusal(address, allowLoopback) is { } why)
            return new Rejection(Rule, $"The URL's address {address} is {why}; webhooks go to other systems.", "url");
        return null;
    }

    /// <summary>Why a delivery may not connect to this address, or null when it may.</summary>
    public static string? Refusal(IPAddress address, bool allowLoopback)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address))
            return allowLoopback ? null : "this host (loopback)";
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            return "unspecified";
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var bytes = address.GetAddressBytes();
            if (bytes[0] == 169 && bytes[1] == 254)
                return "link-local (where cloud metadata services answer)";
            if (bytes[0] == 0)
                return "in 0.0.0.0/8 (this network)";
            if (bytes[0] >= 224)
                return "multicast or reserved";
        }
        else if (address.IsIPv6LinkLocal || address.IsIPv6Multicast || address.IsIPv6SiteLocal)
            return "link-local, site-local or multicast";
        return null;
    }

    /// <summary>The connection of every delivery: resolves the name, drops the addresses the rule refuses, connects to the rest.</summary>
    public static SocketsHttpHandler Handler(WebhookOptions options) => new()
    {
        AllowAutoRedirect = false, // a redirect is an answer (3xx, not delivered), never a way around the rule
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = options.Timeout,
        ConnectCallback = async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
            var allowed = addresses.Where(a => Refusal(a, options.AllowLoopback) is null).ToArray();
            if (allowed.Length == 0)
                throw new HttpRequestException($"{host} resolves only to addresses webhooks may not reach ({string.Join(", ", addresses.Select(a => a.ToString()))}).");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
