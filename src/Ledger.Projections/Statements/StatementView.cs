using JasperFx.Events;
using Ledger.Domain.Statements;
using Marten.Events.Projections;

namespace Ledger.Projections.Statements;

/// <summary>The list of an account's bills. A reprint never trusts this view: it goes back to the event and the stored bytes.</summary>
public sealed record StatementView(Guid Id, Guid AccountId, StatementContent Content, int TemplateVersion, string DocumentSha256,
    DateTimeOffset IssuedAt, int Reprints)
{
    /// <summary>The account stream version of the StatementIssued event: a reprint reads the history up to here, not what came after.</summary>
    public long IssuedVersion { get; init; }
}

/// <summary>Inline: a bill is listed the moment the run that issued it returns.</summary>
public sealed class StatementListProjection : MultiStreamProjection<StatementView, Guid>
{
    public StatementListProjection()
    {
        Identity<StatementIssued>(e => e.Content.StatementId);
        Identity<StatementReprinted>(e => e.StatementId);
    }

    public override StatementView? Evolve(StatementView? view, Guid id, IEvent e) => (view, e.Data) switch
    {
        (_, StatementIssued s) => new StatementView(s.Content.StatementId, s.AccountId, s.Content, s.TemplateVersion, s.DocumentSha256, s.IssuedAt, 0)
        {
            IssuedVersion = e.Version,
        },
        (not null, StatementReprinted) => view with { Reprints = view.Reprints + 1 },
        _ => view,
    };
}
