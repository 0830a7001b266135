using System.Text.Json;
using Ledger.Domain.Accounts;
using Ledger.Domain.Statements;

namespace Ledger.Domain.Tests.Statements;

/// <summary>
/// The billing calendar of the statement tests: billing day 15, the first bill cut off at midnight UTC on 15 March
/// (the account was opened on 1 March), the next one on 15 April. Commit times are separate from business times.
/// </summary>
public static class Billing
{
    public static readonly DateTimeOffset Cutoff = new(2025, 3, 15, 0, 0, 0, TimeSpan.Zero);
    /// <summary>15 March + 21 days.</summary>
    public static readonly DateOnly DueDate = new(2025, 4, 5);
    /// <summary>When the statement run committed the first bill, a few minutes after its cut-off.</summary>
    public static readonly DateTimeOffset IssuedAt = Cutoff.AddMinutes(5);

    /// <summary>Activity of the second period (business and commit time).</summary>
    public static readonly DateTimeOffset InApril = new(2025, 4, 2, 10, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset NextCutoff = new(2025, 4, 15, 0, 0, 0, TimeSpan.Zero);
    /// <summary>15 April + 21 days.</summary>
    public static readonly DateOnly NextDueDate = new(2025, 5, 6);
    public static readonly DateTimeOffset NextIssuedAt = NextCutoff.AddMinutes(5);
    public static readonly DateTimeOffset ThirdCutoff = new(2025, 5, 15, 0, 0, 0, TimeSpan.Zero);

    public static readonly Guid Statement = Guid.Parse("5a000000-0000-0000-0000-000000000001");
    public static readonly Guid NextStatement = Guid.Parse("5a000000-0000-0000-0000-000000000002");
    public static readonly Guid ThirdStatement = Guid.Parse("5a000000-0000-0000-0000-000000000003");

    /// <summary>The first bill of <see cref="Events.Opened"/>'s account, before its lines and figures are filled in.</summary>
    public static readonly StatementContent First = new(
        Statement, Ids.Account, Ids.AccountNumber, "Ada Lovelace", Events.Home, "USD",
        PeriodStart: At.Opened, PeriodEnd: Cutoff, OpeningBalance: 0m, Lines: [], ClosingBalance: 0m, AmountDue: 0m,
        DueDate: DueDate, CoveredThroughVersion: 0);

    /// <summary>The second bill, before its opening balance, lines and figures are filled in.</summary>
    public static readonly StatementContent Next = First with
    {
        StatementId = NextStatement, PeriodStart = Cutoff, PeriodEnd = NextCutoff, DueDate = NextDueDate,
    };

    /// <summary>Member by member: a content's lines are a list, which record equality compares by reference.</summary>
    public static void ThenStatement(this StatementContent? actual, StatementContent expected)
    {
        actual.Should().NotBeNull();
        actual.Should().BeEquivalentTo(expected, options => options.ComparingRecordsByMembers().WithStrictOrdering());
    }

    /// <summary>As the reprint endpoint compares a recomposed bill with the recorded one.</summary>
    public static string Json(StatementContent? content) => JsonSerializer.Serialize(content);
}

/// <summary>A stream as the store recorded it: versions from 1 in order, each event with the moment it was committed.</summary>
public static class Recorded
{
    public static IReadOnlyList<RecordedEvent> Stream(params (DateTimeOffset RecordedAt, object Data)[] events) =>
        events.Select((e, i) => new RecordedEvent(i + 1, e.RecordedAt, e.Data)).ToList();

    /// <summary>The stream with <paramref name="data"/> committed next, at <paramref name="recordedAt"/>.</summary>
    public static IReadOnlyList<RecordedEvent> Then(this IReadOnlyList<RecordedEvent> stream, DateTimeOffset recordedAt, object data) =>
        [.. stream, new RecordedEvent(stream.Count + 1, recordedAt, data)];

    /// <summary>What the statement run does: compose at <paramref name="cutoff"/> and commit the bill at <paramref name="issuedAt"/>.</summary>
    public static IReadOnlyList<RecordedEvent> Issue(this IReadOnlyList<RecordedEvent> stream, DateTimeOffset cutoff, Guid statementId,
        DateTimeOffset issuedAt) =>
        stream.Then(issuedAt, Issued(Composing.Compose(stream, cutoff, statementId)
                                     ?? throw new InvalidOperationException($"Nothing to bill at {cutoff:O}."), issuedAt));

    public static StatementIssued Issued(StatementContent content, DateTimeOffset issuedAt) =>
        new(content.AccountId, content, 1, $"sha-of-{content.StatementId}", issuedAt);

    /// <summary>The content recorded by the bill <paramref name="statementId"/>.</summary>
    public static StatementContent Bill(this IReadOnlyList<RecordedEvent> stream, Guid statementId) =>
        stream.Select(e => e.Data).OfType<StatementIssued>().Single(s => s.Content.StatementId == statementId).Content;

    /// <summary>The stream with the event at <paramref name="version"/> rewritten behind the store's back.</summary>
    public static IReadOnlyList<RecordedEvent> Tampered(this IReadOnlyList<RecordedEvent> stream, long version, Func<object, object> rewrite) =>
        stream.Select(e => e.Version == version ? e with { Data = rewrite(e.Data) } : e).ToList();

    /// <summary>The entries billed, in order, by every line of every bill recorded in the stream.</summary>
    public static IEnumerable<Guid> BilledEntries(this IReadOnlyList<RecordedEvent> stream) =>
        stream.Select(e => e.Data).OfType<StatementIssued>().SelectMany(s => s.Content.Lines).Select(l => l.EntryId);

    /// <summary>The id every balance-moving event of the stream adds a line under.</summary>
    public static IEnumerable<Guid> Postings(this IReadOnlyList<RecordedEvent> stream) => stream.Select(e => e.Data).Select(d => d switch
    {
        ChargePosted c => c.EntryId,
        PaymentReceived p => p.EntryId,
        CreditIssued c => c.EntryId,
        EntryCorrected c => c.CorrectionId,
        CorrectionReversed r => r.ReversalId,
        _ => Guid.Empty,
    }).Where(id => id != Guid.Empty);
}
