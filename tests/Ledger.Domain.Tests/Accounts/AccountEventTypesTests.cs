using Ledger.Domain.Accounts;

namespace Ledger.Domain.Tests.Accounts;

/// <summary>
/// The list subscribers choose from (webhooks, the feed) is held to the domain: every record that carries an account id
/// and is not a command or a value is either on it or excluded here with the reason, so a new account event cannot
/// silently stay out of the feed.
/// </summary>
public class AccountEventTypesTests
{
    /// <summary>Records with an account id that are not events of the account's own stream.</summary>
    private static readonly Dictionary<string, string> NotAccountStreamEvents = new()
    {
        ["CreditAllowanceUsed"] = "the desk user's daily allowance, in the user's stream",
        ["CreditAllowanceReturned"] = "a draw given back on the desk user's daily allowance (several databases), in the user's stream",
        ["StatementReprinted"] = "a reprint record, kept beside the account in a stream of its own",
        ["BankLineMatched"] = "an event of the bank line's stream (the account hears of it through the payment it records)",
        ["BankLineAssigned"] = "an event of the bank line's stream",
        ["StatementContent"] = "a value: what a statement says, carried inside StatementIssued",
        ["Entry"] = "a value: an entry of the account as its events built it",
        ["ServiceRequestDrafted"] = "an event of the service request's own stream (the account hears of the request through what completing it does)",
        ["OpenDraft"] = "a command on a service request's stream, not an account's",
        ["CorporateMemberAdded"] = "an event of the corporate tree's stream: the account is placed in the tree, the account's own stream is not touched",
        ["CorporateMemberMoved"] = "an event of the corporate tree's stream",
        ["CorporateMemberRemoved"] = "an event of the corporate tree's stream",
        ["CorporateTemplateAssigned"] = "an event of the corporate tree's stream",
        ["CorporateTemplateUnassigned"] = "an event of the corporate tree's stream",
        ["CorporateChargeFlagged"] = "an event of the corporate tree's stream: the charge itself stays as the account recorded it",
        ["AssignTemplate"] = "a command on the corporate tree",
        ["FlagCharge"] = "a command on the corporate tree",
        ["ItemAllocation"] = "a value: part of a paying node's payment, carried inside CorporatePaymentReceived on the node's bill stream",
        ["OpenItem"] = "a value: a member's open charge, read to allocate a paying node's payment",
        ["RecordedDecision"] = "a value: a desk decision as the policy simulation reads it, never recorded",
        ["DecisionDifference"] = "a value: a line of the policy simulation's report, never recorded",
        ["MemberSection"] = "a value: a member's part of a consolidated bill, carried inside ConsolidatedBillIssued on the paying node's bill stream",
        ["AddMember"] = "a command on a corporate tree's stream",
        ["MoveMember"] = "a command on a corporate tree's stream",
        ["RemoveMember"] = "a command on a corporate tree's stream",
    };

    private static IEnumerable<Type> AccountRecords() =>
        typeof(Account).Assembly.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetMethod("<Clone>$") is not null) // records
            .Where(t => t.GetProperty("AccountId")?.PropertyType == typeof(Guid))
            .Where(t => !typeof(IAccountCommand).IsAssignableFrom(t))
            .Where(t => t.Namespace is not null && !t.Namespace.StartsWith("Ledger.Domain.Notifications", StringComparison.Ordinal))
            .Where(t => !t.Name.EndsWith("Command", StringComparison.Ordinal) && !t.Name.EndsWith("Request", StringComparison.Ordinal) ||
                        AccountEventTypes.All.Contains(t));

    [Fact]
    public void Every_event_record_of_an_account_stream_is_on_the_list_or_excluded_with_a_reason()
    {
        var missing = AccountRecords().Where(t => !AccountEventTypes.All.Contains(t) && !NotAccountStreamEvents.ContainsKey(t.Name))
            .Select(t => t.FullName).ToList();
        missing.Should().BeEmpty("each is either an account event (add it to AccountEventTypes.All) or excluded above with why");
    }

    [Fact]
    public void The_list_names_each_type_once_and_only_records_with_an_account_id()
    {
        AccountEventTypes.All.Should().OnlyHaveUniqueItems();
        AccountEventTypes.All.Should().OnlyContain(t => t.GetProperty("AccountId") != null);
        NotAccountStreamEvents.Keys.Should().OnlyContain(name => AccountRecords().Any(t => t.Name == name),
            "an exclusion that names nothing is stale");
    }
}
