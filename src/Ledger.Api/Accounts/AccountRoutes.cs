using Ledger.Api.Accounts.Charging;
using Ledger.Api.Accounts.Opening;

namespace Ledger.Api.Accounts;

public static class AccountRoutes
{
    public static void MapAccounts(this WebApplication app)
    {
        var accounts = app.MapGroup("/api/accounts").WithTags("Accounts");
        OpenAccountEndpoint.Map(accounts);
        PostChargeEndpoint.Map(accounts);
    }
}
