using System.Net;
using Ledger.IntegrationTests.Harness;
using Npgsql;

namespace Ledger.IntegrationTests.Integrity;

/// <summary>
/// The production set-up: an owner role applies the schema (`migrate --runtime-role`), the service runs as a runtime role
/// that appends events but cannot update or delete them. Roles are cluster-wide, so this test's have names of their own.
/// </summary>
public sealed class DatabaseRoleTests
{
    [Fact]
    public async Task Given_the_runtime_role_When_it_updates_deletes_or_truncates_events_Then_PostgreSQL_refuses_while_the_API_still_appends()
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var (owner, runtime) = ($"ledger_test_owner_{suffix}", $"ledger_test_app_{suffix}");
        var database = new ScratchDatabase("roles");
        await database.InitializeAsync();
        try
        {
            // The test's admin role joins both, so dropping the scratch database may end their sessions (`with (force)`
            // terminates only backends of roles one is a member of); autovacuum workers are ScratchDatabase's to wait out.
            await Admin(LedgerApp.AdminConnectionString,
                $"create role {owner} login password 'owner-secret'; create role {runtime} login password 'runtime-secret'; " +
                $"grant {owner}, {runtime} to current_user");
            await Admin(database.ConnectionString,
                $"grant connect, create on database {database.Name} to {owner}; grant connect on database {database.Name} to {runtime}");
            var asOwner = As(database, owner, "owner-secret");
            var asRuntime = As(database, runtime, "runtime-secret");

            var (exitCode, output) = await ApiProcess.RunCommandAsync(asOwner, "migrate", "--runtime-role", runtime);
            exitCode.Should().Be(0, output);
            (await Scalar(asRuntime, "select tableowner from pg_tables where schemaname = 'ledger' and tablename = 'mt_events'")).Should().Be(owner);

            await using (var api = new ApiProcess(asRuntime, new Dictionary<string, string> { ["Ledger__Database__ManageSchema"] = "false" }))
            {
                await api.StartAsync(TimeSpan.FromSeconds(90));
                using var desk = api.ClientFor(TestUser.Csr());
                var accountId = await desk.OpenAccount("cust-roles");
                await desk.Post(accountId, "charges", new { amount = 12m, description = "Gas", category = "energy" });
                (await desk.GetAsync($"/api/accounts/{accountId}")).StatusCode.Should().Be(HttpStatusCode.OK);

                foreach (var attack in new[]
                         {
                             $"update ledger.mt_events set data = data where stream_id = '{accountId}'",
                             $"delete from ledger.mt_events where stream_id = '{accountId}'",
                             "truncate ledger.mt_events",
                             "delete from ledger.statement_documents",
                         })
                {
                    var refused = await FluentActions.Awaiting(() => Scalar(asRuntime, attack)).Should().ThrowAsync<PostgresException>(attack);
                    refused.Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege, attack);
                }
                (await Scalar(asRuntime, $"select count(*)::text from ledger.mt_events where stream_id = '{accountId}'")).Should().Be("2");
            }
        }
        finally
        {
            await database.DisposeAsync();
            await Admin(LedgerApp.AdminConnectionString, $"drop role if exists {runtime}; drop role if exists {owner}");
        }
    }

    [Fact]
    public async Task With_two_databases_migrate_applies_the_schema_and_the_grants_to_both_and_the_runtime_role_cannot_delete_events_in_either()
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var (owner, runtime) = ($"ledger_test_owner_{suffix}", $"ledger_test_app_{suffix}");
        var (main, second) = (new ScratchDatabase("roles_main"), new ScratchDatabase("roles_second"));
        await main.InitializeAsync();
        await second.InitializeAsync();
        try
        {
            await Admin(LedgerApp.AdminConnectionString,
                $"create role {owner} login password 'owner-secret'; create role {runtime} login password 'runtime-secret'; " +
                $"grant {owner}, {runtime} to current_user");
            foreach (var database in new[] { main, second })
                await Admin(database.ConnectionString,
                    $"grant connect, create on database {database.Name} to {owner}; grant connect on database {database.Name} to {runtime}");
            Dictionary<string, string> Map(string role, string password) => new()
            {
                ["Ledger__Databases__0__Name"] = "main",
                ["Ledger__Databases__0__Buckets"] = "0-7",
                ["Ledger__Databases__1__Name"] = "second",
                ["Ledger__Databases__1__ConnectionString"] = As(second, role, password),
                ["Ledger__Databases__1__Buckets"] = "8-15",
            };

            var (exitCode, output) = await ApiProcess.RunCommandAsync(As(main, owner, "owner-secret"), Map(owner, "owner-secret"), "migrate", "--runtime-role", runtime);
            exitCode.Should().Be(0, output);
            foreach (var database in new[] { main, second })
                (await Scalar(As(database, runtime, "runtime-secret"), "select tableowner from pg_tables where schemaname = 'ledger' and tablename = 'mt_events'"))
                    .Should().Be(owner, database.Name);

            var settings = Map(runtime, "runtime-secret");
            settings["Ledger__Database__ManageSchema"] = "false";
            await using var api = new ApiProcess(As(main, runtime, "runtime-secret"), settings);
            await api.StartAsync(TimeSpan.FromSeconds(90));
            using var desk = api.ClientFor(TestUser.Csr());
            var customer = Enumerable.Range(0, 100).Select(i => $"cust-roles2-{i}").First(c => Ledger.Domain.Buckets.OfCustomer(c) >= 8);
            var accountId = await desk.OpenAccount(customer);
            await desk.Post(accountId, "charges", new { amount = 12m, description = "Gas", category = "energy" });
            var inSecond = As(second, runtime, "runtime-secret");
            (await Scalar(inSecond, $"select count(*)::text from ledger.mt_events where stream_id = '{accountId}'")).Should().Be("2");
            var refused = await FluentActions.Awaiting(() => Scalar(inSecond, $"delete from ledger.mt_events where stream_id = '{accountId}'"))
                .Should().ThrowAsync<PostgresException>();
            refused.Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege);
        }
        finally
        {
            await main.DisposeAsync();
            await second.DisposeAsync();
            await Admin(LedgerApp.AdminConnectionString, $"drop role if exists {runtime}; drop role if exists {owner}");
        }
    }

    private static string As(ScratchDatabase database, string role, string password) =>
        new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = password }.ConnectionString;

    private static async Task Admin(string connectionString, string sql) => await Scalar(connectionString, sql);

    private static async Task<string?> Scalar(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString();
    }
}
