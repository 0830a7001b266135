namespace Ledger.Api.Access;

public static class Roles
{
    public const string Customer = "customer";
    public const string Csr = "csr";
    public const string Manager = "manager";
    public const string Auditor = "auditor";
    public const string Admin = "admin";

    public static readonly string[] All = [Customer, Csr, Manager, Auditor, Admin];
}

/// <summary>Authorization policies, named after what they let a caller do.</summary>
public static class Policies
{
    /// <summary>See an account: its owner, the desk, and auditors.</summary>
    public const string ReadAccounts = "read-accounts";

    /// <summary>Pay, dispute, change the profile: the owner, or the desk on the owner's behalf.</summary>
    public const string SelfServiceWrite = "self-service-write";

    /// <summary>Open accounts, post charges, credits and corrections, resolve disputes.</summary>
    public const string Desk = "desk";

    public static void AddLedgerPolicies(this Microsoft.AspNetCore.Authorization.AuthorizationBuilder builder) => builder
        .AddPolicy(ReadAccounts, p => p.RequireRole(Roles.Customer, Roles.Csr, Roles.Manager, Roles.Auditor))
        .AddPolicy(SelfServiceWrite, p => p.RequireRole(Roles.Customer, Roles.Csr, Roles.Manager))
        .AddPolicy(Desk, p => p.RequireRole(Roles.Csr, Roles.Manager));
}
