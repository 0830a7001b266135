using Ledger.Api.Access;
using Ledger.Api.Accounts.Correcting;
using Ledger.Api.Accounts.Crediting;
using Ledger.Api.Accounts.ListingEntries;
using Ledger.Api.Accounts.Paying;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Policies;
using Ledger.Api.Portal.Shared;
using Ledger.Domain.Accounts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.Desk;

/// <summary>
/// The desk's posting screen: payments on the customer's behalf, credits and corrections, with the poster's remaining
/// limits shown first (the API's /me/limits query). Over a limit the handler parks the posting for approval; the
/// page says which happened.
/// </summary>
[Authorize(Policy = AccessPolicies.Desk)]
public sealed class PostModel(IQuerySession query, TimeProvider clock) : PortalPage
{
    public static readonly string[] ReasonCodes = ["goodwill", "billing-error", "service-outage", "late-fee-waiver", "other"];

    [FromRoute] public Guid AccountId { get; set; }
    [FromQuery(Name = "entry")] public Guid? PreselectedEntry { get; set; }

    public Account Account { get; private set; } = null!;
    public MyLimits? Limits { get; private set; }
    public IReadOnlyList<EntryView> RecentEntries { get; private set; } = [];

    /// <summary>Which form the errors on the page belong to.</summary>
    public string? FailedForm { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFoundPage();

    public async Task<IActionResult> OnPostPaymentAsync([FromForm] StartPaymentRequest request)
    {
        if (!await LoadAsync())
            return NotFoundPage();
        if (await ValidAsync(request) && await StartPaymentAsync(AccountId, request) is { } payment)
        {
            Notice = payment.Status == PaymentStarts.Settled
                ? $"Payment of {Money(payment.Amount ?? 0)} received. Balance now {Money(payment.Balance)}."
                : $"Payment of {Money(payment.Amount ?? 0)} recorded as pending: it settles when the bank confirms it{(payment.Reference is null ? "" : $" (reference {payment.Reference})")}. The balance is unchanged.";
            return Reload();
        }
        return Failed("payment");
    }

    /// <summary>A manager settles a pending check or transfer from the bank statement line (the same command as the API's).</summary>
    public Task<IActionResult> OnPostConfirmPaymentAsync([FromForm] Guid paymentId, [FromForm] ConfirmPaymentRequest request) =>
        BankStatementAsync(request, () => request.ToCommand(AccountId, paymentId), outcome =>
            $"Payment of {Money(request.Amount!.Value)} settled from the bank statement ({request.BankReference!.Trim()}). Balance now {Money(outcome.Balance ?? Account.Balance)}.");

    public Task<IActionResult> OnPostFailPaymentAsync([FromForm] Guid paymentId, [FromForm] FailPaymentRequest request) =>
        BankStatementAsync(request, () => request.ToCommand(AccountId, paymentId), _ =>
            $"Payment recorded as refused by the bank ({request.ReasonCode!.Trim()}). The balance is unchanged.");

    /// <summary>What the bank statement says about a pending payment, recorded by a manager; anyone else is refused.</summary>
    private async Task<IActionResult> BankStatementAsync<T>(T request, Func<Domain.Accounts.IAccountCommand> command, Func<CommandOutcome, string> notice)
    {
        if (!await LoadAsync())
            return NotFoundPage();
        if (Actor.Role != Roles.Manager)
            return Forbid();
        if (await ValidAsync(request) && await SendAsync(command()) is { Kind: OutcomeKind.Applied } outcome)
        {
            Notice = notice(outcome);
            return Reload();
        }
        return Failed("bank");
    }

    public async Task<IActionResult> OnPostCreditAsync([FromForm] IssueCreditRequest request)
    {
        if (!await LoadAsync())
            return NotFoundPage();
        if (await ValidAsync(request))
        {
            var command = (request with { OverrideReason = Blank(request.OverrideReason) }).ToCommand(AccountId);
            if (Done(await SendAsync(command), "Credit", command.Amount))
                return Reload();
        }
        return Failed("credit");
    }

    public async Task<IActionResult> OnPostCorrectionAsync([FromForm] CorrectEntryRequest request)
    {
        if (!await LoadAsync())
            return NotFoundPage();
        if (await ValidAsync(request))
        {
            var command = (request with { OverrideReason = Blank(request.OverrideReason) }).ToCommand(AccountId);
            if (Done(await SendAsync(command), "Correction", command.Amount))
                return Reload();
        }
        return Failed("correction");
    }

    public string Money(decimal amount) => $"{amount:N2} {Account.Currency}";

    private bool Done(CommandOutcome outcome, string what, decimal amount)
    {
        Notice = outcome.Kind switch
        {
            OutcomeKind.Applied => $"{what} of {Money(amount)} applied. Balance now {Money(outcome.Balance ?? Account.Balance)}.",
            OutcomeKind.Pending => $"{what} of {Money(amount)} went for approval: it exceeds {outcome.ExceededLimit}. Request {outcome.ResourceId}.",
            _ => null,
        };
        return Notice is not null;
    }

    private IActionResult Reload() => LocalRedirect($"/portal/accounts/{AccountId}/post");

    private IActionResult Failed(string form)
    {
        FailedForm = form;
        return Page();
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private async Task<bool> LoadAsync()
    {
        if (await VisibleAccountAsync(query, AccountId) is not { } account)
            return false;
        Account = account;
        Limits = await PolicyQueries.MyLimitsAsync(query, Actor, clock, HttpContext.RequestAborted);
        RecentEntries = (await EntryQueries.ListAsync(query, AccountId,
            new EntryFilter(1, 30, "-date", null, null, null, null, null, null, null), HttpContext.RequestAborted)).Items;
        return true;
    }
}
