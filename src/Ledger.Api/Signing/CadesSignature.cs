using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PdfSharp.Pdf.Signatures;

namespace Ledger.Api.Signing;

/// <summary>
/// The CMS part of a PAdES baseline signature (ETSI EN 319 142-1, B-B), for PDFsharp's <see cref="DigitalSignatureHandler"/>:
/// detached SignedData over the byte range, SHA-256, signed attributes content-type, message-digest and ESS
/// signing-certificate-v2, and no signing-time (PAdES puts the time in the signature dictionary's /M). PDFsharp 6.2.4's own
/// signer writes adbe.pkcs7.detached with a signing time from the clock, and its handler writes /M from the clock and the XMP
/// metadata with random ids; this signer owns the stream the document is saved to and, before it signs, puts fixed values
/// (same length, so no offset moves) in those places. The same document, time, reason and certificate give the same bytes:
/// RSA PKCS#1 v1.5 has no randomness.
/// </summary>
internal sealed class CadesSignature(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain, MemoryStream output, DateTime signedAtUtc,
    byte[] seed) : IDigitalSigner
{
    private static readonly Oid Sha256 = new("2.16.840.1.101.3.4.2.1");
    private const string SigningCertificateV2 = "1.2.840.113549.1.9.16.2.47";

    public string CertificateName => certificate.GetNameInfo(X509NameType.SimpleName, false);

    public Task<int> GetSignatureSizeAsync() => Task.FromResult(Cms([0]).Length + 32);

    public Task<byte[]> GetSignatureAsync(Stream range)
    {
        Pin(output.GetBuffer().AsSpan(0, (int)output.Length));
        var content = new byte[range.Length];
        range.Position = 0;
        range.ReadExactly(content);
        return Task.FromResult(Cms(content));
    }

    private byte[] Cms(byte[] content)
    {
        var cms = new SignedCms(new ContentInfo(content), detached: true);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, certificate)
        {
            DigestAlgorithm = Sha256,
            IncludeOption = X509IncludeOption.EndCertOnly,
            SignaturePadding = RSASignaturePadding.Pkcs1,
        };
        signer.Certificates.AddRange(chain.ToArray());
        signer.SignedAttributes.Add(new AsnEncodedData(SigningCertificateV2, EssSigningCertificateV2(certificate)));
        cms.ComputeSignature(signer, silent: true);
        return cms.Encode();
    }

    /// <summary>RFC 5035: the SHA-256 of the signing certificate (sha256 is the default algorithm, so it is omitted) and its issuer and serial.</summary>
    private static byte[] EssSigningCertificateV2(X509Certificate2 certificate)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteOctetString(SHA256.HashData(certificate.RawData));
            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true)))
                    writer.WriteEncodedValue(certificate.IssuerName.RawData);
                writer.WriteInteger(certificate.SerialNumberBytes.Span);
            }
        }
        return writer.Encode();
    }

    private void Pin(Span<byte> pdf)
    {
        var dictionary = Find(pdf, "/SubFilter/adbe.pkcs7.detached/M(");
        Put(pdf, dictionary + "/SubFilter/".Length, "ETSI.CAdES.detached");
        var date = dictionary + "/SubFilter/adbe.pkcs7.detached/M(".Length;
        var time = $"D:{signedAtUtc:yyyyMMddHHmmss}+00'00'";
        if (pdf.Slice(date).IndexOf((byte)')') != time.Length)
            throw new InvalidOperationException("Unexpected signature date layout; refusing to sign a non-deterministic document.");
        Put(pdf, date, time);
        Put(pdf, Find(pdf, "<xmpMM:DocumentID>uuid:") + "<xmpMM:DocumentID>uuid:".Length, new Guid(seed.AsSpan(0, 16)).ToString());
        Put(pdf, Find(pdf, "<xmpMM:InstanceID>uuid:") + "<xmpMM:InstanceID>uuid:".Length, new Guid(seed.AsSpan(16, 16)).ToString());
    }

    private static int Find(Span<byte> pdf, string token) =>
        pdf.LastIndexOf(Encoding.ASCII.GetBytes(token)) is >= 0 and var at
            ? at
            : throw new InvalidOperationException($"'{token}' not found where PDFsharp 6.2.4 writes it; refusing to sign a non-deterministic document.");

    private static void Put(Span<byte> pdf, int at, string value) => Encoding.ASCII.GetBytes(value).CopyTo(pdf.Slice(at));
}
