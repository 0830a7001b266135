using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Profile;

namespace Ledger.Domain.Tests.Accounts.Profile;

public class ContactPreferenceChangesTests
{
    private static Decision Change(Account account, ContactChannel channel, string? email) =>
        ContactPreferenceChanges.Decide(account, new ChangeContactPreferences(Ids.Account, channel, email), At.Now);

    [Fact]
    public void Given_open_account_When_email_chosen_Then_contact_preferences_changed_with_the_trimmed_address()
    {
        Change(Given.Account(Events.Opened()), ContactChannel.Email, " ada@example.org ")
            .ThenEvents(new ContactPreferencesChanged(Ids.Account, ContactChannel.Email, "ada@example.org", At.Now));
    }

    [Fact]
    public void Given_open_account_When_paper_chosen_without_email_Then_contact_preferences_changed()
    {
        Change(Given.Account(Events.Opened()), ContactChannel.Paper, null)
            .ThenEvents(new ContactPreferencesChanged(Ids.Account, ContactChannel.Paper, null, At.Now));
    }

    [Theory]
    [InlineData(ContactChannel.Email, null, "email-required")]
    [InlineData(ContactChannel.Both, "  ", "email-required")]
    [InlineData(ContactChannel.Email, "ada@example.org, eve@example.org", "email-invalid")]
    [InlineData(ContactChannel.Email, "Ada <ada@example.org>", "email-invalid")]
    [InlineData(ContactChannel.Email, "ada@localhost", "email-invalid")]
    [InlineData(ContactChannel.Both, "not-an-address", "email-invalid")]
    public void Given_open_account_When_email_missing_or_not_one_address_Then_rejected(ContactChannel channel, string? email, string rule)
    {
        Change(Given.Account(Events.Opened()), channel, email).ThenRejected(rule, "email");
    }

    [Fact]
    public void Given_the_same_preferences_When_chosen_again_Then_rejected_contact_unchanged()
    {
        var account = Given.Account(Events.Opened(), new ContactPreferencesChanged(Ids.Account, ContactChannel.Both, "ada@example.org", At.Opened));
        Change(account, ContactChannel.Both, "ada@example.org").ThenRejected("contact-unchanged");
    }

    [Fact]
    public void Given_closed_account_When_contact_changed_Then_rejected_account_closed()
    {
        var closed = Given.Account(Events.Opened(), new AccountClosed(Ids.Account, "Moved away", At.Earlier));
        Change(closed, ContactChannel.Paper, null).ThenRejected("account-closed");
    }
}
