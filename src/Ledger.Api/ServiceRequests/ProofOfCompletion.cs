using System.Text;
using Ledger.Api.Notifications.Letters;
using Ledger.Api.Signing;
using Ledger.Api.Statements.Rendering;
using Ledger.Domain.Accounts;
using Ledger.Domain.ServiceRequests;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace Ledger.Api.ServiceRequests;

/// <summary>What the proof states: the request, the account, what was asked, what the ledger recorded, and when.</summary>
public sealed record ProofContent(string Number, string TypeName, string AccountNumber, string HolderName, DateTimeOffset SubmittedAt,
    IReadOnlyDictionary<string, string> Answers, string Resolution, string Applied, Guid? AppliedId, DateTimeOffset CompletedAt, string CompletedBy);

/// <summary>
/// The PDF proof of a completed request, drawn like the letters (shipped fonts, no clock, an id derived from its content) and
/// digitally signed (PAdES) at the moment of completion, so any PDF reader (or pdfsig) can tell it is ours and unaltered.
/// </summary>
public sealed class ProofOfCompletion(DocumentSigner signer)
{
    private const int WrapAt = 92;

    public bool Signs => signer.IsOn;

    public byte[] Render(ProofContent proof)
    {
        var pdf = new PdfDocumentBuilder { IncludeDocumentInformation = false };
        var regular = pdf.AddTrueTypeFont(StatementRenderer.Font("DejaVuSans-Latin.ttf"));
        var bold = pdf.AddTrueTypeFont(StatementRenderer.Font("DejaVuSans-Bold-Latin.ttf"));
        var page = pdf.AddPage(PageSize.A4);
        var y = 800.0;
        void Line(string s, double size = 10, bool strong = false, double x = 50)
        {
            if (y < 60)
                return;
            page.AddText(Printable(s), size, new PdfPoint(x, y), strong ? bold : regular);
            y -= size + 5;
        }

        Line("EventSourcedLedger billing", 9, strong: true);
        y = 760;
        Line($"Proof of completion: request {proof.Number}", 15, strong: true);
        y -= 6;
        Line("The requested service is processed.", 11);
        y -= 8;
        foreach (var (label, value) in new[]
                 {
                     ("Request", $"{proof.Number} ({proof.TypeName})"), ("Account", $"{proof.AccountNumber}, {proof.HolderName}"),
                     ("Submitted", RequestNotices.When(proof.SubmittedAt)), ("Completed", RequestNotices.When(proof.CompletedAt)),
                     ("Completed by", proof.CompletedBy), ("Recorded in the ledger", proof.AppliedId is { } id ? $"{proof.Applied} ({id})" : proof.Applied),
                 })
        {
            Line(label, 9, strong: true);
            Line(value, 10, x: 60);
        }
        y -= 6;
        Line("What was asked", 11, strong: true);
        foreach (var (field, answer) in proof.Answers)
            foreach (var line in Wrap($"{field}: {answer}"))
                Line(line, 10, x: 60);
        y -= 6;
        Line("What was done", 11, strong: true);
        foreach (var line in Wrap(proof.Resolution))
            Line(line, 10, x: 60);
        page.AddText(Printable($"Request {proof.Number} · proof v1 · digitally signed"), 7, new PdfPoint(50, 40), regular);
        var unsigned = DeterministicPdf.WithId(pdf.Build(), $"proof|{proof.Number}|{proof.CompletedAt:O}");
        return signer.IsOn ? signer.Sign(unsigned, proof.CompletedAt, $"Proof of completion of service request {proof.Number}") : unsigned;
    }

    public static ProofContent For(ServiceRequest request, Account account, string typeName, string resolution, string applied, Guid? appliedId,
        DateTimeOffset at, string by) =>
        new(request.Number!, typeName, account.AccountNumber, account.HolderName, request.SubmittedAt!.Value, request.Fields, resolution, applied, appliedId,
            at, by);

    private static string Printable(string s) => string.Concat(s.Select(c => StatementTemplateV3.Covers(c) ? c : '?'));

    private static IEnumerable<string> Wrap(string paragraph)
    {
        foreach (var text in paragraph.Split('\n'))
        {
            var line = new StringBuilder();
            foreach (var word in text.Split(' '))
            {
                if (line.Length > 0 && line.Length + word.Length + 1 > WrapAt)
                {
                    yield return line.ToString();
                    line.Clear();
                }
                line.Append(line.Length == 0 ? "" : " ").Append(word.Length > WrapAt ? word[..WrapAt] : word);
            }
            yield return line.ToString();
        }
    }
}
