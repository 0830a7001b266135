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

    /// <summary>A corporate customer's administrator: their tree (token claim <c>corporate_id</c>, or a subtree: <c>corporate_node</c>) and its accounts.</summary>
    public const string CorporateAdmin = "corporate-admin";

    public static readonly string[] All = [Customer, Csr, Manager, Auditor, Admin, Broker, CorporateAdmin];
}
