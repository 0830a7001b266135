using System.Globalization;
using Ledger.Domain.Policies;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Ledger.Api.Portal.Admin;

/// <summary>
/// The limits policy as form fields, one a limit, named as the API names them (csr.maxSingleCredit): the edit form and the
/// simulation share them, and a simulation's "save these limits" hands them to the edit form in its address.
/// </summary>
public static class LimitsForm
{
    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        ["maxSingleCredit"] = "Single credit up to",
        ["maxSingleCorrection"] = "Single correction up to",
        ["dailyCreditTotal"] = "Credits a day up to",
        ["accountCreditTotal30Days"] = "Credits to one account in 30 days up to",
        ["secondApprovalAbove"] = "Two managers' approvals above",
        ["approvalExpiryHours"] = "Approval requests expire after (hours)",
    };

    private static readonly IReadOnlyList<string> Names =
        PolicyDifferences.Limits(new LimitsPolicy(new RoleLimits(0, 0, 0, 0), new RoleLimits(0, 0, 0, 0), 0, 0)).Select(l => l.Name).ToList();

    /// <summary>The fields' values: what was sent (a query or a form), else the policy's.</summary>
    public static Dictionary<string, string> Values(LimitsPolicy policy, Func<string, string?> sent) =>
        PolicyDifferences.Limits(policy).ToDictionary(l => l.Name, l => sent(l.Name) is { Length: > 0 } value ? value : Format(l.Name, l.Value));

    public static string Format(string name, decimal value) =>
        name == "approvalExpiryHours" ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The query string that carries these values to the edit form.</summary>
    public static string Query(IReadOnlyDictionary<string, string> values) =>
        string.Join("&", values.Select(v => $"{Uri.EscapeDataString(v.Key)}={Uri.EscapeDataString(v.Value)}"));

    /// <summary>The policy the fields describe, or null with an error next to each field that is not a number.</summary>
    public static LimitsPolicy? Read(Func<string, string?> sent, ModelStateDictionary errors)
    {
        var numbers = new Dictionary<string, decimal>();
        foreach (var name in Names)
        {
            var text = sent(name)?.Trim();
            if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1_000_000_000m)
                numbers[name] = value;
            else
                errors.AddModelError(name, string.IsNullOrEmpty(text) ? "Required." : "A number of at least 0, such as 100.00.");
        }
        if (numbers.Count < Names.Count)
            return null;
        RoleLimits Role(string role) => new(numbers[$"{role}.maxSingleCredit"], numbers[$"{role}.maxSingleCorrection"], numbers[$"{role}.dailyCreditTotal"],
            numbers[$"{role}.accountCreditTotal30Days"]);
        var hours = numbers["approvalExpiryHours"];
        if (hours != decimal.Truncate(hours) || hours > int.MaxValue)
        {
            errors.AddModelError("approvalExpiryHours", "A whole number of hours.");
            return null;
        }
        return new LimitsPolicy(Role("csr"), Role("manager"), numbers["secondApprovalAbove"], (int)hours);
    }
}
