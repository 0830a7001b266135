using System.Text.RegularExpressions;
using Npgsql;

namespace Ledger.Api.Infrastructure;

/// <summary>
/// Two database roles in production: the owner, which applies schema changes (`migrate`), and the runtime role the
/// service connects as, which may read and write everything it needs but never UPDATE, DELETE or TRUNCATE an event
/// (<c>mt_events</c>) or the bytes of an issued bill (<c>statement_documents</c>). Marten appends with INSERT and moves
/// the stream's version in <c>mt_streams</c> (an UPDATE), projections and the daemon update their own tables, Wolverine
/// its envelopes: those stay writable. Marten's archive, event-skipping and event-replacement features update
/// <c>mt_events</c>; the ledger uses none of them, and they stay with the owner.
/// </summary>
public static partial class DatabaseRoles
{
    /// <summary><c>Ledger:Database:ManageSchema</c>: false when the service runs as the runtime role and `migrate` runs as the owner.</summary>
    public const string ManageSchemaKey = "Ledger:Database:ManageSchema";

    public static readonly string[] AppendOnlyTables = ["mt_events", StatementsTable];

    private const string StatementsTable = "statement_documents";

    /// <summary>Run by the owner after every migration: GRANTs cover only the objects that exist when they run.</summary>
    public static string GrantSql(string runtimeRole)
    {
        if (!RoleName().IsMatch(runtimeRole))
            throw new ArgumentException($"'{runtimeRole}' is not a plain role name (lower-case letters, digits, underscores)", nameof(runtimeRole));
        var schema = MartenSetup.Schema;
        var appendOnly = string.Join(", ", AppendOnlyTables.Select(t => $"{schema}.{t}"));
        return $"""
                grant usage on schema {schema} to {runtimeRole};
                grant select, insert, update, delete on all tables in schema {schema} to {runtimeRole};
                grant usage, select, update on all sequences in schema {schema} to {runtimeRole};
                grant execute on all functions in schema {schema} to {runtimeRole};
                revoke update, delete, truncate on {appendOnly} from {runtimeRole};
                do $$
                declare part text;
                begin
                  -- A partitioned table's partitions are tables of their own, with their own grants (archive partitioning).
                  for part in select i.inhrelid::regclass::text from pg_inherits i
                              where i.inhparent in ({string.Join(", ", AppendOnlyTables.Select(t => $"to_regclass('{schema}.{t}')"))})
                  loop
                    execute format('revoke update, delete, truncate on %s from {runtimeRole}', part);
                  end loop;
                end $$;
                """;
    }

    /// <summary>`migrate [--runtime-role ROLE]`: applies the whole schema (Marten's and Wolverine's) as the role connected, then grants.</summary>
    public static async Task<int> MigrateAsync(WebApplication app, string[] args)
    {
        // Starting the host applies every schema change (ApplyAllDatabaseChangesOnStartup, Wolverine's message storage).
        await app.StartAsync();
        var role = args.SkipWhile(a => a != "--runtime-role").Skip(1).FirstOrDefault();
        if (role is not null)
            // Every database of the ledger (with several, each holds the same schema).
            foreach (var database in app.Services.GetRequiredService<Databases.DatabaseMap>().Databases)
            {
                await using var connection = new NpgsqlConnection(database.ConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(GrantSql(role), connection);
                await command.ExecuteNonQueryAsync();
            }
        await app.StopAsync();
        Console.WriteLine(role is null
            ? "Schema applied."
            : $"Schema applied; {role} may read and write, but not update or delete {string.Join(" or ", AppendOnlyTables)}.");
        return 0;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex RoleName();
}
