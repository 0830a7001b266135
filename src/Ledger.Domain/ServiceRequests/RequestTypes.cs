using System.Globalization;

namespace Ledger.Domain.ServiceRequests;

/// <summary>
/// How a form field's text is read. <see cref="Entry"/> and <see cref="Statement"/> name one of the account's line items or
/// bills by id; <see cref="Iban"/> a bank account; <see cref="Country"/> an ISO 3166 alpha-2 code; <see cref="YesNo"/> "yes" or "no".
/// </summary>
public enum FieldKind { Text, Multiline, Date, Amount, Choice, Entry, Statement, Country, Iban, YesNo }

/// <summary>One field of a request type's form, with the help shown beside it.</summary>
public sealed record FormField(string Name, string Label, FieldKind Kind, bool Required, string Help, int? MaxLength = null,
    IReadOnlyList<string>? Choices = null)
{
    /// <summary>The longest answer the field takes.</summary>
    public int LongestAnswer() => MaxLength ?? (Kind == FieldKind.Multiline ? 2000 : 200);
}

/// <summary>A document the request must come with before it is submitted (<see cref="Required"/>), or may.</summary>
public sealed record DocumentSlot(string Name, string Label, bool Required, string Help);

/// <summary>
/// What completing a request of the type does to the ledger, through the ledger's own command: a profile change, a refund
/// with its limits and approvals, a letter with the exact bill, a dispute's resolution, an account's closure. <see cref="None"/>:
/// completing it records the answer and nothing else.
/// </summary>
public enum ServiceAction { None, ChangeAddress, ChangeHolderName, RefundCreditBalance, StatementCopy, BillingQuery, CloseAccount }

/// <summary>
/// A request type of the catalogue, as an admin defines it: its form, its documents, the team that works it, its promised
/// turnaround in working hours, its help page and what completing it does.
/// </summary>
public sealed record RequestTypeDefinition(string Code, string Name, string Summary, string HelpPage, IReadOnlyList<FormField> Fields,
    IReadOnlyList<DocumentSlot> Documents, string Team, int TurnaroundHours, ServiceAction Action)
{
    /// <summary>The fields completing a request needs for its action, by kind; a definition must keep them.</summary>
    public static IReadOnlyList<(string Name, FieldKind Kind)> FieldsFor(ServiceAction action) => action switch
    {
        ServiceAction.ChangeAddress => [("line1", FieldKind.Text), ("city", FieldKind.Text), ("postalCode", FieldKind.Text), ("country", FieldKind.Country)],
        ServiceAction.ChangeHolderName => [("holderName", FieldKind.Text)],
        ServiceAction.RefundCreditBalance => [("amount", FieldKind.Amount)],
        ServiceAction.StatementCopy => [("statementId", FieldKind.Statement)],
        ServiceAction.BillingQuery => [("entryId", FieldKind.Entry)],
        _ => [],
    };

    public Rejection? Check()
    {
        if (!RequestTypeCodes.Valid(Code))
            return new Rejection("type-code-invalid", "'code' is 3 to 40 lowercase letters, digits and hyphens, starting with a letter.", "code");
        foreach (var (text, field, max) in new[] { (Name, "name", 100), (Summary, "summary", 500), (HelpPage, "helpPage", 20_000) })
            if (Accounts.Guards.Text(text, field, max) is { } bad)
                return bad;
        if (Fields is null || Documents is null)
            return new Rejection("type-incomplete", "'fields' and 'documents' are required (either may be empty).", Fields is null ? "fields" : "documents");
        if (Fields.Count > 30 || Documents.Count > 10)
            return new Rejection("type-too-large", "A form has at most 30 fields and 10 documents.", Fields.Count > 30 ? "fields" : "documents");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Fields.Count; i++)
        {
            var f = Fields[i];
            var at = $"fields[{i}]";
            if (f is null || !RequestTypeCodes.FieldName(f.Name))
                return new Rejection("field-name-invalid", $"'{at}.name' is 1 to 40 letters and digits, starting with a lowercase letter.", $"{at}.name");
            if (!names.Add(f.Name))
                return new Rejection("field-duplicate", $"Field '{f.Name}' is defined twice.", $"{at}.name");
            if (Accounts.Guards.Text(f.Label, $"{at}.label", 100) is { } badLabel)
                return badLabel;
            if ((f.Help ?? "").Length > 1000)
                return new Rejection("too-long", $"'{at}.help' is at most 1000 characters.", $"{at}.help");
            if (f.MaxLength is < 1 or > 5000)
                return new Rejection("field-length-out-of-range", $"'{at}.maxLength' is between 1 and 5000.", $"{at}.maxLength");
            if (f.Kind == FieldKind.Choice && (f.Choices is not { Count: > 0 and <= 50 } || f.Choices.Any(c => string.IsNullOrWhiteSpace(c) || c.Length > 100)))
                return new Rejection("field-choices-invalid", $"'{at}.choices' lists 1 to 50 choices of at most 100 characters.", $"{at}.choices");
        }
        var slots = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Documents.Count; i++)
        {
            var d = Documents[i];
            if (d is null || !RequestTypeCodes.FieldName(d.Name) || !slots.Add(d.Name))
                return new Rejection("document-slot-invalid", $"'documents[{i}].name' is a unique name of 1 to 40 letters and digits.", $"documents[{i}].name");
            if (Accounts.Guards.Text(d.Label, $"documents[{i}].label", 100) is { } badLabel)
                return badLabel;
        }
        if (!RequestTypeCodes.FieldName(Team ?? ""))
            return new Rejection("team-invalid", "'team' is 1 to 40 letters and digits, starting with a lowercase letter.", "team");
        if (TurnaroundHours is < 1 or > 2000)
            return new Rejection("turnaround-out-of-range", "'turnaroundHours' is between 1 and 2000 working hours.", "turnaroundHours");
        foreach (var (name, kind) in FieldsFor(Action))
            if (Fields.FirstOrDefault(f => f.Name == name) is not { Required: true } field || field.Kind != kind)
                return new Rejection("type-action-needs-field",
                    $"A type whose action is '{Camel(Action)}' needs a required {kind} field '{name}'.", "fields");
        return null;
    }

    public static string Camel(ServiceAction action) => char.ToLowerInvariant(action.ToString()[0]) + action.ToString()[1..];
}

public static class RequestTypeCodes
{
    public static bool Valid(string? code) =>
        code is { Length: >= 3 and <= 40 } && code[0] is >= 'a' and <= 'z' && code.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-');

    public static bool FieldName(string? name) =>
        name is { Length: >= 1 and <= 40 } && name[0] is >= 'a' and <= 'z' && name.All(char.IsAsciiLetterOrDigit);

    public static Guid StreamIdFor(string code) => DeterministicId.From($"service-request-type|{code}");
}

/// <summary>A type defined or redefined; requests already opened keep the version they were opened with.</summary>
public sealed record ServiceRequestTypeDefined(string Code, RequestTypeDefinition? Previous, RequestTypeDefinition Current, string Reason,
    DateTimeOffset DefinedAt);

/// <summary>No new request of the type may be opened (or submitted); those already submitted are worked to the end.</summary>
public sealed record ServiceRequestTypeRetired(string Code, string Reason, DateTimeOffset RetiredAt);

/// <summary>One type as it stands: its definition, version and whether it was retired.</summary>
public sealed record RequestTypeState(string Code, RequestTypeDefinition Current, long Version, bool Retired)
{
    public Guid Id { get; init; } = RequestTypeCodes.StreamIdFor(Code);

    public static RequestTypeState? Evolve(RequestTypeState? state, object @event) => @event switch
    {
        ServiceRequestTypeDefined e => new RequestTypeState(e.Code, e.Current, (state?.Version ?? 0) + 1, false),
        ServiceRequestTypeRetired when state is not null => state with { Version = state.Version + 1, Retired = true },
        _ => state,
    };

    public static Decision Define(RequestTypeState? current, RequestTypeDefinition proposed, string reason, DateTimeOffset now)
    {
        if (proposed.Check() is { } invalid)
            return Decision.Reject(invalid);
        if (Accounts.Guards.Text(reason, "reason", 500) is { } badReason)
            return Decision.Reject(badReason);
        if (current is { Retired: false } && Same(current.Current, proposed))
            return Decision.Reject("type-unchanged", $"Request type '{proposed.Code}' is already defined so; nothing to record.");
        return Decision.Accept(new ServiceRequestTypeDefined(proposed.Code, current?.Current, proposed, reason.Trim(), now));
    }

    public static Decision Retire(RequestTypeState? current, string code, string reason, DateTimeOffset now)
    {
        if (current is null)
            return Decision.Reject("type-unknown", $"There is no request type '{code}'.", "code");
        if (Accounts.Guards.Text(reason, "reason", 500) is { } badReason)
            return Decision.Reject(badReason);
        return current.Retired
            ? Decision.Reject("type-retired", $"Request type '{code}' is already retired.", "code")
            : Decision.Accept(new ServiceRequestTypeRetired(code, reason.Trim(), now));
    }

    // Records compare lists by reference; a definition is compared by what it says.
    private static bool Same(RequestTypeDefinition a, RequestTypeDefinition b) =>
        a with { Fields = [], Documents = [] } == b with { Fields = [], Documents = [] }
        && a.Fields.Count == b.Fields.Count && a.Fields.Zip(b.Fields).All(p => p.First with { Choices = null } == p.Second with { Choices = null }
            && (p.First.Choices ?? []).SequenceEqual(p.Second.Choices ?? []))
        && a.Documents.SequenceEqual(b.Documents);
}

/// <summary>The types every ledger starts with (an admin may redefine or retire each).</summary>
public static class BuiltInRequestTypes
{
    public static IReadOnlyList<RequestTypeDefinition> All { get; } =
    [
        new("address-change", "Change of address", "Move your bills and letters to a new address.",
            "Tell us your new address and attach a proof of address dated within the last three months (a utility bill, a bank " +
            "statement or a tenancy agreement). When we have checked it, your account's address changes and we confirm it to " +
            "both your old and your new contact.",
            [
                new("line1", "Address line 1", FieldKind.Text, true, "House number and street.", 100),
                new("line2", "Address line 2", FieldKind.Text, false, "Flat, building or district, if any.", 100),
                new("city", "Town or city", FieldKind.Text, true, "", 60),
                new("postalCode", "Postal code", FieldKind.Text, true, "As written on your post.", 20),
                new("country", "Country", FieldKind.Country, true, "Two-letter code, for example GB or DE."),
            ],
            [new("proofOfAddress", "Proof of address", true, "PDF, JPEG or PNG, up to 10 MB.")],
            "accounts", 16, ServiceAction.ChangeAddress),
        new("holder-name-change", "Change of account holder's name", "Correct or change the name your account is held in.",
            "Give the name exactly as it should appear on your bills and attach the document that shows it (a marriage " +
            "certificate, a deed poll or an identity document).",
            [
                new("holderName", "New name", FieldKind.Text, true, "As it should appear on your bills.", 100),
                new("why", "Reason", FieldKind.Choice, true, "", Choices: ["marriage", "deed poll", "correction", "other"]),
            ],
            [new("proofOfName", "Document showing the name", true, "PDF, JPEG or PNG, up to 10 MB.")],
            "accounts", 24, ServiceAction.ChangeHolderName),
        new("credit-balance-refund", "Refund of a credit balance", "Have money you overpaid sent back to you.",
            "When your account is in credit you can have the credit paid back: to the card you paid with, or by bank transfer " +
            "to the IBAN you give. Refunds above the desk's limits are approved by a manager first.",
            [
                new("amount", "Amount", FieldKind.Amount, true, "At most your credit balance."),
                new("iban", "Bank account (IBAN)", FieldKind.Iban, false, "Leave empty to refund the card you paid with."),
                new("reason", "Anything we should know", FieldKind.Multiline, false, "", 500),
            ],
            [], "payments", 16, ServiceAction.RefundCreditBalance),
        new("statement-copy", "Copy of a statement by post", "Receive a paper copy of a bill exactly as it was issued.",
            "Choose the bill; we post you a copy exactly as it was issued, to the address on your account.",
            [new("statementId", "Statement", FieldKind.Statement, true, "The bill to copy.")],
            [], "billing", 8, ServiceAction.StatementCopy),
        new("billing-query", "Question about a line on my bill", "Ask about a charge, and dispute it if it is wrong.",
            "Pick the line you are asking about and tell us what is wrong. If you say so we open a dispute on it at once, and " +
            "while it is disputed its amount is not chased.",
            [
                new("entryId", "Line item", FieldKind.Entry, true, "The charge you are asking about."),
                new("question", "Your question", FieldKind.Multiline, true, "", 2000),
                new("dispute", "Dispute this charge", FieldKind.YesNo, false, "Say yes if you believe the charge is wrong."),
            ],
            [], "billing", 24, ServiceAction.BillingQuery),
        new("close-account", "Close my account", "Close an account you no longer need.",
            "An account closes when nothing is owed or owing on it, no dispute is open and no request awaits approval. We tell " +
            "you what stands in the way, if anything.",
            [
                new("reason", "Why are you closing it?", FieldKind.Multiline, true, "", 500),
                new("confirm", "I understand a closed account cannot be reopened", FieldKind.YesNo, true, "Answer yes to go ahead."),
            ],
            [], "accounts", 40, ServiceAction.CloseAccount),
    ];
}

/// <summary>How a form's answers are checked: every field the type knows, the required ones present, each by its kind.</summary>
public static class FormRules
{
    /// <summary>
    /// <paramref name="complete"/>: a submission (every required field present); otherwise a draft, which may leave fields
    /// empty but never holds a field the form does not have or a value too long for it.
    /// </summary>
    public static Rejection? Check(RequestTypeDefinition type, IReadOnlyDictionary<string, string?>? fields, bool complete)
    {
        fields ??= new Dictionary<string, string?>();
        if (fields.Keys.FirstOrDefault(k => type.Fields.All(f => f.Name != k)) is { } unknown)
            return new Rejection("field-unknown", $"The '{type.Code}' form has no field '{Short(unknown)}'.", $"fields.{Short(unknown)}");
        foreach (var field in type.Fields)
        {
            var value = fields.GetValueOrDefault(field.Name)?.Trim();
            var at = $"fields.{field.Name}";
            if (string.IsNullOrEmpty(value))
            {
                if (complete && field.Required)
                    return new Rejection("field-required", $"'{field.Label}' is required.", at);
                continue;
            }
            if (value.Length > field.LongestAnswer())
                return new Rejection("field-too-long", $"'{field.Label}' is at most {field.LongestAnswer()} characters.", at);
            if (value.Any(c => char.IsControl(c) && (field.Kind != FieldKind.Multiline || c is not ('\n' or '\r' or '\t'))))
                return new Rejection("field-invalid", $"'{field.Label}' contains control characters.", at);
            if (Invalid(field, value) is { } rule)
                return new Rejection("field-invalid", $"'{field.Label}' {rule}.", at);
        }
        return null;
    }

    /// <summary>The answers as kept: trimmed, empty ones left out.</summary>
    public static IReadOnlyDictionary<string, string> Normalized(IReadOnlyDictionary<string, string?>? fields) =>
        (fields ?? new Dictionary<string, string?>()).Where(p => !string.IsNullOrWhiteSpace(p.Value))
        .OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value!.Trim());

    private static string? Invalid(FormField field, string value) => field.Kind switch
    {
        FieldKind.Date when !DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) =>
            "is a date written yyyy-MM-dd",
        FieldKind.Amount when !decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount <= 0
                              || amount > 1_000_000_000m || decimal.Round(amount, 2) != amount =>
            "is a positive amount such as 12.50 (at most two decimals)",
        FieldKind.Choice when !(field.Choices ?? []).Contains(value) => $"is one of: {string.Join(", ", field.Choices ?? [])}",
        FieldKind.Entry or FieldKind.Statement when !Guid.TryParse(value, out _) => "names a line item or bill by its id",
        FieldKind.Country when value.Length != 2 || !value.All(char.IsAsciiLetterUpper) => "is a two-letter country code in capitals, such as GB",
        FieldKind.Iban when Payments.Ibans.Normalized(value) is null => "is a valid IBAN (its check digits do not match)",
        FieldKind.YesNo when value is not ("yes" or "no") => "is yes or no",
        _ => null,
    };

    private static string Short(string name) => name.Length > 40 ? name[..40] : name;
}
