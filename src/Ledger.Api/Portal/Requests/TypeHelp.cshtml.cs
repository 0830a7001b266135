using Ledger.Api.Access;
using Ledger.Domain.ServiceRequests;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.Requests;

/// <summary>A request type's help page: what it is for, what the form asks, which documents it needs, and how long it takes (the API's catalogue entry).</summary>
[Authorize(Policy = AccessPolicies.ServiceRequestsRead)]
public sealed class TypeHelpModel(IQuerySession query) : RequestPage
{
    [FromRoute] public string Code { get; set; } = "";
    public RequestTypeState Type { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        // As the API: a retired type is not there for a customer; staff still read what it was.
        var type = RequestTypeCodes.Valid(Code) ? await query.LoadAsync<RequestTypeState>(RequestTypeCodes.StreamIdFor(Code), HttpContext.RequestAborted) : null;
        if (type is null || (type.Retired && Actor.IsCustomer))
            return NotFoundPage();
        Type = type;
        return Page();
    }

    public static string KindText(FormField f) => f.Kind switch
    {
        FieldKind.Multiline => "text",
        FieldKind.Amount => "an amount",
        FieldKind.Choice => $"one of: {string.Join(", ", f.Choices ?? [])}",
        FieldKind.Entry => "one of your line items",
        FieldKind.Statement => "one of your bills",
        FieldKind.Country => "a two-letter country code",
        FieldKind.Iban => "an IBAN",
        FieldKind.YesNo => "yes or no",
        FieldKind.Date => "a date",
        _ => "text",
    };
}
