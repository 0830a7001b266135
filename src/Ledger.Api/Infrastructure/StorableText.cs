namespace Ledger.Api.Infrastructure;

/// <summary>Text the ledger can keep: PostgreSQL stores no NUL, and an unpaired surrogate is not a character at all.</summary>
public static class StorableText
{
    public static bool HasNul(string text) => text.Contains('\0');

    public static bool HasUnpairedSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(text[i]))
                return true;
        }
        return false;
    }
}
