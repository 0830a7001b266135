using System.Globalization;
using Ledger.Api.Signing;
using Ledger.Api.Statements.Rendering;
using Ledger.Domain.Corporate;
using Ledger.Domain.Money;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace Ledger.Api.Corporate;

/// <summary>
/// Draws a consolidated bill as a PDF, as deterministically as a statement (fonts from the assembly, no timestamp, an /ID
/// derived from the content): a summary per cost centre, then a section per member with its lines and total. Version 1
/// is unsigned; version 2 is version 1 signed (PAdES) at the bill's issue time, as statement template 5 signs version 4.
/// A shipped version never changes: a bill reprints with the version it was issued with.
/// </summary>
public sealed class ConsolidatedBillRenderer(DocumentSigner signer)
{
    public const int Unsigned = 1;
    public const int Signed = 2;
    private const double Bottom = 70;

    /// <summary>New bills are signed whenever this node can sign.</summary>
    public int ForNewBills => signer.IsOn ? Signed : Unsigned;

    public string? Unavailable(int version) => version switch
    {
        Unsigned => null,
        Signed => signer.IsOn ? null : "signing is off (no Ledger:Signing certificate)",
        _ => $"consolidated bill template version {version} is not in this build",
    };

    public byte[] Render(ConsolidatedContent c, int version, DateTimeOffset issuedAt)
    {
        if (Unavailable(version) is { } why)
            throw new InvalidOperationException($"Consolidated bill version {version} cannot be rendered here: {why}.");
        var pdf = new PdfDocumentBuilder { IncludeDocumentInformation = false };
        var fonts = new StatementFonts(pdf.AddTrueTypeFont(StatementRenderer.Font("DejaVuSans-Latin.ttf")),
            pdf.AddTrueTypeFont(StatementRenderer.Font("DejaVuSans-Bold-Latin.ttf")));
        Draw(c, pdf, fonts);
        var drawn = StatementRenderer.WithDocumentId(pdf.Build(),
            $"consolidated|{c.BillId}|{version}|{c.ClosingBalance}|{c.TreeVersion}|{string.Join(',', c.Sections.Select(s => s.ThroughVersion))}");
        return version == Signed ? signer.Sign(drawn, issuedAt, $"Consolidated bill {c.BillId} of {c.CorporateId}, as issued") : drawn;
    }

    private static void Draw(ConsolidatedContent c, PdfDocumentBuilder pdf, StatementFonts fonts)
    {
        var minor = Currency.TryFind(c.Currency, out var currency) ? currency.MinorUnits : 2;
        string Money(decimal amount) => amount.ToString("N" + minor, CultureInfo.InvariantCulture) + " " + c.Currency;
        PdfPageBuilder page = null!;
        var pageNumber = 0;
        var y = 0.0;
        void Text(string s, double x, double size = 9, bool bold = false) =>
            page.AddText(StatementTemplateV3.Printable(s), size, new PdfPoint(x, y), bold ? fonts.Bold : fonts.Regular);
        void NewPage()
        {
            page = pdf.AddPage(PageSize.A4);
            pageNumber++;
            y = 800;
            Text($"Consolidated bill — {c.PayerName}", 50, 14, bold: true);
            Text($"Page {pageNumber}", 480);
            y -= 22;
            page.AddText("Questions about this bill? Call us, or write through the self-service site.", 8, new PdfPoint(50, 40), fonts.Regular);
        }
        void Room(double needed)
        {
            if (y - needed < Bottom)
                NewPage();
        }
        void Row(string left, string middle, decimal amount, bool bold = false, double size = 9)
        {
            Room(13);
            Text(left, 50, size, bold);
            Text(Truncate(middle, 64), 115, size, bold);
            Text(Money(amount), 430, size, bold);
            y -= 13;
        }

        NewPage();
        Text($"Corporate customer {c.CorporateId}", 50, 10, bold: true);
        Text($"Bill {c.BillId}", 300, 7);
        y -= 14;
        Text($"Period {c.PeriodStart:yyyy-MM-dd HH:mm} to {c.PeriodEnd:yyyy-MM-dd HH:mm} UTC", 50);
        y -= 13;
        Text($"{c.Sections.Count} member account(s); their activity below. The members owe none of it themselves.", 50, 8);
        y -= 18;
        Row("", "Opening balance", c.OpeningBalance);
        Room(20);
        Text("By cost centre", 50, 10, bold: true);
        y -= 14;
        foreach (var centre in c.CostCentres)
            Row("", $"{Centre(c, centre.Path)} ({centre.Members} member(s))", centre.Total);
        Row("", "Activity this period", c.PeriodTotal, bold: true);
        Row("", "Closing balance", c.ClosingBalance, bold: true, size: 10);
        Room(30);
        y -= 4;
        Text($"Amount due {Money(c.AmountDue)} by {c.DueDate:yyyy-MM-dd}", 50, 11, bold: true);
        y -= 24;

        foreach (var centre in c.Sections.GroupBy(s => s.CostCentre))
        {
            Room(40);
            page.DrawLine(new PdfPoint(50, y + 10), new PdfPoint(545, y + 10));
            Text(Centre(c, centre.Key), 50, 10, bold: true);
            y -= 15;
            foreach (var member in centre)
            {
                Room(28);
                Text(Truncate($"Account {member.AccountNumber} — {member.HolderName}", 80), 60, 9, bold: true);
                y -= 13;
                foreach (var line in member.Lines)
                    Row(line.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), (line.Adjustment ? "[adjustment] " : "") + line.Description, line.Amount);
                Row("", $"Total for account {member.AccountNumber}", member.Total, bold: true);
                y -= 4;
            }
        }
    }

    private static string Centre(ConsolidatedContent c, string path) => path.Length == 0 ? c.PayerName : $"{c.PayerName} / {path}";

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
