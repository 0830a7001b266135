using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PdfSharp.Pdf.IO;
using PdfSharp.Pdf.Signatures;

namespace Ledger.Api.Signing;

/// <summary>The certificate documents are signed with, as a reader checks it (e.g. <c>pdfsig</c> prints the subject).</summary>
public sealed record SigningCertificate(string Subject, string Sha256Thumbprint, DateTimeOffset NotBefore, DateTimeOffset NotAfter);

/// <summary>
/// Signs PDFs (PAdES baseline B-B: ETSI.CAdES.detached, SHA-256, RSA) with the ledger's certificate (<see cref="SigningSetup"/>).
/// Deterministic: the same document, time, reason and certificate always give the same bytes, so a signed bill whose stored
/// copy is lost is re-rendered and re-signed to its recorded hash.
/// </summary>
public sealed class DocumentSigner
{
    private readonly X509Certificate2? _certificate;
    private readonly IReadOnlyList<X509Certificate2> _chain;
    private readonly string _off;

    public DocumentSigner(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain)
    {
        _certificate = certificate;
        _chain = chain;
        _off = "";
        Certificate = new SigningCertificate(certificate.Subject, certificate.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant(),
            certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime());
    }

    private DocumentSigner(string off)
    {
        _chain = [];
        _off = off;
    }

    /// <summary>No certificate is configured (Production without Ledger:Signing): <see cref="Sign"/> refuses, saying why.</summary>
    public static DocumentSigner Off(string why) => new(why);

    /// <summary>The signing certificate; null when signing is off.</summary>
    public SigningCertificate? Certificate { get; }

    public bool IsOn => Certificate is not null;

    /// <summary>
    /// <paramref name="pdf"/> signed at <paramref name="signedAt"/> (to the second, written as UTC in the signature's /M and as
    /// the document's creation and modification dates) for <paramref name="reason"/> (the signature's /Reason). The document is
    /// rewritten by PDFsharp, not appended to: sign a document that carries no signature yet.
    /// </summary>
    public byte[] Sign(byte[] pdf, DateTimeOffset signedAt, string reason)
    {
        if (_certificate is null)
            throw new InvalidOperationException(_off);
        var at = new DateTime(signedAt.UtcTicks - signedAt.UtcTicks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        var seed = SHA256.HashData([.. SHA256.HashData(pdf), .. Encoding.UTF8.GetBytes($"|{at:O}|{reason}|{Certificate!.Sha256Thumbprint}")]);
        using var document = PdfReader.Open(new MemoryStream(pdf, writable: false), PdfDocumentOpenMode.Modify);
        document.Options.Layout = PdfSharp.Pdf.IO.PdfWriterLayout.Compact;
        document.Info.CreationDate = at;
        document.Info.ModificationDate = at;
        if (document.Internals.FirstDocumentID.Length == 0)
            document.Internals.FirstDocumentID = Encoding.Latin1.GetString(seed, 0, 16);
        document.Internals.SecondDocumentID = Encoding.Latin1.GetString(seed, 16, 16);
        using var output = new MemoryStream();
        DigitalSignatureHandler.ForDocument(document, new CadesSignature(_certificate, _chain, output, at, seed),
            new DigitalSignatureOptions { Reason = reason, AppName = "EventSourcedLedger" });
        document.Save(output);
        return output.ToArray();
    }
}
