using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Profile;

namespace Ledger.Domain.Tests.Accounts.Profile;

public class ProfileChangesTests
{
    private static readonly Address NewHome = new("3 Baker Street", "Flat B", "London", "NW1 6XE", "GB");

    [Fact]
    public void Given_open_account_When_holder_renamed_Then_profile_changed_with_trimmed_name()
    {
        When.ChangeProfile(Given.Account(Events.Opened()), new ChangeProfile(Ids.Account, "  Ada King  ", Events.Home))
            .ThenEvents(new ProfileChanged(Ids.Account, "Ada King", Events.Home, At.Now));
    }

    [Fact]
    public void Given_open_account_When_address_changed_Then_profile_changed()
    {
        When.ChangeProfile(Given.Account(Events.Opened()), new ChangeProfile(Ids.Account, "Ada Lovelace", NewHome))
            .ThenEvents(new ProfileChanged(Ids.Account, "Ada Lovelace", NewHome, At.Now));
    }

    [Fact]
    public void Given_suspended_account_When_address_changed_Then_profile_changed()
    {
        When.ChangeProfile(Given.Account(Events.Opened(), Events.Suspended()), new ChangeProfile(Ids.Account, "Ada Lovelace", NewHome))
            .ThenEvents(new ProfileChanged(Ids.Account, "Ada Lovelace", NewHome, At.Now));
    }

    [Fact]
    public void Given_open_account_When_same_name_padded_and_an_equal_address_Then_rejected_profile_unchanged()
    {
        var sameAddress = new Address("12 Rue des Lilas", null, "Lyon", "69003", "FR");

        When.ChangeProfile(Given.Account(Events.Opened()), new ChangeProfile(Ids.Account, " Ada Lovelace ", sameAddress))
            .ThenRejected("profile-unchanged");
    }

    [Fact]
    public void Given_a_profile_already_changed_When_the_same_change_again_Then_rejected_profile_unchanged()
    {
        var account = Given.Account(Events.Opened(), Events.ProfileChanged("Ada King", NewHome));

        When.ChangeProfile(account, new ChangeProfile(Ids.Account, "Ada King", NewHome)).ThenRejected("profile-unchanged");
    }

    [Fact]
    public void Given_closed_account_When_profile_changed_Then_rejected_account_closed()
    {
        When.ChangeProfile(Given.Account(Events.Opened(), Events.Closed()), new ChangeProfile(Ids.Account, "Ada King", NewHome))
            .ThenRejected("account-closed");
    }
}
