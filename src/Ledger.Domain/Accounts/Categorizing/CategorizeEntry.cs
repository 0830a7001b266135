namespace Ledger.Domain.Accounts.Categorizing;

public sealed record CategorizeEntry(Guid AccountId, Guid EntryId, string Category) : IAccountCommand
{
    public Guid AnswerId => EntryId;

    public Reads ReadsFor(Approvals.Poster poster) => Reads.Entry;

    public Guid? EntryToRead(Account account) => EntryId;

    public Decision Decide(Account account, Facts facts) => Decide(account, facts.Entry, this, facts.Now);

    public static Decision Decide(Account account, Entry? entry, CategorizeEntry command, DateTimeOffset now)
    {
        if (entry is null || entry.AccountId != account.Id)
            return Decision.Reject("entry-not-found", $"Account {account.AccountNumber} has no entry {command.EntryId}.", "entryId");
        if (Guards.Text(command.Category, "category", 50) is { } bad)
            return Decision.Reject(bad);
        var category = command.Category.Trim().ToLowerInvariant();
        return category == entry.CustomerCategory
            ? Decision.Reject("category-unchanged", $"Entry {entry.Id} is already in '{category}'.", "category")
            : Decision.Accept(new EntryCategorized(account.Id, entry.Id, category, now));
    }
}
