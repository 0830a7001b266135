using System.Net.Mail;

namespace Ledger.Domain.Accounts.Profile;

/// <summary>How the customer wants to be told about their account.</summary>
public enum ContactChannel { Email, Paper, Both }

/// <summary>The account's contact choice as its events left it; paper goes to the account's postal address.</summary>
public sealed record ContactPreferences(ContactChannel Channel, string? Email)
{
    public bool ByEmail => Channel is ContactChannel.Email or ContactChannel.Both && Email is not null;
    public bool ByPaper => Channel is ContactChannel.Paper or ContactChannel.Both;
}

public sealed record ContactPreferencesChanged(Guid AccountId, ContactChannel Channel, string? Email, DateTimeOffset ChangedAt);

public sealed record ChangeContactPreferences(Guid AccountId, ContactChannel Channel, string? Email);

public static class ContactPreferenceChanges
{
    public const int MaxEmailLength = 254;

    public static Decision Decide(Account account, ChangeContactPreferences command, DateTimeOffset now)
    {
        if (account.Status == AccountStatus.Closed)
            return Decision.Reject("account-closed", $"Account {account.AccountNumber} is closed; its contact details are frozen.");
        var email = string.IsNullOrWhiteSpace(command.Email) ? null : command.Email.Trim();
        if (email is null && command.Channel != ContactChannel.Paper)
            return Decision.Reject("email-required", "E-mail notices need an e-mail address.", "email");
        if (email is not null && !IsEmail(email))
            return Decision.Reject("email-invalid", "'email' is not a single e-mail address (name@domain).", "email");
        var wanted = new ContactPreferences(command.Channel, email);
        if (wanted == account.Contact)
            return Decision.Reject("contact-unchanged", "These are already the account's contact preferences; nothing to record.");
        return Decision.Accept(new ContactPreferencesChanged(account.Id, command.Channel, email, now));
    }

    // One bare address, no display name, no list: it becomes an SMTP recipient as it is.
    private static bool IsEmail(string value) =>
        value.Length <= MaxEmailLength && MailAddress.TryCreate(value, out var parsed) && parsed.Address == value && parsed.DisplayName.Length == 0
        && value.IndexOfAny([' ', ',', ';', '<', '>', '\r', '\n']) < 0 && value.Split('@')[1].Contains('.');
}
