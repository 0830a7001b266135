namespace Ledger.Api.Statements;

/// <summary>The bytes of an issued bill, stored under their SHA-256 when the bill is issued (content-addressed).</summary>
public sealed record StatementDocument(string Id, byte[] Bytes);
