using Ledger.Api.Access;
using Ledger.Api.Accounts.Categorizing;
using Ledger.Api.Accounts.GettingDetails;
using Ledger.Api.Accounts.ListingEntries;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Portal.Shared;
using Ledger.Api.Statements;
using Ledger.Domain.Accounts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.Accounts;

/// <summary>Balance billed vs unbilled, the due date, line items (search, sort, filter, page) and the customer's own categories.</summary>
[Authorize(Policy = AccessPolicies.ReadAccounts)]
public sealed class OverviewModel(IQuerySession query) : PortalPage
{
    public const int PageSize = 25;

    [FromRoute] public Guid AccountId { get; set; }
    [FromQuery(Name = "q")] public string? Q { get; set; }
    [FromQuery(Name = "type")] public string? Type { get; set; }
    [FromQuery(Name = "category")] public string? Category { get; set; }
    [FromQuery(Name = "from")] public DateOnly? From { get; set; }
    [FromQuery(Name = "to")] public DateOnly? To { get; set; }
    [FromQuery(Name = "minAmount")] public decimal? Min { get; set; }
    [FromQuery(Name = "maxAmount")] public decimal? Max { get; set; }
    [FromQuery(Name = "sort")] public string? Sort { get; set; }
    [FromQuery(Name = "p")] public int? PageNumber { get; set; }

    public Account Account { get; private set; } = null!;
    public AccountView View => AccountView.Of(Account, Actor, Today, Dunning);
    public Domain.Collections.DunningPolicy? Dunning { get; private set; }
    public StatementSummary? LastStatement { get; private set; }
    public PagedResult<EntryView> Entries { get; private set; } = new([], 1, PageSize, 0);
    public CategoryTotals? Totals { get; private set; }
    public Guid? FailedEntry { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFoundPage();

    public async Task<IActionResult> OnPostCategorizeAsync(Guid entryId, [FromForm] CategorizeEntryRequest request)
    {
        if (Actor.Role == Roles.Auditor)
            return Forbid();
        if (await ValidAsync(request))
        {
            var outcome = await SendAsync(request.ToCommand(AccountId, entryId));
            if (outcome.Kind == OutcomeKind.Applied)
            {
                Notice = $"Line item put in '{request.Category!.Trim().ToLowerInvariant()}'.";
                return LocalRedirect($"/portal/accounts/{AccountId}#items");
            }
        }
        FailedEntry = entryId;
        return await LoadAsync() ? Page() : NotFoundPage();
    }

    public string Money(decimal amount) => $"{amount:N2} {Account.Currency}";

    private async Task<bool> LoadAsync()
    {
        if (await VisibleAccountAsync(query, AccountId) is not { } account)
            return false;
        Account = account;
        Dunning = (await query.LoadAsync<Domain.Collections.DunningPolicyState>(Domain.Collections.DunningPolicyState.StreamId, HttpContext.RequestAborted))?.Current;
        LastStatement = (await StatementQueries.ListAsync(query, AccountId, HttpContext.RequestAborted)).FirstOrDefault();
        var filter = new EntryFilter(PageNumber ?? 1, PageSize, Sort, Start(From), End(To), string.IsNullOrEmpty(Type) ? null : Type, Category, Min, Max, Q);
        if (EntryQueries.Check(filter) is { } bad)
            AddRejection(bad);
        else
            Entries = await EntryQueries.ListAsync(query, AccountId, filter, HttpContext.RequestAborted);
        Totals = await CategoryQueries.TotalsAsync(query, account, null, null, HttpContext.RequestAborted);
        return true;
    }

    private static DateTimeOffset? Start(DateOnly? day) => day is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
    private static DateTimeOffset? End(DateOnly? day) => day is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero) : null;

    public string PageLink(int page)
    {
        var query = Request.Query.Where(q => q.Key != "p").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}").Append($"p={page}");
        return $"{Request.Path}?{string.Join("&", query)}";
    }
}
