namespace Ledger.Api.Access;

public static class Roles
{
    public const string Customer = "customer";
    public const string Csr = "csr";
    public const string Manager = "manager";
    public const string Auditor = "auditor";
    public const string Admin = "admin";

    /// <summary>An outside broker: reads the collection risk of the accounts of their book (token claim <c>broker_id</c>), nothing else.</summary>
    public const string Broker = "broker";

    public static readonly string[] All = [Customer, Csr, Manager, Auditor, Admin, Broker];
}
