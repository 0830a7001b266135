using System.Globalization;
using System.Net;
using Ledger.Domain.Money;
using Ledger.Domain.Notifications;

namespace Ledger.Api.Notifications.Email;

/// <summary>What a notice says: a subject, its paragraphs as plain text, and the same as HTML. Letters print the paragraphs.</summary>
public sealed record NoticeText(string Subject, IReadOnlyList<string> Paragraphs, string Html)
{
    public string Text => string.Join("\n\n", Paragraphs) + "\n";
}

/// <summary>A versioned wording of every notice. A shipped version never changes; a new wording is a new version.</summary>
public interface INoticeTemplate
{
    int Version { get; }

    NoticeText Write(Notice notice);
}

public sealed class NoticeTemplates(IEnumerable<INoticeTemplate> templates)
{
    private readonly Dictionary<int, INoticeTemplate> _byVersion = templates.ToDictionary(t => t.Version);

    public NoticeText Write(Notice notice, int version) => _byVersion.TryGetValue(version, out var template)
        ? template.Write(notice)
        : throw new InvalidOperationException($"Notice template version {version} is not shipped in this build.");
}

/// <summary>Version 1 of the notices' wording.</summary>
public sealed class NoticeTemplateV1 : INoticeTemplate
{
    public int Version => 1;

    public NoticeText Write(Notice n)
    {
        var amount = n.Amount is { } a ? Money(a, n.Currency) : null;
        var (subject, body) = n.Kind switch
        {
            NoticeKind.StatementIssued => ($"Your statement for account {n.AccountNumber}",
                new[] { $"Your statement for {n.Detail} is ready; the PDF is attached (on paper: enclosed).",
                        $"Amount due: {amount} by {n.DueDate:yyyy-MM-dd}.", $"Statement {n.StatementId}" }),
            NoticeKind.PaymentReceived => ($"Payment received: {amount}",
                new[] { $"We received your payment of {amount} ({n.Detail}{(n.Reference is null ? "" : ", reference " + n.Reference)}).", "Thank you." }),
            NoticeKind.CreditApplied => ($"Credit applied: {amount}",
                new[] { $"A credit of {amount} was applied to your account.", $"Reason: {n.Detail}" }),
            NoticeKind.RequestApproved => ("Your request was approved",
                new[] { $"The request {n.Reference}{(amount is null ? "" : " for " + amount)} was approved.", $"{n.Detail}" }),
            NoticeKind.RequestRejected => ("Your request was not approved",
                new[] { $"The request {n.Reference}{(amount is null ? "" : " for " + amount)} was rejected.", $"Reason: {n.Detail}" }),
            NoticeKind.DisputeResolved => ("Your dispute was resolved",
                new[] { $"Dispute {n.Reference} was resolved.", $"Outcome: {n.Detail}" }),
            NoticeKind.AddressChanged => ("The address on your account changed",
                new[] { $"The name and address on your account are now: {n.Detail}.", IfNotYou }),
            NoticeKind.ContactChanged => ("How we contact you changed",
                new[] { $"We will now contact you by: {n.Detail}.", IfNotYou }),
            NoticeKind.ConfirmEmail => ($"Confirm your e-mail address for account {n.AccountNumber}",
                new[] { "Someone asked for the notices about this account to be sent to this address. If that was you, confirm it within 24 hours:",
                        n.Detail ?? "", "If it was not you, ignore this message: nothing is sent here unless the address is confirmed." }),
            NoticeKind.PaymentFailed => ($"Payment not completed: {amount}",
                new[] { $"Your payment of {amount} ({n.Detail}) did not go through{(n.Reference is null ? "" : ", reference " + n.Reference)}.",
                        "Nothing was taken off what you owe. You can pay again on the self-service site." }),
            NoticeKind.PaymentReversed => ($"Payment reversed: {amount}",
                new[] { $"A payment of {amount} was {n.Detail}", "The amount is owed again and is on your balance. Call us or write through the self-service site if this is not what you expected." }),
            NoticeKind.RefundSent => ($"Refund sent: {amount}",
                new[] { $"We sent you {amount} of your credit balance {n.Detail}{(n.Reference is null ? "" : ", reference " + n.Reference)}.",
                        "Depending on your bank it shows on your statement within a few working days." }),
            NoticeKind.RefundFailed => ($"Refund not completed: {amount}",
                new[] { $"Your refund of {amount} could not be made: {n.Detail}", "The amount is still your credit on the account. Call us or write through the self-service site to have it sent another way." }),
            // Dunning: DueDate carries the bill's due date (reminder, late notice, suspension) or the day cancellation takes effect
            // (intent to cancel) or the last day of the reinstatement window (cancellation).
            NoticeKind.PaymentReminder => ($"Payment reminder: {amount} past due",
                new[] { $"Your bill due on {n.DueDate:yyyy-MM-dd} is not paid yet: {amount} is past due.",
                        "If you have paid in the last few days, thank you, and please ignore this reminder. Otherwise you can pay on the self-service site." }),
            NoticeKind.LateNotice => ($"Second notice: {amount} past due",
                new[] { $"Your bill due on {n.DueDate:yyyy-MM-dd} is still not paid: {amount} is past due.",
                        n.Detail is { } fee ? $"A late fee of {Money(decimal.Parse(fee, CultureInfo.InvariantCulture), n.Currency)} was added to your account; it shows on your next bill." : "",
                        "Pay now, or call us to agree a payment plan." }),
            NoticeKind.IntentToCancel => ($"Notice of intent to cancel account {n.AccountNumber}",
                new[] { $"{amount} is past due on your account.",
                        $"Unless it is paid or a payment plan is agreed, your account will be cancelled for non-payment on {n.DueDate:yyyy-MM-dd}." }),
            NoticeKind.SuspendedForNonPayment => ($"Service suspended: {amount} past due",
                new[] { $"Your service is suspended because {amount} is past due.", "Paying what is past due restores it." }),
            NoticeKind.CancelledForNonPayment => ($"Account {n.AccountNumber} cancelled for non-payment",
                new[] { $"Your account was cancelled for non-payment; {amount} is owed.",
                        $"If you pay it in full by {n.DueDate:yyyy-MM-dd}, the account is reinstated." }),
            NoticeKind.Reinstated => ($"Account {n.AccountNumber} reinstated",
                new[] { $"Thank you: with your payments of {amount} the account is paid in full and has been reinstated." }),
            NoticeKind.PlanAgreed => ($"Your payment plan for {amount}",
                new[] { $"We agreed a payment plan for {amount} past due. Pay each instalment by its date:" }
                    .Concat((n.Detail ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
                        $"{line[..10]}: {Money(decimal.Parse(line[11..], CultureInfo.InvariantCulture), n.Currency)}"))
                    .Append("While you keep to the plan, no reminders or fees are sent.").ToArray()),
            NoticeKind.PlanBroken => ("Your payment plan has ended",
                new[] { $"Instalment {n.Detail} of your payment plan was not paid ({amount} short), so the plan has ended.",
                        "Reminders resume for what is past due. Call us if you need to agree a new plan." }),
            NoticeKind.ServiceRequestReceived => ($"Request {n.Reference} received",
                new[] { $"We received your request {n.Reference}: {n.Detail}.", "Quote its number if you contact us about it." }),
            NoticeKind.ServiceRequestWaiting => ($"Request {n.Reference}: we need something from you",
                new[] { n.Detail ?? "", "The time we promised stops while we wait, and runs again when you answer through the self-service site." }),
            NoticeKind.ServiceRequestDelayed => ($"Request {n.Reference} is taking longer",
                new[] { $"Your request {n.Reference} is {n.Detail}.", "We are sorry for the delay." }),
            NoticeKind.ServiceRequestMessage => ($"A message about request {n.Reference}", new[] { n.Detail ?? "" }),
            NoticeKind.ServiceRequestCompleted => ($"Request {n.Reference}: the requested service is processed",
                new[] { $"The requested service is processed: {n.Detail}",
                        n.ProofSha256 is null ? "" : "A digitally signed PDF proof of what was done is attached (on paper: enclosed).",
                        n.FeedbackLink is null ? "" : "Tell us how we did (the link works once):", n.FeedbackLink ?? "" }),
            NoticeKind.ServiceRequestRejected => ($"Request {n.Reference} could not be done", new[] { $"We could not do your request {n.Reference}: {n.Detail}" }),
            NoticeKind.ServiceRequestDraftExpiring => ($"Your unfinished request expires on {n.DueDate:yyyy-MM-dd}",
                new[] { $"You saved a request ({n.Detail}) to finish later. Submit it through the self-service site by {n.DueDate:yyyy-MM-dd}, or it is deleted." }),
            NoticeKind.StatementCopy => ($"Copy of your statement {n.StatementId}",
                new[] { $"As you asked (request {n.Reference}), a copy of your statement for {n.Detail}, exactly as it was issued, is enclosed." }),
            _ => throw new ArgumentOutOfRangeException(nameof(n), n.Kind, "No wording for this notice kind."),
        };
        var paragraphs = new List<string> { $"Dear {n.To.Name},", $"Account {n.AccountNumber}" };
        paragraphs.AddRange(body.Where(p => !string.IsNullOrWhiteSpace(p)));
        if (n.To.Previous)
            paragraphs.Add("You receive this because this was the contact on the account before the change.");
        // Only the ledger's own confirmation link is ever a link; every other paragraph, free text included, is encoded text.
        var html = "<html><body>" + string.Concat(paragraphs.Select(p => n.Kind == NoticeKind.ConfirmEmail && p == n.Detail
            ? $"<p><a href=\"{WebUtility.HtmlEncode(p)}\">Confirm this address</a></p>"
            : n.Kind == NoticeKind.ServiceRequestCompleted && p == n.FeedbackLink
            ? $"<p><a href=\"{WebUtility.HtmlEncode(p)}\">Give feedback</a></p>"
            : $"<p>{WebUtility.HtmlEncode(p)}</p>")) + "</body></html>";
        return new NoticeText(subject, paragraphs, html);
    }

    private const string IfNotYou = "If you did not ask for this change, call us or write through the self-service site.";

    private static string Money(decimal amount, string currency)
    {
        var minor = Currency.TryFind(currency, out var c) ? c.MinorUnits : 2;
        return amount.ToString("N" + minor, CultureInfo.InvariantCulture) + " " + currency;
    }
}
