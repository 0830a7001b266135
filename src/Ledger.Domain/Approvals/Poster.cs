namespace Ledger.Domain.Approvals;

/// <summary>Who is posting, as the token says: the user and the role they act in.</summary>
public sealed record Poster(string UserId, string Role)
{
    public const string Customer = "customer";
    public const string Csr = "csr";
    public const string Manager = "manager";
}
