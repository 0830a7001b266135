using System.Security.Claims;
using Ledger.Domain;
using Ledger.Domain.Accounts.Opening;
using Ledger.Domain.Payments;

namespace Ledger.Api.Access;

/// <summary>
/// The one rule for who a token (or a portal session) may stand for, checked once at the door, before any policy
/// or query sees it. Endpoint policies accept a caller when any of its roles passes, while which accounts it may
/// touch follows a single acting role; a token that mixes a customer with staff would be judged by one and scoped
/// by the other. So a credential is either a customer's or staff's, never both:
/// <list type="bullet">
/// <item>it names a subject and holds at least one ledger role;</item>
/// <item>a customer credential (the customer role, or any <c>customer_id</c> claim) holds the customer role only,
/// with exactly one well-formed customer id, which scopes everything it reads or writes;</item>
/// <item>a broker credential (the broker role, or any <c>broker_id</c> claim) likewise holds the broker role only, with exactly
/// one well-formed broker id: the book it may read;</item>
/// <item>a corporate admin's credential (the corporate-admin role, or any <c>corporate_id</c> claim) holds that role only, with
/// exactly one well-formed corporate id — the tree it administers — and at most one <c>corporate_node</c> (a node id: then only
/// the subtree under it);</item>
/// <item>a staff credential holds staff roles only and acts in the most privileged of them (see <see cref="Actor"/>);</item>
/// <item>a system's credential holds <c>ledger.*</c> scopes and no person's roles (see <see cref="MachineClients"/>).</item>
/// </list>
/// </summary>
public static class LedgerIdentity
{
    public const string NoSubject = "token-without-subject";
    public const string NoLedgerRole = "token-without-ledger-role";
    public const string MixedRoles = "mixed-customer-and-staff-token";
    public const string BadCustomerId = "customer-id-missing-or-invalid";
    public const string MixedBroker = "mixed-broker-token";
    public const string BadBrokerId = "broker-id-missing-or-invalid";
    public const string MixedCorporate = "mixed-corporate-admin-token";
    public const string BadCorporateId = "corporate-id-missing-or-invalid";

    /// <summary>Why this principal may not act in the ledger, or null when it may.</summary>
    public static Rejection? Refusal(ClaimsPrincipal user)
    {
        // A system's token (client credentials with ledger.* scopes) has rules of its own; it holds no roles.
        if (MachineClients.IsMachine(user))
            return MachineClients.Refusal(user);
        var subject = Actor.SubjectOf(user);
        if (string.IsNullOrWhiteSpace(subject))
            return new Rejection(NoSubject, "The token names no subject ('sub'), so nothing it does could be attributed to anyone.");
        // The subject is stored on every event the caller causes; the ledger stores no card numbers, not even there.
        if (CardNumbers.LooksLikeCardNumber(subject))
            return new Rejection(CardNumbers.Rule, "The token's subject looks like a card number, which the ledger never stores.");
        var roles = Roles.All.Where(user.IsInRole).ToList();
        if (roles.Count == 0)
            return new Rejection(NoLedgerRole, $"The token holds none of the ledger's roles ({string.Join(", ", Roles.All)}).");
        var brokerIds = user.FindAll(Actor.BrokerIdClaim).Select(c => c.Value).ToList();
        if (roles.Contains(Roles.Broker) || brokerIds.Count > 0)
        {
            if (roles is not [Roles.Broker] || user.FindAll(Actor.CustomerIdClaim).Any())
                return new Rejection(MixedBroker,
                    "The token is a broker's (role 'broker' or a 'broker_id' claim) and also holds another role or a customer id. Issue separate tokens.");
            return brokerIds is [var broker] && CustomerIds.IsValid(broker)
                ? null
                : new Rejection(BadBrokerId,
                    "A broker token carries exactly one 'broker_id' claim of 1 to 64 letters, digits, '.', '_', ':' or '-': the book it may read.");
        }
        var corporateIds = user.FindAll(Actor.CorporateIdClaim).Select(c => c.Value).ToList();
        var corporateNodes = user.FindAll(Actor.CorporateNodeClaim).Select(c => c.Value).ToList();
        if (roles.Contains(Roles.CorporateAdmin) || corporateIds.Count > 0 || corporateNodes.Count > 0)
        {
            if (roles is not [Roles.CorporateAdmin] || user.FindAll(Actor.CustomerIdClaim).Any())
                return new Rejection(MixedCorporate,
                    "The token is a corporate admin's (role 'corporate-admin' or a 'corporate_id' claim) and also holds another role or a customer id. " +
                    "Issue separate tokens.");
            return corporateIds is [var corporate] && CustomerIds.IsValid(corporate) && corporateNodes is [] or [_]
                                                    && corporateNodes.All(n => Guid.TryParse(n, out var node) && node != Guid.Empty)
                ? null
                : new Rejection(BadCorporateId,
                    "A corporate admin's token carries exactly one 'corporate_id' claim of 1 to 64 letters, digits, '.', '_', ':' or '-' (the tree it " +
                    "administers) and at most one 'corporate_node' claim, a node id (then only what is under that node).");
        }
        var customerIds = user.FindAll(Actor.CustomerIdClaim).Select(c => c.Value).ToList();
        var isCustomer = roles.Contains(Roles.Customer) || customerIds.Count > 0;
        if (!isCustomer)
            return null;
        if (roles is not [Roles.Customer])
            return new Rejection(MixedRoles,
                "The token is bound to a customer (role 'customer' or a 'customer_id' claim) and also holds a staff role. " +
                "A credential is either a customer's or staff's: issue separate tokens.");
        return customerIds is [var id] && CustomerIds.IsValid(id)
            ? null
            : new Rejection(BadCustomerId,
                "A customer token carries exactly one 'customer_id' claim of 1 to 64 letters, digits, '.', '_', ':' or '-'; " +
                "without it there is no way to tell whose accounts it may see.");
    }
}
