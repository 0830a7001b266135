using System.Security.Claims;
using Ledger.Domain.Accounts;

namespace Ledger.Api.Access;

/// <summary>
/// Where a write came from: the customer's own site, the service desk, a system that reports facts (a card processor, a
/// bank, an in-house system), or the migration of the system the ledger replaced.
/// </summary>
public enum Channel { SelfService, Desk, Processor, Integration, Migration }

/// <summary>Who is acting, read from the validated token only; never from a request body.</summary>
public sealed record Actor(string UserId, string Role, Channel Channel, string? CustomerId)
{
    public const string CustomerIdClaim = "customer_id";
    public const string BrokerIdClaim = "broker_id";
    public const string CorporateIdClaim = "corporate_id";
    public const string CorporateNodeClaim = "corporate_node";

    /// <summary>For a broker: the book they are bound to (the token's <c>broker_id</c>).</summary>
    public string? BrokerId { get; init; }

    /// <summary>For a corporate admin: the tree they administer (the token's <c>corporate_id</c>), and the node they are limited to, if any.</summary>
    public string? CorporateId { get; init; }
    public Guid? CorporateNode { get; init; }

    // The most privileged role decides the channel and what is recorded; a manager who is also a csr acts as a manager.
    private static readonly string[] Precedence = [Roles.Admin, Roles.Manager, Roles.Csr, Roles.Auditor, Roles.Broker, Roles.CorporateAdmin, Roles.Customer];

    public static Actor From(ClaimsPrincipal user)
    {
        if (MachineClients.IsMachine(user))
            return Client(MachineClients.ClientIdOf(user) ?? throw new InvalidOperationException("A client token without a client id passed the door."));
        // LedgerIdentity refused every credential without a subject at the door, so this is a broken invariant, not bad input.
        var userId = SubjectOf(user) ?? throw new InvalidOperationException("An authenticated user without a subject or name.");
        var role = Precedence.FirstOrDefault(user.IsInRole) ?? "none";
        var customerId = user.FindFirstValue(CustomerIdClaim);
        return new Actor(userId, role, role is Roles.Customer or Roles.CorporateAdmin ? Channel.SelfService : Channel.Desk, customerId)
        {
            BrokerId = role == Roles.Broker ? user.FindFirstValue(BrokerIdClaim) : null,
            CorporateId = role == Roles.CorporateAdmin ? user.FindFirstValue(CorporateIdClaim) : null,
            CorporateNode = role == Roles.CorporateAdmin && Guid.TryParse(user.FindFirstValue(CorporateNodeClaim), out var node) ? node : null,
        };
    }

    /// <summary>An in-house system, over HTTP (client credentials) or through its queue: one actor either way.</summary>
    public static Actor Client(string clientId) => new($"client:{clientId}", MachineClients.Role, Channel.Integration, null);

    public static string? SubjectOf(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub") ?? user.Identity?.Name;

    public bool IsCustomer => Role == Roles.Customer;

    public bool IsBroker => Role == Roles.Broker;

    public bool IsCorporateAdmin => Role == Roles.CorporateAdmin;

    /// <summary>Customers and brokers are outside the company: they never see what staff write for each other.</summary>
    public bool IsOutside => IsCustomer || IsBroker || IsCorporateAdmin;

    /// <summary>
    /// A customer sees only accounts bound to the customer id in their token, a broker only those of the book in theirs;
    /// everyone else with read access sees all.
    /// </summary>
    public bool CanSee(Account account) => Role switch
    {
        Roles.Customer => CustomerId is not null && account.CustomerId == CustomerId,
        Roles.Broker => BrokerId is not null && account.BrokerId == BrokerId,
        // Whether an account is under a corporate admin's nodes is the tree's to say (AccountAccess asks it); never by default.
        Roles.CorporateAdmin => false,
        _ => true,
    };
}
