using System.Security.Cryptography;
using System.Text;
using Ledger.Api.Notifications.Email;
using Ledger.Api.Statements.Rendering;
using Ledger.Domain.Notifications;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace Ledger.Api.Notifications.Letters;

/// <summary>
/// A notice as a one-page A4 letter for a window envelope, drawn like the bills (template v3): the shipped Latin
/// subsets of DejaVu, a character outside them printed as '?', no timestamp, and a document id derived from the notice,
/// so the same notice and template give the same bytes.
/// </summary>
public sealed class LetterRenderer(NoticeTemplates templates)
{
    private const int WrapAt = 92;

    public byte[] Render(Notice notice, int templateVersion)
    {
        var text = templates.Write(notice, templateVersion);
        var pdf = new PdfDocumentBuilder { IncludeDocumentInformation = false };
        var regular = pdf.AddTrueTypeFont(StatementRenderer.Font("DejaVuSans-Latin.ttf"));
        var bold = pdf.AddTrueTypeFont(StatementRenderer.Font("DejaVuSans-Bold-Latin.ttf"));
        var page = pdf.AddPage(PageSize.A4);
        var y = 800.0;
        void Line(string s, double size = 10, bool strong = false, double x = 50)
        {
            page.AddText(Printable(s), size, new PdfPoint(x, y), strong ? bold : regular);
            y -= size + 4;
        }

        Line("EventSourcedLedger billing", 9, strong: true);
        y = 700;
        var a = notice.To.Address!;
        foreach (var line in new[] { notice.To.Name, a.Line1, a.Line2, $"{a.PostalCode} {a.City}", a.Country }.Where(l => !string.IsNullOrWhiteSpace(l)))
            Line(line!, 11);
        y = 600;
        Line($"{notice.OccurredAt:yyyy-MM-dd}", 9, x: 430);
        Line(text.Subject, 13, strong: true);
        y -= 8;
        foreach (var paragraph in text.Paragraphs)
        {
            foreach (var line in Wrap(paragraph))
                Line(line);
            y -= 6;
        }
        page.AddText(Printable($"Notice {notice.NoticeId} · template v{templateVersion}"), 7, new PdfPoint(50, 40), regular);
        return DeterministicPdf.WithId(pdf.Build(), $"letter|{notice.NoticeId}|{templateVersion}");
    }

    private static string Printable(string s) => string.Concat(s.Select(c => StatementTemplateV3.Covers(c) ? c : '?'));

    private static IEnumerable<string> Wrap(string paragraph)
    {
        var line = new StringBuilder();
        foreach (var word in paragraph.Split(' '))
        {
            if (line.Length > 0 && line.Length + word.Length + 1 > WrapAt)
            {
                yield return line.ToString();
                line.Clear();
            }
            line.Append(line.Length == 0 ? "" : " ").Append(word);
        }
        if (line.Length > 0)
            yield return line.ToString();
    }
}

public static class DeterministicPdf
{
    /// <summary>
    /// PdfPig writes a random /ID into the trailer; replace it, at the same length and after the cross-reference table
    /// so no offset moves, with one derived from <paramref name="seed"/>.
    /// </summary>
    public static byte[] WithId(byte[] document, string seed)
    {
        var text = Encoding.Latin1.GetString(document);
        var at = text.LastIndexOf("/ID [ <", StringComparison.Ordinal);
        if (at < 0)
            return document;
        var end = text.IndexOf(']', at);
        var id = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(seed)), 0, 16);
        var replacement = $"/ID [ <{id}><{id}>]";
        if (replacement.Length != end - at + 1)
            throw new InvalidOperationException("Unexpected PDF trailer layout; refusing to produce a non-deterministic document.");
        return Encoding.Latin1.GetBytes(string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(end + 1)));
    }
}
