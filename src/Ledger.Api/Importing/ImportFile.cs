using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CsvHelper;
using FluentValidation;
using Ledger.Api.Infrastructure;
using Ledger.Domain;

namespace Ledger.Api.Importing;

/// <summary>
/// One line of an import file: an account, its opening balance, or one fact of its history. CSV and JSON Lines carry the
/// same fields (docs/integration.md, "Migrating an existing customer base"); <see cref="Record"/> says which.
/// </summary>
public sealed record ImportRecord
{
    public string? Record { get; init; }
    public string? AccountNumber { get; init; }
    public string? Id { get; init; }
    public DateTimeOffset? At { get; init; }
    public decimal? Amount { get; init; }
    public string? Currency { get; init; }
    public string? CustomerId { get; init; }
    public string? HolderName { get; init; }
    public int? BillingDay { get; init; }
    public string? Line1 { get; init; }
    public string? Line2 { get; init; }
    public string? City { get; init; }
    public string? PostalCode { get; init; }
    public string? Country { get; init; }
    public string? Description { get; init; }
    public string? Category { get; init; }
    public string? Method { get; init; }
    public string? Reference { get; init; }
    public string? ReasonCode { get; init; }
    public string? Reason { get; init; }
    public DateOnly? ServiceFrom { get; init; }
    public DateOnly? ServiceTo { get; init; }

    public const string Account = "account";
    public const string OpeningBalance = "opening-balance";
    public const string Charge = "charge";
    public const string Payment = "payment";
    public const string Credit = "credit";

    public static readonly string[] Kinds = [Account, OpeningBalance, Charge, Payment, Credit];

    /// <summary>Which fact this is, once per account and kind (an account, its opening balance) or per legacy id.</summary>
    [JsonIgnore]
    public string Identity => Record is Account or OpeningBalance ? $"{AccountNumber}|{Record}" : $"{AccountNumber}|{Record}|{Id}";

    /// <summary>
    /// The write's Idempotency-Key, from the fact's identity: importing the file again (after a crash, or twice) finds
    /// every fact already written and writes nothing twice.
    /// </summary>
    [JsonIgnore]
    public string Key => "import:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Identity)))[..48];

    /// <summary>The content's hash: the same key with other content is a record changed since it was imported, and refused.</summary>
    [JsonIgnore]
    public string Hash => Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(this, ImportFile.Json)));
}

/// <summary>A line of the file with what it said, or why it cannot be imported.</summary>
public sealed record ImportLine(int Number, ImportRecord? Record, Rejection? Refusal);

public sealed class ImportRecordValidator : AbstractValidator<ImportRecord>
{
    public ImportRecordValidator()
    {
        RuleFor(r => r.Record).NotEmpty().Must(r => ImportRecord.Kinds.Contains(r))
            .WithMessage($"'record' is one of {string.Join(", ", ImportRecord.Kinds)}.");
        RuleFor(r => r.AccountNumber).NotEmpty().MaximumLength(64);
        RuleFor(r => r.At).NotNull().WithMessage("'at' is the fact's original date and time (ISO 8601).")
            .Must(at => at is null || at <= DateTimeOffset.UtcNow.AddMinutes(5)).WithMessage("'at' is in the future: history has happened.");
        When(r => r.Record == ImportRecord.Account, () =>
        {
            RuleFor(r => r.CustomerId).NotEmpty();
            RuleFor(r => r.HolderName).NotEmpty();
            RuleFor(r => r.Currency).NotEmpty();
            RuleFor(r => r.BillingDay).NotNull();
            RuleFor(r => r.Line1).NotEmpty();
            RuleFor(r => r.City).NotEmpty();
            RuleFor(r => r.PostalCode).NotEmpty();
            RuleFor(r => r.Country).NotEmpty();
        });
        When(r => r.Record is ImportRecord.Charge or ImportRecord.Payment or ImportRecord.Credit, () =>
        {
            RuleFor(r => r.Id).NotEmpty().MaximumLength(100).WithMessage("'id' is the fact's id in the old system (1 to 100 characters).");
            RuleFor(r => r.Amount).NotNull().GreaterThan(0);
        });
        When(r => r.Record == ImportRecord.OpeningBalance, () => RuleFor(r => r.Amount).NotNull());
        When(r => r.Record == ImportRecord.Charge, () =>
        {
            RuleFor(r => r.Description).NotEmpty();
            RuleFor(r => r.Category).NotEmpty();
        });
        When(r => r.Record == ImportRecord.Payment, () => RuleFor(r => r.Method).NotEmpty()
            .Must(m => m is "card" or "check" or "transfer" or "cash").WithMessage("'method' is card, check, transfer or cash."));
        When(r => r.Record == ImportRecord.Credit, () =>
        {
            RuleFor(r => r.ReasonCode).NotEmpty();
            RuleFor(r => r.Reason).NotEmpty();
        });
    }
}

/// <summary>Reads an import file line by line: CSV with a header row, or JSON Lines. A bad line is refused with its number; the rest go on.</summary>
public static class ImportFile
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEnumerable<ImportLine> Read(string path, IValidator<ImportRecord> validator) =>
        Path.GetExtension(path).ToLowerInvariant() is ".jsonl" or ".ndjson" ? ReadJsonLines(path, validator) : ReadCsv(path, validator);

    private static IEnumerable<ImportLine> ReadJsonLines(string path, IValidator<ImportRecord> validator)
    {
        var number = 0;
        foreach (var text in File.ReadLines(path, Encoding.UTF8))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text))
                continue;
            ImportRecord? record = null;
            Rejection? refusal = Screen(text);
            if (refusal is null)
            {
                try
                {
                    record = JsonSerializer.Deserialize<ImportRecord>(text, Json);
                }
                catch (JsonException e)
                {
                    refusal = new Rejection("malformed-json", $"Not the JSON expected: {e.Message}", e.Path);
                }
            }
            yield return Checked(number, record, refusal, validator);
        }
    }

    private static IEnumerable<ImportLine> ReadCsv(string path, IValidator<ImportRecord> validator)
    {
        using var csv = CsvReader.Create(File.OpenRead(path), new CsvReaderOptions { TrackLineNumbers = true }, leaveOpen: false);
        var columns = Columns.Select(c => (Name: c, Index: csv.TryGetFieldIndex(c, out var i) ? i : -1)).Where(c => c.Index >= 0).ToList();
        while (true)
        {
            string? broken = null;
            try
            {
                if (!csv.Read())
                    yield break;
            }
            catch (CsvFormatException e)
            {
                broken = e.Message;
            }
            if (broken is not null)
            {
                // The file's structure is broken here (an unclosed quote): nothing after it can be read reliably.
                yield return new ImportLine(int.MaxValue, null, new Rejection("malformed-csv", $"The CSV cannot be read past here: {broken}"));
                yield break;
            }
            var number = (int)csv.LineNumber;
            ImportRecord? record = null;
            var refusal = Screen(csv.RawRecord.ToArray());
            if (refusal is null)
            {
                // Each column as the JSON field of the same name: one reading and validation for both formats.
                var fields = new JsonObject();
                foreach (var (name, index) in columns)
                    if (index < csv.FieldCount && csv.GetStringOrNull(index) is { Length: > 0 } value)
                        fields[name] = value;
                try
                {
                    record = fields.Deserialize<ImportRecord>(CsvJson);
                }
                catch (JsonException e)
                {
                    refusal = new Rejection("malformed-csv", $"A field is not what its column holds: {e.Message}", e.Path?.TrimStart('$', '.'));
                }
            }
            yield return Checked(number, record, refusal, validator);
        }
    }

    /// <summary>The columns a CSV file may have (in any order; absent ones are empty): the JSON fields' names.</summary>
    public static readonly string[] Columns = typeof(ImportRecord).GetProperties()
        .Where(p => p.CanWrite).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToArray();

    // In CSV every cell is text: amounts and numbers are read from it.
    private static readonly JsonSerializerOptions CsvJson = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.AllowReadingFromString };

    // The same screen as a request body: no card number anywhere, no NUL, no broken text.
    private static Rejection? Screen(string text) => Screen(Encoding.UTF8.GetBytes(text));

    private static Rejection? Screen(byte[] bytes) => RequestInspection.Screen(bytes)?.Rejection;

    private static ImportLine Checked(int number, ImportRecord? record, Rejection? refusal, IValidator<ImportRecord> validator)
    {
        if (refusal is not null)
            return new ImportLine(number, null, refusal);
        if (record is null)
            return new ImportLine(number, null, new Rejection("malformed-json", "The line is empty or null."));
        var validation = validator.Validate(record);
        return validation.IsValid
            ? new ImportLine(number, record, null)
            : new ImportLine(number, record, new Rejection("invalid-record", string.Join(" ", validation.Errors.Select(e => e.ErrorMessage)),
                validation.Errors[0].PropertyName));
    }
}
