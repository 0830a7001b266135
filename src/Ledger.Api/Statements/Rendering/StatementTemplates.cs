using System.Globalization;
using Ledger.Api.Signing;
using Ledger.Domain.Money;
using Ledger.Domain.Statements;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace Ledger.Api.Statements.Rendering;

/// <summary>Version 1: the first bill layout. Frozen: bills issued with it must reprint byte for byte.</summary>
public sealed class StatementTemplateV1 : IStatementTemplate
{
    public int Version => 1;

    public void Render(StatementContent c, PdfDocumentBuilder pdf, StatementFonts fonts) => Layout.Draw(c, pdf, fonts, "Statement of account", footer: null);
}

/// <summary>Version 2: a clearer title and a footer telling the customer how to reach us.</summary>
public sealed class StatementTemplateV2 : IStatementTemplate
{
    public int Version => 2;

    public void Render(StatementContent c, PdfDocumentBuilder pdf, StatementFonts fonts) =>
        Layout.Draw(c, pdf, fonts, "Your bill", footer: "Questions about this bill? Call us, or write through the self-service site.");
}

/// <summary>
/// Version 3: version 2's layout drawn with Latin subsets of the same fonts (build/fonts/subset.sh). PdfPig parses the
/// whole font file (~6,000 glyphs) for every document before keeping the glyphs it uses; a profile of the statement run
/// showed that parsing as its main cost. The subsets hold ~700 characters. One outside them prints as '?' rather than
/// failing the bill.
/// </summary>
public sealed class StatementTemplateV3 : IStatementTemplate
{
    public int Version => 3;

    public (string Regular, string Bold) FontFiles => ("DejaVuSans-Latin.ttf", "DejaVuSans-Bold-Latin.ttf");

    public void Render(StatementContent c, PdfDocumentBuilder pdf, StatementFonts fonts) =>
        Layout.Draw(c, pdf, fonts, "Your bill", footer: "Questions about this bill? Call us, or write through the self-service site.", Printable);

    /// <summary>
    /// The characters v3 can draw: the ranges kept in the subset fonts (build/fonts/subset.sh) less the currency signs
    /// DejaVu never had and the few letters whose glyphs are composites of composites, which PdfPig's own subsetter
    /// cannot copy (found by rendering every character, see StatementTemplateTests).
    /// </summary>
    public static bool Covers(char c) => c switch
    {
        >= '\u01D7' and <= '\u01DC' or '\u01E0' or '\u01E1' or '\u022C' or '\u022D' or '\u0230' => false,
        >= '\u0020' and <= '\u007E' or >= '\u00A0' and <= '\u024F' => true,
        >= '\u2010' and <= '\u2027' or >= '\u2030' and <= '\u203A' => true,
        >= '\u20A0' and <= '\u20B5' or >= '\u20B8' and <= '\u20BA' or '\u20BD' => true,
        '\u2116' or '\u2122' or '\u2212' => true,
        _ => false,
    };

    internal static string Printable(string s) => s.All(Covers) ? s : string.Concat(s.Select(c => Covers(c) ? c : '?'));
}

/// <summary>
/// Version 4: version 3 with the payments still pending when the bill was composed, listed apart under the amount due
/// and never counted in it (a card payment the processor has not confirmed, a check or transfer the bank has not).
/// </summary>
public sealed class StatementTemplateV4 : IStatementTemplate
{
    public int Version => 4;

    public (string Regular, string Bold) FontFiles => ("DejaVuSans-Latin.ttf", "DejaVuSans-Bold-Latin.ttf");

    public void Render(StatementContent c, PdfDocumentBuilder pdf, StatementFonts fonts) => Render(c, [], pdf, fonts);

    public void Render(StatementContent c, IReadOnlyList<PendingLine> pending, PdfDocumentBuilder pdf, StatementFonts fonts) =>
        Layout.Draw(c, pdf, fonts, "Your bill", footer: "Questions about this bill? Call us, or write through the self-service site.",
            StatementTemplateV3.Printable, pending);
}

/// <summary>
/// Version 5: version 4 signed (PAdES, <see cref="DocumentSigner"/>) at the bill's issue time, which its StatementIssued records,
/// so a bill whose stored copy is lost re-renders and re-signs to the same bytes with the same certificate. With signing off
/// (no certificate outside Development) it cannot be drawn: new bills get version 4, and such a bill's lost copy cannot be remade.
/// Frozen with PDFsharp 6.2.4, which rewrites the document as it signs it: another PDFsharp is another template version.
/// </summary>
public sealed class StatementTemplateV5(DocumentSigner signer) : IStatementTemplate
{
    private readonly StatementTemplateV4 _drawn = new();

    public int Version => 5;

    public (string Regular, string Bold) FontFiles => _drawn.FontFiles;

    public void Render(StatementContent c, PdfDocumentBuilder pdf, StatementFonts fonts) => _drawn.Render(c, pdf, fonts);

    public void Render(StatementContent c, IReadOnlyList<PendingLine> pending, PdfDocumentBuilder pdf, StatementFonts fonts) =>
        _drawn.Render(c, pending, pdf, fonts);

    public string? Unavailable => signer.IsOn ? null : "statement signing is off (no Ledger:Signing certificate)";

    public int? InsteadWhileUnavailable => 4;

    public byte[] Finish(byte[] document, StatementContent content, DateTimeOffset issuedAt) =>
        signer.Sign(document, issuedAt, $"Statement {content.StatementId} of account {content.AccountNumber}, as issued");
}

internal static class Layout
{
    private const int LinesPerPage = 38;

    public static void Draw(StatementContent c, PdfDocumentBuilder pdf, StatementFonts fonts, string title, string? footer, Func<string, string>? printable = null,
        IReadOnlyList<PendingLine>? pending = null)
    {
        printable ??= s => s;
        var minor = Currency.TryFind(c.Currency, out var currency) ? currency.MinorUnits : 2;
        string Money(decimal amount) => amount.ToString("N" + minor, CultureInfo.InvariantCulture) + " " + c.Currency;
        var pages = c.Lines.Chunk(LinesPerPage).DefaultIfEmpty([]).ToList();
        for (var p = 0; p < pages.Count; p++)
        {
            var page = pdf.AddPage(PageSize.A4);
            var y = 800.0;
            void Text(string s, double x, double size = 9, bool bold = false) => page.AddText(printable(s), size, new PdfPoint(x, y), bold ? fonts.Bold : fonts.Regular);

            Text(title, 50, 16, bold: true);
            Text($"Page {p + 1} of {pages.Count}", 480);
            y -= 24;
            Text($"Account {c.AccountNumber}", 50, 10, bold: true);
            Text($"Statement {c.StatementId}", 300, 7);
            y -= 14;
            foreach (var line in new[] { c.HolderName, c.Address.Line1, c.Address.Line2, $"{c.Address.PostalCode} {c.Address.City}", c.Address.Country })
            {
                if (string.IsNullOrEmpty(line)) continue;
                Text(line, 50, 10);
                y -= 12;
            }
            y -= 8;
            Text($"Period {c.PeriodStart:yyyy-MM-dd HH:mm} to {c.PeriodEnd:yyyy-MM-dd HH:mm} UTC", 50);
            y -= 14;
            Text("Opening balance", 50);
            Text(Money(c.OpeningBalance), 430);
            y -= 8;
            page.DrawLine(new PdfPoint(50, y), new PdfPoint(545, y));
            y -= 14;
            foreach (var l in pages[p])
            {
                Text(l.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), 50);
                Text((l.Adjustment ? "[adjustment] " : "") + Truncate(l.Description, 62), 115);
                Text(Money(l.Amount), 430);
                y -= 14;
            }
            if (p == pages.Count - 1)
            {
                page.DrawLine(new PdfPoint(50, y + 6), new PdfPoint(545, y + 6));
                y -= 8;
                Text("Closing balance", 50, 10, bold: true);
                Text(Money(c.ClosingBalance), 430, 10, bold: true);
                y -= 16;
                Text($"Amount due {Money(c.AmountDue)} by {c.DueDate:yyyy-MM-dd}", 50, 11, bold: true);
                if (pending is { Count: > 0 })
                {
                    y -= 24;
                    Text("Payments pending (not yet received, not taken off the amount due)", 50, 9, bold: true);
                    y -= 14;
                    // As many as fit above the footer; the rest are named by count.
                    var room = Math.Max(0, (int)((y - 70) / 12) - 1);
                    var shown = pending.Count <= room + 1 ? pending.Count : room;
                    foreach (var payment in pending.Take(shown))
                    {
                        Text(payment.InitiatedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), 50);
                        Text(Truncate($"{payment.Method.ToString().ToLowerInvariant()} payment {payment.Reference}".Trim(), 62), 115);
                        Text(Money(payment.Amount), 430);
                        y -= 12;
                    }
                    if (pending.Count > shown)
                        Text($"and {pending.Count - shown} more pending: see your account online", 115);
                }
            }
            if (footer is not null)
                page.AddText(footer, 8, new PdfPoint(50, 40), fonts.Regular);
        }
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
