using System.Globalization;
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

internal static class Layout
{
    private const int LinesPerPage = 38;

    public static void Draw(StatementContent c, PdfDocumentBuilder pdf, StatementFonts fonts, string title, string? footer)
    {
        var minor = Currency.TryFind(c.Currency, out var currency) ? currency.MinorUnits : 2;
        string Money(decimal amount) => amount.ToString("N" + minor, CultureInfo.InvariantCulture) + " " + c.Currency;
        var pages = c.Lines.Chunk(LinesPerPage).DefaultIfEmpty([]).ToList();
        for (var p = 0; p < pages.Count; p++)
        {
            var page = pdf.AddPage(PageSize.A4);
            var y = 800.0;
            void Text(string s, double x, double size = 9, bool bold = false) => page.AddText(s, size, new PdfPoint(x, y), bold ? fonts.Bold : fonts.Regular);

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
            }
            if (footer is not null)
                page.AddText(footer, 8, new PdfPoint(50, 40), fonts.Regular);
        }
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
