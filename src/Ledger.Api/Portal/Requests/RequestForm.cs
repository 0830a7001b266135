using Ledger.Api.Accounts.ListingEntries;
using Ledger.Api.Statements;
using Ledger.Domain.Accounts;
using Ledger.Domain.ServiceRequests;
using Marten;

namespace Ledger.Api.Portal.Requests;

/// <summary>
/// How a request type's form is named in HTML: one input per field (<c>fields.{name}</c>) and one file input per document
/// (<c>documents.{slot}</c>) — the names the domain's refusals carry, so each refusal is shown next to its input.
/// </summary>
public static class RequestForm
{
    public const string Accept = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png";

    public static string FieldInput(string name) => $"fields.{name}";

    /// <summary>A slot's file input; null: a document of no particular slot.</summary>
    public static string DocumentInput(string? slot) => slot is null ? "document" : $"documents.{slot}";

    /// <summary>An element id for an input name (a dot in an id would need escaping in every selector).</summary>
    public static string IdOf(string input) => input.Replace('.', '-');

    /// <summary>The answers as the form posted them, for every field of the type (and nothing else).</summary>
    public static Dictionary<string, string?> Answers(RequestTypeDefinition type, IFormCollection form) =>
        type.Fields.ToDictionary(f => f.Name, f => (string?)form[FieldInput(f.Name)].ToString());
}

/// <summary>One field of the form as rendered: the field, the answer to show, the choices it offers.</summary>
public sealed record FieldInput(FormField Field, string Value, IReadOnlyList<(string Value, string Text)> Options)
{
    public string Name => RequestForm.FieldInput(Field.Name);
    public string Id => RequestForm.IdOf(Name);
}

/// <summary>What a field offers to choose from: its choices, yes or no, or the account's line items (newest first) and bills, by id.</summary>
public sealed record FieldOptions(IReadOnlyList<(string Value, string Text)> Entries, IReadOnlyList<(string Value, string Text)> Statements)
{
    public static FieldOptions None { get; } = new([], []);

    /// <summary>The account's line items and bills, read only when the form has a field that names one.</summary>
    public static async Task<FieldOptions> ForAsync(IQuerySession query, Account account, RequestTypeDefinition type, CancellationToken ct)
    {
        IReadOnlyList<(string, string)> entries = [], statements = [];
        if (type.Fields.Any(f => f.Kind == FieldKind.Entry))
            entries = (await EntryQueries.ListAsync(query, account.Id, new EntryFilter(1, 100, "-date", null, null, null, null, null, null, null), ct)).Items
                .Select(e => (e.EntryId.ToString(), $"{e.Date:yyyy-MM-dd} · {e.Description} · {e.CorrectedAmount:N2} {account.Currency}")).ToList();
        if (type.Fields.Any(f => f.Kind == FieldKind.Statement))
            statements = (await StatementQueries.ListAsync(query, account.Id, ct))
                .Select(s => (s.StatementId.ToString(), $"{s.PeriodStart:yyyy-MM-dd} – {s.PeriodEnd:yyyy-MM-dd} · {s.AmountDue:N2} {s.Currency} due {s.DueDate:yyyy-MM-dd}"))
                .ToList();
        return new FieldOptions(entries, statements);
    }

    public IReadOnlyList<(string Value, string Text)> For(FormField field) => field.Kind switch
    {
        FieldKind.Entry => Entries,
        FieldKind.Statement => Statements,
        FieldKind.Choice => (field.Choices ?? []).Select(c => (c, c)).ToList(),
        FieldKind.YesNo => [("yes", "Yes"), ("no", "No")],
        _ => [],
    };

    /// <summary>An answer as a person reads it: a line item or a bill by what it is, rather than its id.</summary>
    public string Text(FormField field, string value) => For(field).FirstOrDefault(o => o.Value == value) is { Value: not null } o ? o.Text : value;

    /// <summary>The form's inputs, each showing <paramref name="answer"/>'s value for it.</summary>
    public IReadOnlyList<FieldInput> Inputs(RequestTypeDefinition type, Func<FormField, string> answer) =>
        type.Fields.Select(f => new FieldInput(f, answer(f), For(f))).ToList();
}
