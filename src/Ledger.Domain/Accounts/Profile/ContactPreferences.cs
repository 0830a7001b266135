using System.Net.Mail;

namespace Ledger.Domain.Accounts.Profile;

/// <summary>How the customer wants to be told about their account.</summary>
public enum ContactChannel { Email, Paper, Both }

/// <summary>
/// The account's contact choice as its events left it. <see cref="Email"/> is a confirmed address: one its owner proved
/// they read. Until an e-mail choice has one, notices go on paper, to the account's postal address, so nobody misses a
/// notice and nobody receives one they did not ask for.
/// </summary>
public sealed record ContactPreferences(ContactChannel Channel, string? Email)
{
    public bool ByEmail => Channel is ContactChannel.Email or ContactChannel.Both && Email is not null;
    public bool ByPaper => Channel is ContactChannel.Paper or ContactChannel.Both || !ByEmail;
}

/// <summary>An address waiting for its owner to confirm it, through the single-use link sent to it.</summary>
public sealed record PendingEmail(Guid VerificationId, string Address, DateTimeOffset ExpiresAt);

/// <summary>The contact in force changed. <see cref="Email"/> is always a confirmed address (or none).</summary>
public sealed record ContactPreferencesChanged(Guid AccountId, ContactChannel Channel, string? Email, DateTimeOffset ChangedAt);

/// <summary>Someone asked for notices to go to a new address; it is used only once its owner confirms it.</summary>
public sealed record ContactEmailVerificationRequested(Guid AccountId, Guid VerificationId, string Address, DateTimeOffset ExpiresAt,
    DateTimeOffset RequestedAt);

/// <summary>The owner of a pending address followed its link: from now on notices go there.</summary>
public sealed record ContactEmailVerified(Guid AccountId, Guid VerificationId, string Address, DateTimeOffset VerifiedAt);

/// <summary>A change of contact; <paramref name="VerificationId"/> names the confirmation a new address will need.</summary>
public sealed record ChangeContactPreferences(Guid AccountId, ContactChannel Channel, string? Email, Guid VerificationId = default) : IAccountCommand
{
    public Guid AnswerId => AccountId;

    public Decision Decide(Account account, Facts facts) => ContactPreferenceChanges.Decide(account, this, VerificationId, facts.Now);
}

public sealed record VerifyContactEmail(Guid AccountId, Guid VerificationId) : IAccountCommand
{
    public Guid AnswerId => AccountId;

    public Decision Decide(Account account, Facts facts) => ContactPreferenceChanges.Verify(account, this, facts.Now);
}

public static class ContactPreferenceChanges
{
    public const int MaxEmailLength = 254;

    /// <summary>How long a confirmation link works.</summary>
    public static readonly TimeSpan VerificationLifetime = TimeSpan.FromHours(24);

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

    /// <summary>The owner of a pending address confirmed it: once, before its link expires, and only the latest one asked for.</summary>
    public static Decision Verify(Account account, VerifyContactEmail command, DateTimeOffset now)
    {
        if (account.PendingEmail is not { } pending || pending.VerificationId != command.VerificationId)
            return Decision.Reject(new Rejection("verification-not-pending",
                "This confirmation link was already used, was replaced by a newer one, or never existed.", IsConflict: true,
                Reference: command.VerificationId));
        if (now >= pending.ExpiresAt)
            return Decision.Reject(new Rejection("verification-expired",
                $"This confirmation link expired at {pending.ExpiresAt:u}; change the contact again to get a new one.", IsConflict: true,
                Reference: pending.VerificationId));
        return Decision.Accept(new ContactEmailVerified(account.Id, pending.VerificationId, pending.Address, now));
    }

    // One bare address, no display name, no list: it becomes an SMTP recipient as it is.
    private static bool IsEmail(string value) =>
        value.Length <= MaxEmailLength && MailAddress.TryCreate(value, out var parsed) && parsed.Address == value && parsed.DisplayName.Length == 0
        && value.IndexOfAny([' ', ',', ';', '<', '>', '\r', '\n']) < 0 && value.Split('@')[1].Contains('.');
}
