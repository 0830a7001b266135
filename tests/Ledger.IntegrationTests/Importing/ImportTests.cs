using System.Text;
using System.Text.Json;
using Ledger.Api.Importing;
using Ledger.Domain;
using Ledger.IntegrationTests.Harness;
using Npgsql;
using Xunit.Abstractions;

namespace Ledger.IntegrationTests.Importing;

/// <summary>
/// `./ledger import` of an existing customer base: both formats, through the write path's rules, at the original dates,
/// marked as migrated; bad lines refused with their numbers while the rest go on; a second run writes nothing.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class ImportTests(LedgerApp app) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ledger-import-").FullName;
    private readonly string _prefix = $"T{Guid.NewGuid():N}"[..12];

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Line(object record) => JsonSerializer.Serialize(record);

    private object Account(string number, string currency = "USD") => new
    {
        record = "account", accountNumber = number, at = "2024-01-05T09:00:00Z", customerId = $"cust-{number}", holderName = "Ada Lovelace",
        currency, billingDay = 5, line1 = "1 Main St", city = "Springfield", postalCode = "12345", country = "US",
    };

    private static Guid AccountId(string number) => DeterministicId.From($"import-account|{number}");

    private async Task<List<(string Type, string? ImportedFrom, string? Channel, string? Actor, string Data)>> Stream(Guid accountId)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select type, headers->>'imported_from', headers->>'channel', headers->>'actor', data::text from ledger.mt_events where stream_id = @id order by version",
            connection);
        command.Parameters.AddWithValue("id", accountId);
        var events = new List<(string, string?, string?, string?, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            events.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4)));
        return events;
    }

    [Fact]
    public async Task A_JSON_Lines_history_lands_at_its_original_dates_marked_as_imported_bad_lines_are_refused_by_number_and_a_rerun_writes_nothing()
    {
        var (one, two, three) = ($"{_prefix}-1", $"{_prefix}-2", $"{_prefix}-3");
        var file = Path.Combine(_directory, "history.jsonl");
        await File.WriteAllLinesAsync(file,
        [
            Line(Account(one)),
            Line(new { record = "opening-balance", accountNumber = one, at = "2024-01-05T09:00:00Z", amount = -12.50m }),
            Line(new { record = "charge", accountNumber = one, id = "INV-1", at = "2024-02-01T00:00:00Z", amount = 40m, description = "Energy, January", category = "energy" }),
            // The payment of 10 February is written after the charge, whatever the file's order.
            Line(new { record = "payment", accountNumber = one, id = "PAY-1", at = "2024-02-10T00:00:00Z", amount = 27.50m, method = "card", reference = "Visa ending 4242" }),
            Line(new { record = "payment", accountNumber = one, id = "PAY-2", at = "2024-02-11T00:00:00Z", amount = 5m, method = "card", reference = "4111 1111 1111 1111" }),
            Line(Account(two, currency: "XXQ")),
            Line(new { record = "charge", accountNumber = two, id = "INV-9", at = "2024-02-01T00:00:00Z", amount = 40m, description = "Energy", category = "energy" }),
            Line(new { record = "charge", accountNumber = three, id = "INV-9", at = "2024-02-01T00:00:00Z", amount = 40m, description = "Energy", category = "energy" }),
            Line(new { record = "charge", accountNumber = one, id = "INV-1", at = "2024-03-01T00:00:00Z", amount = 41m, description = "Energy, again", category = "energy" }),
            "{ this is not json",
            Line(new { record = "refund", accountNumber = one, id = "R-1", at = "2024-03-01T00:00:00Z", amount = 1m }),
            Line(new { record = "credit", accountNumber = one, id = "CR-1", at = "2024-01-20T00:00:00Z", amount = 2.5m, reasonCode = "goodwill", reason = "Late bill" }),
            Line(new { record = "charge", accountNumber = one, id = "INV-0", at = "2023-12-01T00:00:00Z", amount = 9m, description = "Before", category = "energy" }),
            Line(new { record = "charge", accountNumber = one, id = "INV-F", at = "2999-01-01T00:00:00Z", amount = 9m, description = "Future", category = "energy" }),
        ]);

        var report = await ImportCommand.ImportAsync(app.Services, file, parallel: 4, CancellationToken.None);

        report.Refusals.Select(r => (r.Line, r.Rule)).Should().Equal(
            (5, "card-number-not-allowed"), (6, "unknown-currency"), (7, "account-refused"), (8, "unknown-account"), (9, "duplicate-record"),
            (10, "malformed-json"), (11, "invalid-record"), (13, "before-account-opened"), (14, "invalid-record"));
        report.Written.Should().Be(5, "the account, its opening credit, a credit, a charge and a payment");
        var stream = await Stream(AccountId(one));
        stream.Select(e => e.Type).Should().Equal("account_opened", "credit_issued", "credit_issued", "charge_posted", "payment_confirmed", "payment_received");
        stream.Should().AllSatisfy(e =>
        {
            e.Channel.Should().Be("migration");
            e.Actor.Should().Be("import");
            e.ImportedFrom.Should().StartWith("history.jsonl:");
        });
        stream[3].ImportedFrom.Should().Be("history.jsonl:3");
        stream[3].Data.Should().Contain("\"postedAt\": \"2024-02-01T00:00:00+00:00\"", "the charge keeps its original date");
        stream[0].Data.Should().Contain("2024-01-05T09:00:00+00:00");
        using var desk = app.ClientFor(TestUser.Csr());
        (await desk.Balance(AccountId(one))).Should().Be(-12.50m - 2.50m + 40m - 27.50m);
        (await Stream(AccountId(two))).Should().BeEmpty();

        var again = await ImportCommand.ImportAsync(app.Services, file, parallel: 4, CancellationToken.None);

        again.Written.Should().Be(0);
        again.AlreadyImported.Should().Be(5);
        again.Refusals.Select(r => r.Line).Should().Equal(report.Refusals.Select(r => r.Line));
        (await Stream(AccountId(one))).Should().HaveCount(stream.Count, "nothing is written twice");
    }

    [Fact]
    public async Task A_CSV_export_with_quoted_fields_imports_like_JSON_and_a_record_changed_since_it_was_imported_is_refused()
    {
        var number = $"{_prefix}-csv";
        var file = Path.Combine(_directory, "export.csv");
        var rows = new StringBuilder()
            .AppendLine("record,accountNumber,id,at,amount,currency,customerId,holderName,billingDay,line1,city,postalCode,country,description,category,method")
            .AppendLine($"account,{number},,2023-05-01T00:00:00Z,,EUR,cust-{number},\"Smith, Jane\",3,2 High St,Leeds,LS1,GB,,,")
            .AppendLine($"charge,{number},C-1,2023-06-01T00:00:00Z,19.99,,,,,,,,,\"Mobile, \"\"May\"\"\",mobile,")
            .AppendLine($"payment,{number},P-1,2023-06-15T00:00:00Z,19.99,,,,,,,,,,,transfer")
            .AppendLine($"charge,{number},C-2,2023-07-01T00:00:00Z,twelve,,,,,,,,,June,mobile,");
        await File.WriteAllTextAsync(file, rows.ToString());

        var report = await ImportCommand.ImportAsync(app.Services, file, parallel: 2, CancellationToken.None);

        report.Refusals.Should().ContainSingle().Which.Should().Match<ImportCommand.Refused>(r => r.Line == 5 && r.Rule == "malformed-csv" && r.Field == "amount");
        report.Written.Should().Be(3);
        var stream = await Stream(AccountId(number));
        stream.Select(e => e.Type).Should().Equal("account_opened", "charge_posted", "payment_confirmed", "payment_received");
        stream[0].Data.Should().Contain("Smith, Jane");
        stream[1].Data.Should().Contain("Mobile, \\\"May\\\"");

        // The old system's C-1 now says 21.99: the ledger already holds C-1 as 19.99 and says so rather than adding a second one.
        await File.WriteAllTextAsync(file, rows.ToString().Replace("C-1,2023-06-01T00:00:00Z,19.99", "C-1,2023-06-01T00:00:00Z,21.99"));
        var changed = await ImportCommand.ImportAsync(app.Services, file, parallel: 2, CancellationToken.None);

        changed.Refusals.Select(r => (r.Line, r.Rule)).Should().Equal((3, "idempotency-key-reused"), (5, "malformed-csv"));
        (await Stream(AccountId(number))).Should().HaveCount(4);
    }
}

/// <summary>
/// The migration of a real customer base is long, and machines die: 10,000 accounts, the import killed (SIGKILL) part of
/// the way through, then run again to the end. Exactly one copy of each account and each fact, however far the first
/// run got; the rate goes to the test output (the benchmark's `import` scenario measures it against pgbench).
/// </summary>
public sealed class ImportResumeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Accounts = 10_000;
    private readonly ScratchDatabase _database = new("import");
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"ledger-import-{Guid.NewGuid():N}.jsonl");

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        foreach (var file in new[] { _file, _file + ".report.json" }.Where(File.Exists))
            File.Delete(file);
    }

    [Fact]
    public async Task An_import_of_10000_accounts_killed_part_way_and_run_again_ends_with_exactly_one_copy_of_each()
    {
        var faker = new Bogus.Faker("en") { Random = new Bogus.Randomizer(20261202) };
        var positive = 0;
        var negative = 0;
        await using (var writer = new StreamWriter(_file))
        {
            for (var i = 0; i < Accounts; i++)
            {
                var number = $"LEGACY-{i:D6}";
                var balance = Math.Round(faker.Random.Decimal(-30m, 90m), 2);
                (positive, negative) = balance > 0 ? (positive + 1, negative) : balance < 0 ? (positive, negative + 1) : (positive, negative);
                await writer.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    record = "account", accountNumber = number, at = "2023-01-02T08:00:00Z", customerId = $"legacy-{i}", holderName = faker.Name.FullName(),
                    currency = "USD", billingDay = faker.Random.Number(1, 28), line1 = faker.Address.StreetAddress(), city = faker.Address.City(),
                    postalCode = faker.Address.ZipCode("#####"), country = "US",
                }));
                await writer.WriteLineAsync(JsonSerializer.Serialize(new { record = "opening-balance", accountNumber = number, at = "2023-01-02T08:00:00Z", amount = balance }));
                await writer.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    record = "charge", accountNumber = number, id = $"INV-{i}", at = "2023-02-01T00:00:00Z", amount = 42.10m, description = "Line rental", category = "rental",
                }));
                await writer.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    record = "payment", accountNumber = number, id = $"PAY-{i}", at = "2023-02-14T00:00:00Z", amount = 42.10m, method = "transfer",
                }));
            }
        }

        using (var first = ApiProcess.StartCommand(_database.ConnectionString, new Dictionary<string, string>(), "import", _file))
        {
            _ = first.StandardOutput.ReadToEndAsync();
            _ = first.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (await Count("account_opened") < Accounts / 4 && DateTime.UtcNow < deadline && !first.HasExited)
                await Task.Delay(200);
            first.HasExited.Should().BeFalse("the import is killed part of the way through, not after it finished");
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }
        var before = await Count("account_opened");
        before.Should().BeInRange(1, Accounts - 1);

        var (exitCode, log) = await ApiProcess.RunCommandAsync(_database.ConnectionString, "import", _file);

        exitCode.Should().Be(0, log);
        output.WriteLine($"first run got {before} accounts in before it was killed; the second: {log.Split('\n').FirstOrDefault(l => l.Contains("Imported"))}");
        (await Count("account_opened")).Should().Be(Accounts);
        (await Count("account_opened", distinctStreams: true)).Should().Be(Accounts);
        (await Count("charge_posted")).Should().Be(Accounts + positive, "one charge each, and each positive opening balance");
        (await Count("credit_issued")).Should().Be(negative, "each credit balance brought forward");
        (await Count("payment_received")).Should().Be(Accounts);
        (await Count("payment_confirmed")).Should().Be(Accounts);
        var report = JsonDocument.Parse(await File.ReadAllTextAsync(_file + ".report.json")).RootElement;
        report.GetProperty("refusals").GetArrayLength().Should().Be(0);
        (report.GetProperty("written").GetInt32() + report.GetProperty("alreadyImported").GetInt32())
            .Should().Be(Accounts * 4, "every line written by one run or the other (a zero opening balance records nothing)");
        report.GetProperty("alreadyImported").GetInt32().Should().BeGreaterThan(0, "the second run found what the first had written");
    }

    // Before the first run has created the schema there is nothing to count.
    private async Task<long> Count(string type, bool distinctStreams = false) =>
        await EventStore.Count(_database.ConnectionString, "select count(*) from pg_tables where schemaname = 'ledger' and tablename = 'mt_events'") == 0
            ? 0
            : await EventStore.Count(_database.ConnectionString,
                $"select count({(distinctStreams ? "distinct stream_id" : "*")}) from ledger.mt_events where type = @type", ("type", type));
}
