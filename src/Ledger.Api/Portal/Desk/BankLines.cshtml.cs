using Ledger.Api.Access;
using Ledger.Api.BankStatements;
using Ledger.Api.BankStatements.Camt;
using Ledger.Api.Portal.Shared;
using Ledger.Domain.Accounts;
using Ledger.Domain.BankStatements;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.Desk;

/// <summary>
/// The reconciliation queue at the desk: the bank lines the import could not place, oldest first, with what the bank
/// wrote and why each waits. A clerk assigns a line to an account (by its number, as on the phone; the payment it
/// settles is suggested) or sends a credit back; a manager feeds in the bank's file here too. The same rules as the
/// API's (<see cref="BankLineDesk"/>, <see cref="BankStatementImport"/>).
/// </summary>
[Authorize(Policy = AccessPolicies.Desk)]
[RequestSizeLimit(10 * 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = 10 * 1024 * 1024)]
public sealed class BankLinesModel(IQuerySession query, BankLineDesk desk) : PortalPage
{
    public IReadOnlyList<(BankLine Line, Account? Suggested)> Queued { get; private set; } = [];
    public Guid? FailedLine { get; private set; }
    public ImportAnswer? Imported { get; private set; }
    public bool IsManager => Actor.Role == Roles.Manager;

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAssignAsync(Guid lineId, string? account, Guid? paymentId, string? note)
    {
        var target = await AccountNamedAsync(account);
        if (target is null)
            ModelState.AddModelError("account", "Type the account number (or id) of an account you can see.");
        else
        {
            var result = await desk.AssignAsync(lineId, target.Id, paymentId, note, FormContext(), HttpContext.RequestAborted);
            if (Done(result, $"Bank line assigned to {target.AccountNumber}."))
                return LocalRedirect("/portal/bank-lines");
        }
        FailedLine = lineId;
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostReturnAsync(Guid lineId, string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 500)
            ModelState.AddModelError("reason", "Say why it goes back (at most 500 characters).");
        else if (Done(await desk.ReturnToSenderAsync(lineId, reason, FormContext(), HttpContext.RequestAborted), "Bank line sent back to the payer."))
            return LocalRedirect("/portal/bank-lines");
        FailedLine = lineId;
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, [FromServices] CamtSchemas schemas, [FromServices] BankStatementImport import)
    {
        if (!IsManager)
            return Forbid();
        if (file is null || file.Length == 0)
            ModelState.AddModelError("file", "Choose the bank's camt.053 or camt.054 file.");
        else
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, HttpContext.RequestAborted);
            var content = buffer.ToArray();
            var (camt, problems) = CamtReader.Read(new MemoryStream(content), schemas);
            if (camt is null)
                ModelState.AddModelError("file", $"{problems[0].Element} (line {problems[0].Line}): {problems[0].Message}");
            else
                Imported = await import.ImportAsync(camt, content, FormContext(), HttpContext.RequestAborted);
        }
        await LoadAsync();
        return Page();
    }

    private bool Done(DeskResult result, string notice)
    {
        if (result.Line is null)
            ModelState.AddModelError("", "That bank line does not exist.");
        else if (result.Refusal is { } refusal)
            AddRejection(refusal);
        else if (result.Outcome is { Kind: not Ledger.Api.Accounts.Writing.OutcomeKind.Applied } outcome)
            AddRejection(outcome.Rejection ?? new Domain.Rejection("not-applied", "The account refused it; check it and try again."));
        else
        {
            Notice = notice;
            return true;
        }
        return false;
    }

    private async Task<Account?> AccountNamedAsync(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed))
            return null;
        var text = typed.Trim();
        var account = Guid.TryParse(text, out var id)
            ? await query.LoadAsync<Account>(id, HttpContext.RequestAborted)
            : await query.Query<Account>().FirstOrDefaultAsync(a => a.AccountNumber == text.ToUpperInvariant(), HttpContext.RequestAborted);
        return account is not null && Actor.CanSee(account) ? account : null;
    }

    private async Task LoadAsync()
    {
        var lines = await query.Query<BankLine>().Where(l => l.Status == BankLineStatus.Queued).OrderBy(l => l.UpdatedAt).Take(200)
            .ToListAsync(HttpContext.RequestAborted);
        var accounts = await query.LoadManyAsync<Account>(HttpContext.RequestAborted, lines.Select(l => l.AccountId).OfType<Guid>().Distinct());
        Queued = lines.Select(l => (l, accounts.FirstOrDefault(a => a.Id == l.AccountId))).ToList();
    }
}
