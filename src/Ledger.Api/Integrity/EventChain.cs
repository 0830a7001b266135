using System.Security.Cryptography;
using System.Text;
using JasperFx.Events;
using Ledger.Projections;
using Marten;

namespace Ledger.Api.Integrity;

/// <summary>
/// Tamper evidence: every account event carries, in its <see cref="EventHeaders.Chain"/> header, the SHA-256 of the previous event's
/// chain value, its own version, type, data (as Marten serializes it) and who/role/channel. Editing or deleting a
/// row directly in the database breaks the chain from that event on.
/// </summary>
public static class EventChain
{
    public static string Link(IQuerySession session, string? previous, long version, string type, object data, string? actor, string? role, string? channel)
    {
        var json = session.DocumentStore.Options.Serializer().ToJson(data);
        var material = $"{previous}\n{version}\n{type}\n{json}\n{actor}\n{role}\n{channel}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)));
    }
}
