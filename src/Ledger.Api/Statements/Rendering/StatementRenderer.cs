using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Ledger.Domain.Statements;
using UglyToad.PdfPig.Writer;

namespace Ledger.Api.Statements.Rendering;

/// <summary>A versioned bill layout. A version, once shipped, never changes: old bills reprint with the version they were issued with.</summary>
public interface IStatementTemplate
{
    int Version { get; }

    /// <summary>The embedded font files (regular, bold) this version draws with; part of what the version freezes.</summary>
    (string Regular, string Bold) FontFiles => ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf");

    void Render(StatementContent content, PdfDocumentBuilder pdf, StatementFonts fonts);

    /// <summary>With the payments pending when the bill was composed; versions before 4 do not show them.</summary>
    void Render(StatementContent content, IReadOnlyList<PendingLine> pending, PdfDocumentBuilder pdf, StatementFonts fonts) =>
        Render(content, pdf, fonts);

    /// <summary>Null when this node can draw the version; otherwise why not (version 5 needs the signing certificate).</summary>
    string? Unavailable => null;

    /// <summary>The version new bills get instead while this one is unavailable (null: none, they fail).</summary>
    int? InsteadWhileUnavailable => null;

    /// <summary>
    /// What the drawn document becomes before it is issued, as deterministic as the drawing: version 5 signs it at the bill's
    /// issue time, which the bill's record keeps.
    /// </summary>
    byte[] Finish(byte[] document, StatementContent content, DateTimeOffset issuedAt) => document;
}

public sealed record StatementFonts(PdfDocumentBuilder.AddedFont Regular, PdfDocumentBuilder.AddedFont Bold);

/// <summary>
/// Renders a bill to PDF, deterministically: fonts come from the assembly (never the machine), the document
/// carries no timestamp, and its /ID is derived from the content, so the same content and template version
/// always give the same bytes.
/// </summary>
public sealed class StatementRenderer(IEnumerable<IStatementTemplate> templates)
{
    private static readonly ConcurrentDictionary<string, byte[]> Fonts = new();
    private readonly Dictionary<int, IStatementTemplate> _templates = templates.ToDictionary(t => t.Version);

    /// <summary>Null when this node can render the version; otherwise why not.</summary>
    public string? Unavailable(int version) =>
        _templates.TryGetValue(version, out var template) ? template.Unavailable : $"template version {version} is not in this build";

    /// <summary>The version new bills get: the configured one, or while this node cannot draw it (version 5, signing off) its stand-in.</summary>
    public int ForNewBills(int configured) =>
        _templates.TryGetValue(configured, out var template) && template.Unavailable is not null && template.InsteadWhileUnavailable is { } instead
            ? instead
            : configured;

    /// <summary>
    /// Renders <paramref name="content"/> with template <paramref name="templateVersion"/>; <paramref name="pending"/> are
    /// the payments pending as the bill stands (<see cref="Composing.PendingOn"/>), drawn apart by version 4 on;
    /// <paramref name="issuedAt"/> is the bill's issue time as its record has it (version 5 is signed at it).
    /// </summary>
    public byte[] Render(StatementContent content, int templateVersion, IReadOnlyList<PendingLine> pending, DateTimeOffset issuedAt)
    {
        var template = _templates.TryGetValue(templateVersion, out var found)
            ? found
            : throw new InvalidOperationException($"Statement template version {templateVersion} is not shipped in this build.");
        if (template.Unavailable is { } why)
            throw new InvalidOperationException($"Statement template version {templateVersion} cannot be rendered here: {why}.");
        var pdf = new PdfDocumentBuilder { IncludeDocumentInformation = false };
        var (regular, bold) = template.FontFiles;
        template.Render(content, pending, pdf, new StatementFonts(pdf.AddTrueTypeFont(Font(regular)), pdf.AddTrueTypeFont(Font(bold))));
        return template.Finish(WithContentId(pdf.Build(), content, templateVersion), content, issuedAt);
    }

    public static string Sha256(byte[] document) => Convert.ToHexStringLower(SHA256.HashData(document));

    // PdfPig writes a random /ID into the trailer; replace it (same length, after the cross-reference table, so no
    // offset moves) with one derived from what the bill says and which template drew it.
    private static byte[] WithContentId(byte[] document, StatementContent content, int templateVersion) =>
        WithDocumentId(document, $"{content.StatementId}|{templateVersion}|{content.ClosingBalance}|{content.CoveredThroughVersion}");

    /// <summary>The document with PdfPig's random trailer /ID replaced by one derived from <paramref name="seed"/> (what the document says).</summary>
    internal static byte[] WithDocumentId(byte[] document, string seed)
    {
        var text = Encoding.Latin1.GetString(document);
        var at = text.LastIndexOf("/ID [ <", StringComparison.Ordinal);
        if (at < 0)
            return document;
        var end = text.IndexOf(']', at);
        var id = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(seed)), 0, 16);
        var replacement = $"/ID [ <{id}><{id}>]";
        if (replacement.Length != end - at + 1)
            throw new InvalidOperationException("Unexpected PDF trailer layout; refusing to render a non-deterministic statement.");
        return Encoding.Latin1.GetBytes(string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(end + 1)));
    }

    internal static byte[] Font(string file) => Fonts.GetOrAdd(file, Load);

    private static byte[] Load(string file)
    {
        using var stream = typeof(StatementRenderer).Assembly.GetManifestResourceStream($"Ledger.Fonts.{file}")
            ?? throw new InvalidOperationException($"Font {file} is not embedded in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
