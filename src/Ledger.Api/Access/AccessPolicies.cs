using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ledger.Api.Access;

/// <summary>Authorization policies, named after what they let a caller do.</summary>
public static class AccessPolicies
{
    /// <summary>See an account: its owner, the desk, auditors, and systems granted <c>ledger.read</c>.</summary>
    public const string ReadAccounts = "read-accounts";

    /// <summary>Pay, dispute, change the profile: the owner, or the desk on the owner's behalf.</summary>
    public const string SelfServiceWrite = "self-service-write";

    /// <summary>Credits: the desk posts them; a customer's becomes a request to the desk.</summary>
    public const string RequestCredit = "request-credit";

    /// <summary>Open accounts, post charges, credits and corrections, resolve disputes.</summary>
    public const string Desk = "desk";

    /// <summary>Open accounts: the desk, and systems granted <c>ledger.accounts.write</c> (a CRM).</summary>
    public const string OpenAccounts = "open-accounts";

    /// <summary>Post charges: the desk, and systems granted <c>ledger.charges.write</c> (a rating engine).</summary>
    public const string PostCharges = "post-charges";

    /// <summary>Say that money arrived (bank statements, bank credits): managers, and systems granted <c>ledger.payments.write</c>.</summary>
    public const string ApplyBankCredits = "apply-bank-credits";

    /// <summary>Approve and reject requests that went over a limit (CSRs: customers' small requests only).</summary>
    public const string Approvals = "approvals";

    /// <summary>Read histories and audit trails: the desk and the auditors.</summary>
    public const string Audit = "audit";

    /// <summary>Ledger-wide verification: auditors (and managers).</summary>
    public const string Auditors = "auditors";

    /// <summary>See the approval queue: the deciders and the auditors.</summary>
    public const string ApprovalQueue = "approval-queue";

    /// <summary>Policy, and every staff member may read it.</summary>
    public const string StaffRead = "staff-read";

    public const string Admin = "admin";

    /// <summary>One account's summary: whoever may read accounts, and a broker for the accounts of their book.</summary>
    public const string ReadAccount = "read-account";

    /// <summary>A broker's own book and their calls to the desk.</summary>
    public const string Broker = "broker";

    /// <summary>Settle or fail a pending check or transfer from the bank's statement: managers.</summary>
    public const string ConfirmPayments = "confirm-payments";

    /// <summary>List the signed integrity anchors: the admins who take them and the auditors who rely on them.</summary>
    public const string ReadAnchors = "read-anchors";

    /// <summary>Service requests: customers their own, the desk all; auditors and admins read (the catalogue, requests, reports).</summary>
    public const string ServiceRequestsRead = "service-requests-read";

    /// <summary>Open and work service requests: customers their own, the desk on their behalf.</summary>
    public const string ServiceRequests = "service-requests";

    /// <summary>Service-request reports: managers and auditors.</summary>
    public const string ServiceRequestReports = "service-request-reports";

    /// <summary>Build and change corporate trees: their admins (their own tree, or the part they are given), and the desk.</summary>
    public const string CorporateTrees = "corporate-trees";

    /// <summary>Read corporate trees: their admins, the desk, auditors and admins.</summary>
    public const string CorporateRead = "corporate-read";

    /// <summary>Read /metrics outside Development: admins, and a scraper holding the scrape token (<see cref="MetricsScrape"/>).</summary>
    public const string ScrapeMetrics = "scrape-metrics";

    public static void AddLedgerPolicies(this AuthorizationBuilder builder)
    {
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, MetricsScrapeHandler>());
        builder
            .AddPolicy(ReadAccounts, p => p.RolesOrScope(MachineClients.Read, Roles.Customer, Roles.Csr, Roles.Manager, Roles.Auditor))
            .AddPolicy(ReadAccount, p => p.RolesOrScope(MachineClients.Read, Roles.Customer, Roles.Csr, Roles.Manager, Roles.Auditor, Roles.Broker,
                Roles.CorporateAdmin))
            .AddPolicy(Broker, p => p.RequireRole(Roles.Broker))
            .AddPolicy(OpenAccounts, p => p.RolesOrScope(MachineClients.AccountsWrite, Roles.Csr, Roles.Manager))
            .AddPolicy(PostCharges, p => p.RolesOrScope(MachineClients.ChargesWrite, Roles.Csr, Roles.Manager))
            .AddPolicy(ApplyBankCredits, p => p.RolesOrScope(MachineClients.PaymentsWrite, Roles.Manager))
            .AddPolicy(RequestCredit, p => p.RequireRole(Roles.Customer, Roles.Csr, Roles.Manager))
            .AddPolicy(SelfServiceWrite, p => p.RequireRole(Roles.Customer, Roles.Csr, Roles.Manager))
            .AddPolicy(Desk, p => p.RequireRole(Roles.Csr, Roles.Manager))
            .AddPolicy(Approvals, p => p.RequireRole(Roles.Csr, Roles.Manager))
            .AddPolicy(Auditors, p => p.RequireRole(Roles.Auditor, Roles.Manager))
            .AddPolicy(Audit, p => p.RequireRole(Roles.Csr, Roles.Manager, Roles.Auditor))
            .AddPolicy(ApprovalQueue, p => p.RequireRole(Roles.Csr, Roles.Manager, Roles.Auditor))
            .AddPolicy(StaffRead, p => p.RequireRole(Roles.Csr, Roles.Manager, Roles.Auditor, Roles.Admin))
            .AddPolicy(Admin, p => p.RequireRole(Roles.Admin))
            .AddPolicy(ConfirmPayments, p => p.RequireRole(Roles.Manager))
            .AddPolicy(ReadAnchors, p => p.RequireRole(Roles.Admin, Roles.Auditor))
            .AddPolicy(ServiceRequestsRead, p => p.RequireRole(Roles.Customer, Roles.Csr, Roles.Manager, Roles.Auditor, Roles.Admin))
            .AddPolicy(ServiceRequests, p => p.RequireRole(Roles.Customer, Roles.Csr, Roles.Manager))
            .AddPolicy(ServiceRequestReports, p => p.RequireRole(Roles.Manager, Roles.Auditor))
            .AddPolicy(CorporateTrees, p => p.RequireRole(Roles.CorporateAdmin, Roles.Csr, Roles.Manager))
            .AddPolicy(CorporateRead, p => p.RequireRole(Roles.CorporateAdmin, Roles.Csr, Roles.Manager, Roles.Auditor, Roles.Admin))
            // Bearer only: a scraper is no browser, and an anonymous one gets 401 rather than the portal's sign-in page.
            .AddPolicy(ScrapeMetrics, p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).AddRequirements(new MetricsScrape()));
    }

    // A person passes by a role, a system by a scope; the door (LedgerIdentity) lets no credential hold both.
    private static void RolesOrScope(this AuthorizationPolicyBuilder policy, string scope, params string[] roles) => policy
        .RequireAuthenticatedUser()
        .RequireAssertion(c => roles.Any(c.User.IsInRole) || MachineClients.HasScope(c.User, scope));
}
