using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Charging;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Approvals;
using Ledger.Api.Infrastructure;
using Ledger.Api.Notifications;
using Ledger.Api.Limits;
using Ledger.Domain;
using Ledger.Domain.Approvals;
using Ledger.Domain.Accounts.Crediting;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace Ledger.Api.Accounts.Crediting;

public sealed record IssueCreditRequest(decimal? Amount, string? ReasonCode, string? Reason, string? OverrideReason);

public sealed class IssueCreditValidator : AbstractValidator<IssueCreditRequest>
{
    public IssueCreditValidator()
    {
        RuleFor(r => r.Amount).NotNull();
        RuleFor(r => r.ReasonCode).NotEmpty().MaximumLength(50);
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
        RuleFor(r => r.OverrideReason).MaximumLength(500);
    }
}

public sealed record IssueCreditMessage(IssueCredit Command, Guid ApprovalId, string? OverrideReason, RequestContext Context) : IAccountMessage
{
    public Guid AccountId => Command.AccountId;
}

/// <summary>Posting rules first (a valid credit at all?), then authority: applied at once, an override, or a request for approval.</summary>
public static class IssueCreditHandler
{
    public static async Task<(CommandOutcome, OutgoingMessages)> Handle(IssueCreditMessage message, IDocumentSession session,
        IOptions<LedgerOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var now = message.Context.Now(clock);
        var authority = new PostingAuthority(session, message.Context.Actor, now);
        Decision? decided = null;
        var (outcome, notices) = await NotifyingWrites.ApplyAsync(session, message.Context, message.AccountId, message.Command.EntryId,
            async (account, _, token) =>
            {
                var posting = Domain.Accounts.Crediting.Crediting.Decide(account, message.Command, options.Value.PostingCeiling, now);
                var limits = posting.IsAccepted ? await authority.LoadAsync(token) : null;
                return decided = limits is null ? posting
                    : Authority.ForCredit(account, posting, authority.Poster, limits, message.OverrideReason, message.ApprovalId, now);
            },
            clock, ct);
        if (outcome.Kind == OutcomeKind.Applied && decided is not null)
            authority.Record(decided, message.AccountId, message.Command.EntryId);
        notices.AddRange(ApprovalExpiry.ScheduleFor(decided));
        return (outcome, notices);
    }
}

public static class IssueCreditEndpoint
{
    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapPost("/{accountId:guid}/credits", (Guid accountId, IssueCreditRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
        {
            var command = new IssueCredit(accountId, Guid.CreateVersion7(), body.Amount!.Value, body.ReasonCode!, body.Reason!);
            return Writes.SendAsync(http, bus, query, new IssueCreditMessage(command, Guid.CreateVersion7(), body.OverrideReason, Writes.Context(http)),
                PostChargeEndpoint.EntryLocation);
        })
        .Validated<IssueCreditRequest>()
        .RequireAuthorization(Policies.RequestCredit)
        .WithName("IssueCredit")
        .WithSummary("Credit the account: 201 when within the caller's limits, 202 with an approvalId when it needs a manager " +
                     "(customers' credits always become requests to the desk). Managers above a CSR's limit give an overrideReason.");
}
