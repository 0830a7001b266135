using System.Net.Mail;

namespace Ledger.Domain.Accounts.Profile;

/// <summary>A change of contact; <paramref name="VerificationId"/> names the confirmation a new address will need.</summary>
public sealed record ChangeContactPreferences(Guid AccountId, ContactChannel Channel, string? Email, Guid VerificationId = default) : IAccountCommand
{
    public const int MaxEmailLength = 254;

    /// <summary>How long a confirmation link works.</summary>
    public static readonly TimeSpan VerificationLifetime = TimeSpan.FromHours(24);

    public Guid AnswerId => AccountId;

    public Decision Decide(Account account, Facts facts) => Decide(account, this, VerificationId, facts.Now);

    /// <summary>
    /// A new choice. The channel takes effect at once; a new address only asks its owner to confirm it (the request
    /// gets <paramref name="verificationId"/>) and notices keep going to the confirmed address, or on paper, meanwhile.
    /// </summary>
    public static Decision Decide(Account account, ChangeContactPreferences command, Guid verificationId, DateTimeOffset now)
    {
        if (account.Status == AccountStatus.Closed)
            return Decision.Reject("account-closed", $"Account {account.AccountNumber} is closed; its contact details are frozen.");
        var email = string.IsNullOrWhiteSpace(command.Email) ? null : command.Email.Trim();
        if (email is null && command.Channel != ContactChannel.Paper)
            return Decision.Reject("email-required", "E-mail notices need an e-mail address.", "email");
        if (email is not null && !IsEmail(email))
            return Decision.Reject("email-invalid", "'email' is not a single e-mail address (name@domain).", "email");

        var confirmed = account.Contact?.Email;
        var isNew = email is not null && !string.Equals(email, confirmed, StringComparison.OrdinalIgnoreCase);
        var kept = isNew ? confirmed : email ?? confirmed;
        var events = new List<object>();
        if (new ContactPreferences(command.Channel, kept) != account.Contact)
            events.Add(new ContactPreferencesChanged(account.Id, command.Channel, kept, now));
        // A link still valid for that very address is not sent again (no mail on every click); once it expired, or for
        // another address, a new link replaces the previous one.
        if (isNew && events.Count == 0 && account.PendingEmail is { } pending && now < pending.ExpiresAt
            && string.Equals(pending.Address, email, StringComparison.OrdinalIgnoreCase))
            return Decision.Reject(new Rejection("confirmation-already-sent",
                $"A confirmation link was already sent to {pending.Address}; it works until {pending.ExpiresAt:u}.", IsConflict: true,
                Reference: pending.VerificationId));
        if (isNew)
            events.Add(new ContactEmailVerificationRequested(account.Id, verificationId, email!, now + VerificationLifetime, now));
        return events.Count == 0
            ? Decision.Reject("contact-unchanged", "These are already the account's contact preferences; nothing to record.")
            : Decision.Accept([.. events]);
    }

    // One bare address, no display name, no list: it becomes an SMTP recipient as it is.
    internal static bool IsEmail(string value) =>
        value.Length <= MaxEmailLength && MailAddress.TryCreate(value, out var parsed) && parsed.Address == value && parsed.DisplayName.Length == 0
        && value.IndexOfAny([' ', ',', ';', '<', '>', '\r', '\n']) < 0 && value.Split('@')[1].Contains('.');
}
