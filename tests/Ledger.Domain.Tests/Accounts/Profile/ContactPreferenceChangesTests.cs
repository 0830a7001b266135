using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Profile;

namespace Ledger.Domain.Tests.Accounts.Profile;

public class ContactPreferenceChangesTests
{
    private static readonly Guid Verification = Guid.Parse("e0000000-0000-0000-0000-00000000000e");
    private static readonly DateTimeOffset LinkExpires = At.Now + ChangeContactPreferences.VerificationLifetime;

    private static Decision Change(Account account, ContactChannel channel, string? email) =>
        ChangeContactPreferences.Decide(account, new ChangeContactPreferences(Ids.Account, channel, email), Verification, At.Now);

    private static Decision Verify(Account account, Guid verificationId, DateTimeOffset now) =>
        VerifyContactEmail.Decide(account, new VerifyContactEmail(Ids.Account, verificationId), now);

    [Fact]
    public void Given_open_account_When_email_chosen_Then_the_channel_is_recorded_and_the_trimmed_address_asked_to_confirm()
    {
        // Found by review: an unconfirmed address got notices at once, so the ledger could be made to mail anyone.
        Change(Given.Account(Events.Opened()), ContactChannel.Email, " ada@example.org ").ThenEvents(
            new ContactPreferencesChanged(Ids.Account, ContactChannel.Email, null, At.Now),
            new ContactEmailVerificationRequested(Ids.Account, Verification, "ada@example.org", LinkExpires, At.Now));
    }

    [Fact]
    public void Given_a_confirmed_address_When_another_is_chosen_Then_notices_stay_with_the_confirmed_one_until_the_new_is_confirmed()
    {
        var account = Given.Account(Events.Opened(), new ContactPreferencesChanged(Ids.Account, ContactChannel.Email, "ada@example.org", At.Opened));

        var decision = Change(account, ContactChannel.Email, "mallory@example.org");

        decision.ThenEvents(new ContactEmailVerificationRequested(Ids.Account, Verification, "mallory@example.org", LinkExpires, At.Now));
        var pending = Given.Account([Events.Opened(), new ContactPreferencesChanged(Ids.Account, ContactChannel.Email, "ada@example.org", At.Opened),
            .. decision.Events]);
        pending.Contact!.Email.Should().Be("ada@example.org");
        pending.PendingEmail!.Address.Should().Be("mallory@example.org");
    }

    [Fact]
    public void Given_a_pending_address_When_its_link_is_followed_in_time_Then_it_becomes_the_contact_once()
    {
        var pending = Given.Account(Events.Opened(), new ContactPreferencesChanged(Ids.Account, ContactChannel.Email, null, At.Now),
            new ContactEmailVerificationRequested(Ids.Account, Verification, "ada@example.org", LinkExpires, At.Now));

        var decision = Verify(pending, Verification, At.Now.AddHours(1));

        decision.ThenEvents(new ContactEmailVerified(Ids.Account, Verification, "ada@example.org", At.Now.AddHours(1)));
        var confirmed = Given.Account([Events.Opened(), new ContactPreferencesChanged(Ids.Account, ContactChannel.Email, null, At.Now),
            new ContactEmailVerificationRequested(Ids.Account, Verification, "ada@example.org", LinkExpires, At.Now), .. decision.Events]);
        confirmed.Contact.Should().Be(new ContactPreferences(ContactChannel.Email, "ada@example.org"));
        Verify(confirmed, Verification, At.Now.AddHours(2)).ThenConflict("verification-not-pending", Verification);
    }

    [Fact]
    public void Given_a_pending_address_When_the_link_is_late_or_replaced_Then_rejected()
    {
        var pending = Given.Account(Events.Opened(), new ContactPreferencesChanged(Ids.Account, ContactChannel.Email, null, At.Now),
            new ContactEmailVerificationRequested(Ids.Account, Verification, "ada@example.org", LinkExpires, At.Now));

        var replaced = Guid.Parse("e0000000-0000-0000-0000-0000000000ff");
        Verify(pending, Verification, LinkExpires).ThenConflict("verification-expired", Verification);
        Verify(pending, replaced, At.Now).ThenConflict("verification-not-pending", replaced);
        Change(pending, ContactChannel.Email, "ada@example.org").ThenConflict("confirmation-already-sent", Verification);
    }

    [Fact]
    public void Given_an_email_choice_without_a_confirmed_address_Then_notices_go_on_paper()
    {
        var preferences = new ContactPreferences(ContactChannel.Email, null);

        preferences.ByEmail.Should().BeFalse();
        preferences.ByPaper.Should().BeTrue();
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
