namespace Ledger.Domain.BankStatements;

/// <summary>The ISO 20022 external return reason codes banks use most on returned checks and transfers, in words.</summary>
public static class ReturnReasons
{
    private static readonly Dictionary<string, string> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AC01"] = "Incorrect account number",
        ["AC04"] = "Account closed",
        ["AC06"] = "Account blocked",
        ["AG01"] = "Transaction forbidden on this account",
        ["AM04"] = "Insufficient funds",
        ["AM05"] = "Duplicate payment",
        ["BE04"] = "Missing creditor address",
        ["CUST"] = "Requested by the customer",
        ["DUPL"] = "Duplicate payment",
        ["FOCR"] = "Returned after a cancellation request",
        ["MD01"] = "No mandate",
        ["MD06"] = "Refund requested by the payer",
        ["MS02"] = "Refused by the payer",
        ["MS03"] = "Reason not given by the bank",
        ["RC01"] = "Incorrect bank identifier",
        ["RR01"] = "Payer's account or identity missing",
        ["SL01"] = "Specific service offered by the payer's bank",
        ["TECH"] = "Technical problem",
        ["UPAY"] = "Unpaid check",
    };

    /// <summary>The reason in words: what the bank wrote, else the code's meaning, else the code.</summary>
    public static string Describe(string code, string? bankText) =>
        !string.IsNullOrWhiteSpace(bankText) ? bankText.Trim() : Words.TryGetValue(code, out var words) ? words : $"Returned by the bank ({code})";
}
