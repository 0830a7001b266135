using Ledger.Domain;

namespace Ledger.Api.Portal.Shared;

/// <summary>
/// Where a refusal is shown: the field the rule names (the same name the API's ProblemDetails carry in `field`), or,
/// for rules that name none, the field the rule is about. Anything else is shown above the form.
/// </summary>
public static class RuleFields
{
    private static readonly Dictionary<string, string> ByRule = new()
    {
        ["correction-exceeds-remaining"] = "amount",
        ["profile-unchanged"] = "holderName",
        ["contact-unchanged"] = "channel",
        ["four-eyes"] = "note",
        ["approval-not-pending"] = "note",
        ["approval-expired"] = "note",
        ["approver-lacks-authority"] = "note",
        ["duplicate-pending-request"] = "amount",
    };

    public static string FieldFor(Rejection rejection) => rejection.Field ?? ByRule.GetValueOrDefault(rejection.Rule, "");
}
