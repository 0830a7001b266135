using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain;
using Ledger.Domain.Corporate;
using Marten;
using Wolverine;

namespace Ledger.Api.Corporate;

/// <summary>A node as a corporate admin sees it: where it sits, its level, and the member accounts directly under it.</summary>
public sealed record NodeView(Guid Id, Guid? ParentId, string Name, NodeKind Kind, bool Closed, int Depth, IReadOnlyList<Guid> Members);

/// <summary>
/// A tree, or the part of it the caller administers (<see cref="RootId"/> is then their node), as it stands or as it stood
/// at <see cref="AsOf"/>; <see cref="Version"/> is the tree's, for If-Match.
/// </summary>
public sealed record TreeView(string CorporateId, Guid TreeId, long Version, Guid RootId, IReadOnlyList<NodeView> Nodes, DateTimeOffset? AsOf,
    IReadOnlyList<ProfileTemplate> Templates, IReadOnlyList<MemberTemplate> MemberTemplates)
{
    /// <summary>Who hears of the tree's alerts by e-mail (shown to those who administer all of it).</summary>
    public CorporateContact? Contact { get; init; }

    /// <summary>The budgets in force under the root (set on nodes and members, and members' from their templates), as of the view's moment.</summary>
    public IReadOnlyList<BudgetInForce> Budgets { get; init; } = [];

    /// <summary>The nodes under the root that pay for their members, and in which currency.</summary>
    public IReadOnlyList<PayingNode> PayingNodes { get; init; } = [];

    public static TreeView From(CorporateTree tree, Guid? scope, DateTimeOffset? asOf)
    {
        var root = scope ?? tree.RootId;
        var nodes = tree.Subtree(root).Select(id => tree.Nodes[id]).OrderBy(n => tree.Depth(n.Id)).ThenBy(n => n.Name, StringComparer.Ordinal)
            .Select(n => new NodeView(n.Id, n.Id == root ? null : n.ParentId, n.Name, n.Kind, n.Closed, tree.Depth(n.Id),
                tree.Members.Where(m => m.Value == n.Id).Select(m => m.Key).Order().ToList()))
            .ToList();
        var members = nodes.SelectMany(n => n.Members).ToHashSet();
        return new TreeView(tree.CorporateId, tree.Id, tree.Version, root, nodes, asOf,
            tree.Templates.Values.OrderBy(t => t.Code, StringComparer.Ordinal).ToList(),
            tree.MemberTemplates.Where(m => members.Contains(m.Key)).OrderBy(m => m.Key).Select(m => new MemberTemplate(m.Key, m.Value)).ToList())
        {
            Contact = root == tree.RootId ? tree.Contact : null,
            Budgets = tree.EffectiveBudgets()
                .Where(b => tree.Nodes.ContainsKey(b.Budget.TargetId) ? tree.IsWithin(b.Budget.TargetId, root) : members.Contains(b.Budget.TargetId))
                .Select(b => new BudgetInForce(b.Budget.TargetId, b.Budget.Amount, b.Budget.Currency, b.Budget.Thresholds, b.FromTemplate)).ToList(),
            PayingNodes = tree.Billing.Where(p => tree.IsWithin(p.Key, root)).OrderBy(p => p.Key)
                .Select(p => new PayingNode(p.Key, p.Value, tree.BillingSince[p.Key])).ToList(),
        };
    }
}

/// <summary>A monthly budget in force on a node or member (<see cref="FromTemplate"/>: the member's template it comes from).</summary>
public sealed record BudgetInForce(Guid TargetId, decimal Amount, string Currency, IReadOnlyList<int> Thresholds, string? FromTemplate);

/// <summary>A node that pays for its members, in <see cref="Currency"/>, since <see cref="Since"/>.</summary>
public sealed record PayingNode(Guid NodeId, string Currency, DateTimeOffset Since);

/// <summary>The profile template a member account was given.</summary>
public sealed record MemberTemplate(Guid AccountId, string Template);

public sealed record CreateCorporateRequest(string? CorporateId, string? Name);

public sealed class CreateCorporateValidator : AbstractValidator<CreateCorporateRequest>
{
    public CreateCorporateValidator()
    {
        RuleFor(r => r.CorporateId).NotEmpty().MaximumLength(64);
        RuleFor(r => r.Name).NotEmpty().MaximumLength(100);
    }
}

public sealed record CreateNodeRequest(Guid? ParentId, string? Name, NodeKind? Kind);

public sealed class CreateNodeValidator : AbstractValidator<CreateNodeRequest>
{
    public CreateNodeValidator()
    {
        RuleFor(r => r.ParentId).NotNull();
        RuleFor(r => r.Name).NotEmpty().MaximumLength(100);
        RuleFor(r => r.Kind).NotNull().IsInEnum();
    }
}

public sealed record RenameNodeRequest(string? Name);

public sealed class RenameNodeValidator : AbstractValidator<RenameNodeRequest>
{
    public RenameNodeValidator() => RuleFor(r => r.Name).NotEmpty().MaximumLength(100);
}

public sealed record MoveRequest(Guid? ParentId);

public sealed class MoveRequestValidator : AbstractValidator<MoveRequest>
{
    public MoveRequestValidator() => RuleFor(r => r.ParentId).NotNull();
}

public sealed record PlaceMemberRequest(Guid? NodeId);

public sealed class PlaceMemberValidator : AbstractValidator<PlaceMemberRequest>
{
    public PlaceMemberValidator() => RuleFor(r => r.NodeId).NotNull();
}

public static class TreeEndpoints
{
    /// <summary>Refusals that mean "not there for you": another tree's node, a node outside what the caller administers.</summary>
    private static readonly HashSet<string> NotFoundRules = ["corporate-not-found", "node-not-found", "member-not-found"];
    // (A template named in a body that does not exist is a 422 naming the field, not a missing resource.)

    public static void MapCorporateTrees(this WebApplication app)
    {
        var corporates = app.MapGroup("/api/corporates").WithTags("Corporate accounts");

        corporates.MapPost("/", async (CreateCorporateRequest body, HttpContext http, IQuerySession query, IMessageBus bus) =>
            {
                var treeId = CorporateTree.StreamIdFor(body.CorporateId!);
                var context = Writes.Context(http) with { ExpectedVersion = null };
                return await WriteAsync(http, query, bus, body.CorporateId!, new CreateCorporate(treeId, body.CorporateId!, Guid.CreateVersion7(), body.Name!),
                    (treeId, null), context, created: true);
            })
            .Validated<CreateCorporateRequest>()
            .RequireAuthorization(AccessPolicies.Desk)
            .WithName("CreateCorporate").Produces<TreeView>(StatusCodes.Status201Created).Write(answers: false, ifMatch: false, onAccount: false)
            .WithSummary("Open a corporate customer (the desk): its tree, with the company at the root. Its admins then build the tree (role " +
                         "corporate-admin, bound to it by the token's corporate_id).");

        corporates.MapGet("/{corporateId}", async (string corporateId, DateTimeOffset? asOf, HttpContext http, IQuerySession query) =>
            {
                if (CorporateAccess.ReachOf(http, corporateId) is not { } reach)
                    return Problems.NotFound($"Corporate customer '{Short(corporateId)}'");
                var (treeId, scope) = reach;
                var tree = asOf is { } moment
                    ? (await query.Events.FetchStreamAsync(treeId, token: http.RequestAborted)).Where(e => e.Timestamp <= moment)
                        .Aggregate((CorporateTree?)null, (t, e) => CorporateTree.Evolve(t, e.Data, e.Version))
                    : await query.LoadAsync<CorporateTree>(treeId, http.RequestAborted);
                if (tree is null || (scope is { } node && !tree.Nodes.ContainsKey(node)))
                    return Problems.NotFound($"Corporate customer '{Short(corporateId)}'{(asOf is null ? "" : $" as of {asOf:O}")}");
                http.Response.Headers.ETag = ETags.For(tree.Version);
                return Results.Ok(TreeView.From(tree, scope, asOf));
            })
            .RequireAuthorization(AccessPolicies.CorporateRead)
            .WithName("GetCorporateTree").Versioned()
            .WithSummary("The tree (for a corporate admin limited to a node: the part under it) with each node's level and member accounts; " +
                         "asOf: as it stood then — where every node and member was on that date.")
            .Produces<TreeView>()
            .Refuses(StatusCodes.Status404NotFound);

        corporates.MapPost("/{corporateId}/nodes", (string corporateId, CreateNodeRequest body, HttpContext http, IQuerySession query, IMessageBus bus) =>
                Reached(http, corporateId, reach => WriteAsync(http, query, bus, corporateId,
                    new CreateNode(reach.TreeId, Guid.CreateVersion7(), body.ParentId!.Value, body.Name!, body.Kind!.Value), reach, created: true)))
            .Validated<CreateNodeRequest>()
            .RequireAuthorization(AccessPolicies.CorporateTrees)
            .WithName("CreateCorporateNode").Produces<TreeView>(StatusCodes.Status201Created).Write(answers: false, onAccount: false)
            .Refuses(StatusCodes.Status404NotFound)
            .WithSummary("Add a division or cost centre under a node (at most eight levels; names unique among a node's open children).");

        corporates.MapPut("/{corporateId}/nodes/{nodeId:guid}", (string corporateId, Guid nodeId, RenameNodeRequest body, HttpContext http,
                IQuerySession query, IMessageBus bus) =>
                Reached(http, corporateId, reach => WriteAsync(http, query, bus, corporateId, new RenameNode(reach.TreeId, nodeId, body.Name!), reach)))
            .Validated<RenameNodeRequest>()
            .RequireAuthorization(AccessPolicies.CorporateTrees)
            .WithName("RenameCorporateNode").Produces<TreeView>().Write(answers: false, onAccount: false)
            .Refuses(StatusCodes.Status404NotFound)
            .WithSummary("Rename a node.");

        corporates.MapPost("/{corporateId}/nodes/{nodeId:guid}/move", (string corporateId, Guid nodeId, MoveRequest body, HttpContext http,
                IQuerySession query, IMessageBus bus) =>
                Reached(http, corporateId, reach => WriteAsync(http, query, bus, corporateId, new MoveNode(reach.TreeId, nodeId, body.ParentId!.Value), reach)))
            .Validated<MoveRequest>()
            .RequireAuthorization(AccessPolicies.CorporateTrees)
            .WithName("MoveCorporateNode").Produces<TreeView>().Write(answers: false, onAccount: false)
            .Refuses(StatusCodes.Status404NotFound)
            .WithSummary("Move a node, with everything under it, under another: never under itself or its own descendants (422 tree-cycle), " +
                         "never past eight levels (422 tree-too-deep). Two admins moving at once: If-Match makes the second a 412, else each " +
                         "is decided on the tree as the other left it.");

        corporates.MapPost("/{corporateId}/nodes/{nodeId:guid}/closure", (string corporateId, Guid nodeId, HttpContext http, IQuerySession query,
                IMessageBus bus) =>
                Reached(http, corporateId, reach => WriteAsync(http, query, bus, corporateId, new CloseNode(reach.TreeId, nodeId), reach)))
            .RequireAuthorization(AccessPolicies.CorporateTrees)
            .WithName("CloseCorporateNode").Produces<TreeView>().Write(answers: false, onAccount: false)
            .Refuses(StatusCodes.Status404NotFound)
            .WithSummary("Close a node with nothing open under it and no members.");

        corporates.MapPut("/{corporateId}/members/{accountId:guid}", (string corporateId, Guid accountId, PlaceMemberRequest body, HttpContext http,
                IQuerySession query, IMessageBus bus) =>
                Reached(http, corporateId, async reach =>
                {
                    var tree = await query.LoadAsync<CorporateTree>(reach.TreeId, http.RequestAborted);
                    ITreeCommand command = tree?.Members.ContainsKey(accountId) == true
                        ? new MoveMember(reach.TreeId, accountId, body.NodeId!.Value)
                        : new AddMember(reach.TreeId, body.NodeId!.Value, accountId);
                    return await WriteAsync(http, query, bus, corporateId, command, reach);
                }))
            .Validated<PlaceMemberRequest>()
            .RequireAuthorization(AccessPolicies.CorporateTrees)
            .WithName("PlaceCorporateMember").Produces<TreeView>().Write(answers: false, onAccount: false)
            .Refuses(StatusCodes.Status404NotFound)
            .WithSummary("Put an existing account under a node, or move it there; an account belongs to one tree (409 member-of-another-tree).");

        corporates.MapDelete("/{corporateId}/members/{accountId:guid}", (string corporateId, Guid accountId, HttpContext http, IQuerySession query,
                IMessageBus bus) =>
                Reached(http, corporateId, reach => WriteAsync(http, query, bus, corporateId, new RemoveMember(reach.TreeId, accountId), reach)))
            .RequireAuthorization(AccessPolicies.CorporateTrees)
            .WithName("RemoveCorporateMember").Produces<TreeView>().Write(answers: false, onAccount: false)
            .Refuses(StatusCodes.Status404NotFound)
            .WithSummary("Take an account out of the tree (it stays an ordinary ledger account).");

        corporates.MapCorporateBudgets();
        corporates.MapProfileTemplates();
        corporates.MapConsolidatedBills();
        corporates.MapCorporatePayments();
        corporates.MapCorporateDeskLimits();
        corporates.MapCorporateContact();
        corporates.MapCorporateSpend();
    }

    internal static Task<IResult> Reached(HttpContext http, string corporateId, Func<(Guid TreeId, Guid? Scope), Task<IResult>> then) =>
        CorporateAccess.ReachOf(http, corporateId) is { } reach
            ? then(reach)
            : Task.FromResult<IResult>(Problems.NotFound($"Corporate customer '{Short(corporateId)}'"));

    internal static async Task<IResult> WriteAsync(HttpContext http, IQuerySession query, IMessageBus bus, string corporateId, ITreeCommand command,
        (Guid TreeId, Guid? Scope) reach, bool created = false) =>
        await WriteAsync(http, query, bus, corporateId, command, reach, Writes.Context(http), created);

    private static async Task<IResult> WriteAsync(HttpContext http, IQuerySession query, IMessageBus bus, string corporateId, ITreeCommand command,
        (Guid TreeId, Guid? Scope) reach, RequestContext context, bool created)
    {
        if (Writes.BadIdempotencyKey(context) is { } badKey)
            return badKey;
        CommandOutcome outcome;
        try
        {
            outcome = await Writes.OnceAsync(bus, query, context, new WriteTree(command, context, reach.Scope), command.TreeId, http.RequestAborted);
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            // Another tree took the account between this one's reading and its commit: the membership row refused the second.
            return Problems.Rule(new Rejection("member-of-another-tree", "The account was just made a member of another corporate customer's tree.",
                "accountId", IsConflict: true), StatusCodes.Status409Conflict);
        }
        if (outcome.Rejection is { } rejection && NotFoundRules.Contains(rejection.Rule))
            return Problems.Rule(rejection, StatusCodes.Status404NotFound);
        if (Writes.Refusal(outcome) is { } refused)
        {
            if (outcome.Kind == OutcomeKind.Stale)
                http.Response.Headers.ETag = ETags.For(outcome.Version);
            return TypedResults.Problem(refused);
        }
        await using var fresh = query.DocumentStore.QuerySession();
        var tree = await fresh.LoadAsync<CorporateTree>(command.TreeId, http.RequestAborted);
        http.Response.Headers.ETag = ETags.For(tree!.Version);
        var view = TreeView.From(tree, reach.Scope, null);
        return created ? TypedResults.Created($"/api/corporates/{corporateId}", view) : TypedResults.Ok(view);
    }

    private static string Short(string value) => value.Length > 64 ? value[..64] : value;
}
