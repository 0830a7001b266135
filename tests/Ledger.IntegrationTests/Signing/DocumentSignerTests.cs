using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Ledger.Api.Signing;
using Ledger.Api.Statements.Rendering;
using Ledger.Domain.Accounts;
using Ledger.Domain.Statements;
using Ledger.IntegrationTests.Harness;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Ledger.IntegrationTests.Signing;

/// <summary>The signer on its own (no database), checked by an independent reader: poppler's pdfsig.</summary>
public sealed class DocumentSignerTests : IDisposable
{
    private static readonly DateTimeOffset SignedAt = new(2026, 11, 2, 9, 30, 15, 250, TimeSpan.FromHours(1));
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("ledger-signing-");

    private static byte[] Bill() => new StatementRenderer([new StatementTemplateV4()]).Render(new StatementContent(
        Guid.Parse("0193a000-0000-7000-8000-000000000011"), Guid.Parse("0193a000-0000-7000-8000-000000000012"), "ACC-500600",
        "Zoë Ångström", new Address("1 Harbour Road", null, "Portsmouth", "PO1 2AB", "GB"), "EUR",
        new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), 0m,
        [new StatementLine(Guid.Empty, "charge", new DateTimeOffset(2026, 10, 3, 0, 0, 0, TimeSpan.Zero), "Broadband October", 30m, false)],
        30m, 30m, new DateOnly(2026, 11, 21), CoveredThroughVersion: 3), 4, [], SignedAt);

    private static X509Certificate2 Certificate(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12, "pw"), "pw", X509KeyStorageFlags.EphemeralKeySet);
    }

    private SigningSetup.Resolution Resolve(string environment, params (string Key, string Value)[] settings) => SigningSetup.Resolve(
        new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => $"{SigningOptions.Section}:{s.Key}", s => (string?)s.Value)).Build(),
        new Environment(environment));

    [Fact]
    public async Task Given_a_bill_When_signed_twice_Then_the_bytes_are_the_same_and_pdfsig_finds_a_valid_PAdES_signature_by_the_certificate()
    {
        using var certificate = Certificate("CN=Ledger Billing Test, O=EventSourcedLedger");
        var signer = new DocumentSigner(certificate, []);
        var bill = Bill();

        var signed = signer.Sign(bill, SignedAt, "Statement as issued");

        signer.Sign(bill.ToArray(), SignedAt, "Statement as issued").Should().Equal(signed, "the same document, time, reason and certificate");
        signer.Sign(bill, SignedAt.AddMilliseconds(400), "Statement as issued").Should().Equal(signed, "the signature's time is kept to the second");
        signer.Sign(bill, SignedAt.AddSeconds(1), "Statement as issued").Should().NotEqual(signed);
        signer.Certificate!.Subject.Should().Be("CN=Ledger Billing Test, O=EventSourcedLedger");
        signer.Certificate.Sha256Thumbprint.Should().Be(Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)));
        var report = await Pdfsig.ReadAsync(signed);
        report.Should().Contain("Signature Validation: Signature is Valid.").And.Contain("Signature Type: ETSI.CAdES.detached")
            .And.Contain("Signer Certificate Common Name: Ledger Billing Test").And.Contain("Signing Hash Algorithm: SHA-256")
            .And.Contain("Total document signed").And.Contain("Signing Time: Nov 02 2026 08:30:15");
        var text = Encoding.Latin1.GetString(signed);
        text.Should().Contain("/M(D:20261102083015+00'00')").And.Contain("/Reason(Statement as issued)");
    }

    [Fact]
    public async Task Given_a_signed_bill_When_one_byte_inside_the_signed_range_changes_Then_pdfsig_reports_the_signature_invalid()
    {
        using var certificate = Certificate("CN=Ledger Billing Test");
        var signed = new DocumentSigner(certificate, []).Sign(Bill(), SignedAt, "Statement as issued");
        var tampered = signed.ToArray();
        var at = Encoding.Latin1.GetString(tampered).IndexOf("/Reason(Statement", StringComparison.Ordinal) + "/Reason(".Length;
        tampered[at] = (byte)'s';

        var report = await Pdfsig.ReadAsync(tampered);

        report.Should().Contain("Signature Type: ETSI.CAdES.detached").And.NotContain("Signature is Valid");
        report.Should().Contain("Signature Validation: Digest Mismatch.");
    }

    [Fact]
    public void Given_a_PKCS12_file_with_a_password_When_configured_Then_bills_are_signed_by_its_certificate()
    {
        using var certificate = Certificate("CN=Ledger Production Test");
        var path = Path.Combine(_files.FullName, "signing.p12");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, "secret"));

        var signing = Resolve("Production", ("CertificatePath", path), ("CertificatePassword", "secret"));

        signing.Error.Should().BeNull();
        signing.Signer.Certificate!.Subject.Should().Be("CN=Ledger Production Test");
        signing.Note.Should().Contain("Statements are signed by CN=Ledger Production Test");
    }

    [Fact]
    public void Given_a_PEM_certificate_and_key_When_configured_Then_bills_are_signed_by_it()
    {
        using var certificate = Certificate("CN=Ledger PEM Test");
        var (certificatePath, keyPath) = (Path.Combine(_files.FullName, "signing.crt"), Path.Combine(_files.FullName, "signing.key"));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        using (var key = certificate.GetRSAPrivateKey()!)
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());

        var signing = Resolve("Production", ("CertificatePath", certificatePath), ("KeyPath", keyPath));

        signing.Error.Should().BeNull();
        signing.Signer.Sign(Bill(), SignedAt, "Statement as issued").Should().NotBeEmpty();
    }

    [Fact]
    public void Given_an_ECDSA_certificate_or_a_missing_file_When_configured_Then_start_up_is_refused_saying_why()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ec = new CertificateRequest("CN=EC", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_files.FullName, "ec.p12");
        File.WriteAllBytes(path, ec.Export(X509ContentType.Pkcs12));

        Resolve("Production", ("CertificatePath", path)).Error.Should().StartWith("Ledger:Signing:").And.Contain("no RSA key");
        Resolve("Production", ("CertificatePath", Path.Combine(_files.FullName, "absent.p12"))).Error.Should().Contain("does not exist");
    }

    [Fact]
    public void Given_Production_without_a_certificate_Then_signing_is_off_and_says_so_and_a_signature_is_refused()
    {
        var signing = Resolve("Production");

        signing.Error.Should().BeNull();
        signing.Signer.IsOn.Should().BeFalse();
        signing.Note.Should().Contain("Statement signing is off");
        signing.Signer.Invoking(s => s.Sign(Bill(), SignedAt, "x")).Should().Throw<InvalidOperationException>().WithMessage("*Ledger:Signing:CertificatePath*");
        new StatementRenderer([new StatementTemplateV4(), new StatementTemplateV5(signing.Signer)]).ForNewBills(5).Should().Be(4);
    }

    public void Dispose() => _files.Delete(recursive: true);

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Ledger.Api";
        public string ContentRootPath { get; set; } = "/";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
