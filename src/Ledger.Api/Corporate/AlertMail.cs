using System.Globalization;
using FluentValidation;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Ledger.Api.Access;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.Databases;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Api.Notifications;
using Ledger.Api.Notifications.Email;
using Ledger.Domain.Accounts;
using Ledger.Domain.Corporate;
using Marten;
using Microsoft.Extensions.Options;
using MimeKit;
using Wolverine;
using Wolverine.Marten.Subscriptions;

namespace Ledger.Api.Corporate;

/// <summary>Mail one of a tree's alerts (a budget threshold reached, a charge flagged) to the tree's contact.</summary>
public sealed record MailCorporateAlert(Guid EventId, Guid TreeId, DateTimeOffset RecordedAt, CorporateBudgetAlerted? Budget, CorporateChargeFlagged? Flag);

/// <summary>A tree's alert that was mailed: to whom and when (one per alert; a redelivered message finds it and sends nothing).</summary>
public sealed record CorporateAlertMailed(Guid Id, Guid TreeId, string To, DateTimeOffset SentAt);

/// <summary>
/// Every committed alert of a tree, from Marten's async daemon, into Wolverine's durable queue with this subscription's
/// progress: mailed after its commit, never lost to a crash, and never holding up the review or check that raised it.
/// </summary>
public sealed class CorporateAlertMail : BatchSubscription
{
    public const string Name = "corporate-alert-mail";

    public CorporateAlertMail() : base(Name)
    {
        foreach (var type in CorporateAlerts.Outward)
            IncludeType(type);
    }

    public override async Task ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, IMessageBus bus,
        CancellationToken cancellationToken)
    {
        foreach (var e in page.Events)
            await bus.PublishAsync(new MailCorporateAlert(e.Id, e.StreamId, e.Timestamp, e.Data as CorporateBudgetAlerted, e.Data as CorporateChargeFlagged));
    }
}

public static class MailCorporateAlertHandler
{
    /// <summary>
    /// To the tree's contact as it stands when the mail goes (none set: the alert stays on the record and in the API). The
    /// Message-Id is the event's, so a resend after a crash between the SMTP server's acceptance and the record of it is the
    /// same message to the receiving system.
    /// </summary>
    public static async Task Handle(MailCorporateAlert message, IDocumentSession session, IDocumentStore store, NoticeMailer mailer,
        IOptions<NotificationOptions> options, CancellationToken ct)
    {
        if (await session.LoadAsync<CorporateAlertMailed>(message.EventId, ct) is not null
            || await session.LoadAsync<CorporateTree>(message.TreeId, ct) is not { Contact: { } contact } tree)
            return;
        var (subject, text) = await WriteAsync(message, tree, store, ct);
        var o = options.Value;
        var mail = new MimeMessage { MessageId = NoticeMailer.MessageIdFor(message.EventId, o.MessageIdDomain), Date = message.RecordedAt, Subject = subject };
        mail.From.Add(new MailboxAddress(o.FromName, o.From));
        mail.To.Add(new MailboxAddress(contact.Name, contact.Email));
        mail.Headers.Add("X-Ledger-Notice", message.Budget is null ? "corporate-charge-flagged" : "corporate-budget-alerted");
        mail.Body = new TextPart("plain") { Text = text };
        await mailer.SendAsync(mail, ct);
        session.Store(new CorporateAlertMailed(message.EventId, message.TreeId, contact.Email, DateTimeOffset.UtcNow));
    }

    private static async Task<(string Subject, string Text)> WriteAsync(MailCorporateAlert message, CorporateTree tree, IDocumentStore store, CancellationToken ct)
    {
        string Money(decimal amount, string currency) => $"{amount.ToString("N2", CultureInfo.InvariantCulture)} {currency}";
        async Task<string> NameOf(Guid id)
        {
            if (tree.Nodes.TryGetValue(id, out var node))
                return node.Name;
            await using var accounts = store.QueryFor(id);
            return await accounts.LoadAsync<Account>(id, ct) is { } account ? $"account {account.AccountNumber} ({account.HolderName})" : $"account {id}";
        }
        if (message.Budget is { } b)
        {
            var target = await NameOf(b.TargetId);
            return ($"Budget alert: {target} reached {b.Threshold} % of its {b.Month} budget",
                $"{target} has spent {Money(b.Spend, b.Currency)} of its {Money(b.Budget, b.Currency)} budget for {b.Month}: " +
                $"{b.Threshold} % reached.\n\nCorporate customer: {tree.CorporateId}\nAlerted at: {b.AlertedAt:yyyy-MM-dd HH:mm} UTC\n\n" +
                "Each threshold is alerted once per month. The spend report in the portal shows where the money went.\n");
        }
        var f = message.Flag!;
        var member = await NameOf(f.AccountId);
        return ($"Charge outside the profile of {member}: {f.Category}",
            $"{member} was charged {Money(f.Amount, f.Currency)} for \"{f.Description}\" in category '{f.Category}', which its profile template " +
            $"'{f.TemplateCode}' does not allow.\n\nPosted at: {f.PostedAt:yyyy-MM-dd HH:mm} UTC\nCorporate customer: {tree.CorporateId}\n\n" +
            "The charge stands (it came from the rating system); the desk can correct it if it should not have been made.\n");
    }
}

public sealed record SetContactRequest(string? Name, string? Email);

public sealed class SetContactValidator : AbstractValidator<SetContactRequest>
{
    public SetContactValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(100);
        RuleFor(r => r.Email).NotEmpty().MaximumLength(Domain.Accounts.Profile.ChangeContactPreferences.MaxEmailLength);
    }
}

public static class ContactEndpoints
{
    public static void MapCorporateContact(this RouteGroupBuilder corporates) =>
        corporates.MapPut("/{corporateId}/contact", (string corporateId, SetContactRequest body, HttpContext http, IQuerySession query, IMessageBus bus) =>
                TreeEndpoints.Reached(http, corporateId, reach => TreeEndpoints.WriteAsync(http, query, bus, corporateId,
                    new SetContact(reach.TreeId, body.Name!, body.Email!), reach)))
            .Validated<SetContactRequest>()
            .RequireAuthorization(AccessPolicies.CorporateTrees)
            .WithName("SetCorporateContact").Produces<TreeView>().Write(answers: false, onAccount: false)
            .Refuses(StatusCodes.Status404NotFound)
            .WithSummary("Who hears of the tree's budget alerts and flagged charges by e-mail (an admin of the whole tree, or the desk). The same " +
                         "alerts are on the webhook and message feeds (ledger.corporate.*).");
}
