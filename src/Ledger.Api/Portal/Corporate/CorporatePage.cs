using Ledger.Api.Corporate;
using Ledger.Api.Portal.Shared;
using Ledger.Domain.Corporate;
using Marten;

namespace Ledger.Api.Portal.Corporate;

/// <summary>
/// A corporate admin's page: their tree, or the part under the node they administer, reached exactly as the API reaches it
/// (<see cref="CorporateAccess.Reach"/>).
/// </summary>
public abstract class CorporatePage : PortalPage
{
    public CorporateTree Tree { get; private set; } = null!;

    /// <summary>The node the admin administers: the company, or the node their sign-in names.</summary>
    public Guid Top { get; private set; }

    public Guid? Scope => Actor.CorporateNode;

    /// <summary>False when there is no tree (not opened yet) or the node is not in it: the page answers 404.</summary>
    protected async Task<bool> LoadTreeAsync(IQuerySession query)
    {
        if (Actor.CorporateId is not { } corporateId || CorporateAccess.Reach(Actor, corporateId) is not { } reach
            || await query.LoadAsync<CorporateTree>(reach.TreeId, HttpContext.RequestAborted) is not { } tree
            || (reach.Scope is { } node && !tree.Nodes.ContainsKey(node)))
            return false;
        (Tree, Top) = (tree, reach.Scope ?? tree.RootId);
        return true;
    }
}
