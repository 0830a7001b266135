using Ledger.Api.Access;
using Ledger.Domain.Accounts;

namespace Ledger.Api.Portal.Shared;

/// <summary>The heading and tabs shown on every page about one account; the tabs a role cannot use are not shown.</summary>
public sealed record AccountNav(Account Account, string Current, Actor Actor)
{
    public IEnumerable<(string Key, string Title, string Href)> Tabs()
    {
        var root = $"/portal/accounts/{Account.Id}";
        yield return ("overview", "Overview", root);
        yield return ("statements", "Statements", $"{root}/statements");
        if (Actor.Role is Roles.Customer or Roles.Csr or Roles.Manager)
        {
            yield return ("pay", "Pay", $"{root}/pay");
            if (Account.RefundableCredit > 0m || !Account.PendingRefunds.IsEmpty)
                yield return ("refund", "Refund", $"{root}/refund");
            yield return ("profile", "Address & contact", $"{root}/profile");
            yield return ("requests", "Requests", $"{root}/requests/new");
        }
        if (Actor.Role is Roles.Csr or Roles.Manager)
            yield return ("post", "Post", $"{root}/post");
        if (Actor.Role is Roles.Csr or Roles.Manager or Roles.Auditor)
            yield return ("history", "History & as-of", $"{root}/history");
    }
}
