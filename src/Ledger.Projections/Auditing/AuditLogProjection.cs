using System.Text.Json;
using JasperFx.Events;
using Ledger.Domain.Approvals;
using Marten;
using Marten.Events.Projections;

namespace Ledger.Projections.Auditing;

/// <summary>One line of the audit trail: an event with who, in which role, through which channel, when, and under which authority.</summary>
public sealed record AuditEntry
{
    public Guid Id { get; init; }
    public long Sequence { get; init; }
    public Guid StreamId { get; init; }
    public long Version { get; init; }
    public string Type { get; init; } = "";
    public DateTimeOffset Timestamp { get; init; }
    public string? Actor { get; init; }
    public string? Role { get; init; }
    public string? Channel { get; init; }
    public string? CorrelationId { get; init; }
    public string? Reason { get; init; }
    public decimal? Amount { get; init; }
    public string? Limit { get; init; }
    public long? PolicyVersion { get; init; }
    public string? OverrideReason { get; init; }
    public string? RequestedBy { get; init; }
    public IReadOnlyList<string>? ApprovedBy { get; init; }
    public string Data { get; init; } = "";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static AuditEntry From(IEvent e)
    {
        var data = JsonSerializer.SerializeToElement(e.Data, e.EventType, Json);
        var authorization = Property(data, "authorization") is { ValueKind: JsonValueKind.Object } a
            ? a.Deserialize<Authorization>(Json)
            : null;
        return new AuditEntry
        {
            Id = e.Id, Sequence = e.Sequence, StreamId = e.StreamId, Version = e.Version, Type = e.EventTypeName, Timestamp = e.Timestamp,
            Actor = EventHeaders.Text(e, EventHeaders.Actor) ?? e.UserName, Role = EventHeaders.Text(e, EventHeaders.Role), Channel = EventHeaders.Text(e, EventHeaders.Channel), CorrelationId = e.CorrelationId,
            Reason = Text(data, "reason") ?? Text(data, "note"), Amount = Property(data, "amount") is { ValueKind: JsonValueKind.Number } n ? n.GetDecimal() : null,
            Limit = authorization?.Limit ?? Text(data, "exceededLimit"), PolicyVersion = authorization?.PolicyVersion ?? Long(data, "policyVersion"),
            OverrideReason = authorization?.OverrideReason, RequestedBy = authorization?.RequestedBy ?? Text(data, "requestedBy"),
            ApprovedBy = authorization?.ApprovedBy ?? (Text(data, "approvedBy") is { } one ? [one] : null),
            Data = data.GetRawText(),
        };
    }

    private static JsonElement? Property(JsonElement data, string name) => data.TryGetProperty(name, out var value) ? value : null;
    private static string? Text(JsonElement data, string name) => Property(data, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
    private static long? Long(JsonElement data, string name) => Property(data, name) is { ValueKind: JsonValueKind.Number } v ? v.GetInt64() : null;
}

/// <summary>
/// Async (Marten's daemon): the trail is read by auditors after the fact, never by a write decision, so it
/// should not add a row to every write's transaction. Its lag is reported by /health/ready and as a metric.
/// </summary>
public sealed partial class AuditLogProjection : EventProjection
{
    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        operations.Store(AuditEntry.From(e));
        return ValueTask.CompletedTask;
    }
}
