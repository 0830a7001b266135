using JasperFx.Events;

namespace Ledger.Projections;

/// <summary>The headers every event carries, named once for the write path, the projections and the integrity check.</summary>
public static class EventHeaders
{
    /// <summary>The user, from the token; never from a request body.</summary>
    public const string Actor = "actor";

    /// <summary>The role the user acted in.</summary>
    public const string Role = "role";

    /// <summary>Through which door: "desk", "self-service", or a system's name.</summary>
    public const string Channel = "channel";

    /// <summary>The event's link in its account's hash chain (Ledger.Api.Integrity.EventChain).</summary>
    public const string Chain = "chain";

    /// <summary>Migrated history: where the fact came from (the import file and line); its business date is the original one.</summary>
    public const string ImportedFrom = "imported_from";

    public static string? Text(IEvent e, string header) => e.Headers?.TryGetValue(header, out var value) == true ? value?.ToString() : null;
}
