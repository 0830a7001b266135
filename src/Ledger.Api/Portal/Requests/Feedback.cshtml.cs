using Ledger.Api.Accounts.Writing;
using Ledger.Api.ServiceRequests;
using Ledger.Domain.ServiceRequests;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.Requests;

/// <summary>
/// The completion notice's feedback link, with no sign-in (the link is the credential, as for the API's feedback endpoint):
/// a rating of 1 to 5 and a comment, given once (GiveFeedback, as the link holder). Used again, it says so.
/// </summary>
public sealed class FeedbackModel(IQuerySession query, FeedbackLinks links) : RequestPage
{
    [FromQuery(Name = "token")] public string? Token { get; set; }
    public ServiceRequest Completed { get; private set; } = null!;
    public string TypeName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFoundPage();

    public async Task<IActionResult> OnPostAsync(int? rating, string? comment)
    {
        if (!await LoadAsync())
            return NotFoundPage();
        var request = new FeedbackRequest(rating, string.IsNullOrWhiteSpace(comment) ? null : comment);
        if (await ValidAsync(request))
        {
            var context = Writes.Context(HttpContext, FeedbackLinks.LinkHolder) with { IdempotencyKey = null };
            if (await SendAsync(new GiveFeedback(Completed.Id, rating!.Value, request.Comment), context) is { Kind: OutcomeKind.Applied })
            {
                Notice = "Thank you for your feedback.";
                return LocalRedirect($"/portal/feedback?token={Uri.EscapeDataString(Token!)}");
            }
        }
        ShowAboveTheFormUnless(["rating", "comment"]);
        await LoadAsync();
        return Page();
    }

    /// <summary>As the API's feedback link: a token that names a completed request, or nothing at all (404).</summary>
    private async Task<bool> LoadAsync()
    {
        if (links.RequestFor(Token) is not { } id
            || await query.LoadAsync<ServiceRequest>(id, HttpContext.RequestAborted) is not { Status: RequestStatus.Resolved } request)
            return false;
        Completed = request;
        var type = await query.LoadAsync<RequestTypeState>(RequestTypeCodes.StreamIdFor(request.TypeCode), HttpContext.RequestAborted);
        TypeName = type?.Current.Name ?? request.TypeCode;
        return true;
    }
}
