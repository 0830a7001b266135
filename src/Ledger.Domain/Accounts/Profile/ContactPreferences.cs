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
