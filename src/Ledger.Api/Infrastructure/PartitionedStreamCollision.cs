using JasperFx.Core.Exceptions;
using Marten.Exceptions;
using Npgsql;

namespace Ledger.Api.Infrastructure;

/// <summary>
/// Two writers starting the same stream: Marten reports it as <see cref="ExistingStreamIdCollisionException"/> (which
/// the write path retries, and bank imports and side streams rely on) only when the unique violation names the table
/// <c>mt_streams</c> or <c>mt_streams_identity</c>. With archived-stream partitioning the new stream's row goes first
/// into the partition <c>mt_streams_default</c>, and PostgreSQL names that table instead, so the collision surfaced as a
/// bare database error (a 503). This maps it the way Marten maps the unpartitioned one. The stream's id is read from
/// the error's detail when the server sent it.
/// </summary>
internal sealed class PartitionedStreamCollision : IExceptionTransform
{
    public bool TryTransform(Exception original, out Exception transformed)
    {
        var postgres = original as PostgresException ?? original.InnerException as PostgresException;
        if (postgres is { SqlState: PostgresErrorCodes.UniqueViolation, TableName: { } table } && table.StartsWith("mt_streams_", StringComparison.Ordinal)
            && table != "mt_streams_identity")
        {
            transformed = new ExistingStreamIdCollisionException(StreamId(postgres.Detail) ?? (object)"(unknown)", typeof(object));
            return true;
        }
        transformed = original;
        return false;
    }

    /// <summary>"Key (id, is_archived)=(786ada93-…, f) already exists." when error details are included.</summary>
    private static Guid? StreamId(string? detail)
    {
        var start = detail?.IndexOf("=(", StringComparison.Ordinal) ?? -1;
        return start >= 0 && Guid.TryParse(detail.AsSpan(start + 2, Math.Min(36, detail!.Length - start - 2)), out var id) ? id : null;
    }
}
