using Ledger.Api.Accounts.Categorizing;
using Ledger.Api.Accounts.Charging;
using Ledger.Api.Accounts.Correcting;
using Ledger.Api.Accounts.Crediting;
using Ledger.Api.Accounts.Disputing;
using Ledger.Api.Accounts.GettingDetails;
using Ledger.Api.Accounts.Lifecycle;
using Ledger.Api.Accounts.ListingEntries;
using Ledger.Api.Accounts.Opening;
using Ledger.Api.Accounts.Paying;
using Ledger.Api.Accounts.Profile;
using Ledger.Api.Statements;

namespace Ledger.Api.Accounts;

public static class AccountRoutes
{
    public static void MapAccounts(this WebApplication app)
    {
        var accounts = app.MapGroup("/api/accounts").WithTags("Accounts");
        OpenAccountEndpoint.Map(accounts);
        SearchAccountsEndpoint.Map(accounts);
        GetAccountEndpoint.Map(accounts);
        ListEntriesEndpoint.Map(accounts);
        PostChargeEndpoint.Map(accounts);
        StartPaymentEndpoint.Map(accounts);
        ConfirmPaymentEndpoints.Map(accounts);
        Refunding.RefundEndpoints.Map(accounts);
        IssueCreditEndpoint.Map(accounts);
        CorrectEntryEndpoint.Map(accounts);
        ReverseCorrectionEndpoint.Map(accounts);
        DisputeChargeEndpoint.Map(accounts);
        ResolveDisputeEndpoint.Map(accounts);
        ChangeStatusEndpoints.Map(accounts);
        ChangeProfileEndpoint.Map(accounts);
        ChangeContactPreferencesEndpoint.Map(accounts);
        CategorizeEntryEndpoint.Map(accounts);
        CategoryTotalsEndpoint.Map(accounts);
        Collections.WaiveLateFeeEndpoint.Map(accounts);
        Collections.PaymentPlanEndpoint.Map(accounts);
        Collections.BrokerEndpoints.Map(accounts);
        accounts.MapStatements();
        ConfirmContactEmailEndpoint.Map(app);
        Charging.PostChargesInBulkEndpoint.Map(app);
        BankCreditEndpoint.Map(app);
    }
}
