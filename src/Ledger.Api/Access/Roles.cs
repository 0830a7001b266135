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
