using Ledger.Api.Signing;
using Ledger.Api.Statements.Rendering;
using Ledger.Domain.Accounts;
using Ledger.Domain.Statements;
using UglyToad.PdfPig;

namespace Ledger.IntegrationTests.Statements;

/// <summary>The renderer on its own: no database, just content in and bytes out.</summary>
public sealed class StatementTemplateTests
{
    private static readonly StatementRenderer Renderer = new([new StatementTemplateV1(), new StatementTemplateV2(), new StatementTemplateV3(), new StatementTemplateV4()]);
    private static readonly DateTimeOffset IssuedAt = new(2026, 11, 1, 6, 0, 0, TimeSpan.Zero);

    private static StatementContent Bill(string holder, int lines = 12) => new(
        Guid.Parse("0193a000-0000-7000-8000-000000000001"), Guid.Parse("0193a000-0000-7000-8000-000000000002"), "ACC-100200",
        holder, new Address("1 Harbour Road", "Flat 2", "Portsmouth", "PO1 2AB", "GB"), "EUR",
        new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), 10.00m,
        Enumerable.Range(1, lines).Select(i => new StatementLine(Guid.Empty, "charge", new DateTimeOffset(2026, 10, i, 0, 0, 0, TimeSpan.Zero),
            $"Usage day {i} — €, £, ¥, “quoted”", i * 1.25m, Adjustment: i == 3)).ToList(),
        107.50m, 107.50m, new DateOnly(2026, 11, 21), CoveredThroughVersion: 14);

    [Fact]
    public void Given_a_latin_bill_When_rendered_with_v3_Then_it_is_a_small_deterministic_pdf_that_reads_back_as_issued()
    {
        var content = Bill("Zoë Ångström-Łukasiewicz");

        var v3 = Renderer.Render(content, 3, [], IssuedAt);
        var again = Renderer.Render(content, 3, [], IssuedAt);
        var v2 = Renderer.Render(content, 2, [], IssuedAt);

        again.Should().Equal(v3);
        v3.Length.Should().BeLessThan(v2.Length, "v3 embeds glyphs from a smaller font");
        using var pdf = PdfDocument.Open(v3);
        var text = string.Concat(pdf.GetPages().Select(p => p.Text));
        text.Should().Contain("Zoë Ångström-Łukasiewicz").And.Contain("Usage day 12 — €, £, ¥, “quoted”").And.Contain("107.50 EUR");
    }

    [Theory]
    [InlineData(12, 3)]
    [InlineData(31, 40)]
    public void Given_payments_pending_When_rendered_with_v4_Then_they_are_listed_apart_on_the_last_page_as_many_as_fit_and_deterministic(
        int lines, int pendingCount)
    {
        var content = Bill("Ada Lovelace", lines);
        var pending = Enumerable.Range(1, pendingCount).Select(i => new PendingLine(Guid.Parse($"0193a000-0000-7000-8000-{i:D12}"),
            new DateTimeOffset(2026, 10, 28, 9, 0, 0, TimeSpan.Zero), i % 2 == 0 ? PaymentMethod.Check : PaymentMethod.Transfer, $"REF-{i}", 5m + i)).ToList();

        var v4 = Renderer.Render(content, 4, pending, IssuedAt);

        Renderer.Render(content, 4, pending, IssuedAt).Should().Equal(v4);
        Renderer.Render(content, 4, [], IssuedAt).Should().NotEqual(v4, "the pending list is part of what is drawn");
        Renderer.Render(content, 3, pending, IssuedAt).Should().Equal(Renderer.Render(content, 3, [], IssuedAt), "a version before 4 never drew it");
        using var pdf = PdfDocument.Open(v4);
        var last = pdf.GetPages().Last();
        last.Text.Should().Contain("Payments pending").And.Contain("transfer payment REF-1").And.Contain("6.00 EUR");
        const string footer = "Questions about this bill? Call us, or write through the self-service site.";
        last.GetWords().Where(w => w.BoundingBox.Bottom < 55).Should().OnlyContain(w => footer.Contains(w.Text),
            "nothing but the footer is drawn at the foot of the page, and nothing off it");
        if (pendingCount > 3)
            last.Text.Should().Contain("more pending: see your account online");
    }

    [Fact]
    public void Given_every_character_the_subset_covers_When_rendered_with_v3_Then_each_is_drawn_from_the_font()
    {
        var covered = Enumerable.Range(0x20, 0x2200).Select(i => (char)i).Where(c => StatementTemplateV3.Covers(c) && c != '?').ToArray();

        // PdfPig writes a simple TrueType font: at most 255 distinct characters per font in one document, so one bill per 150.
        foreach (var batch in covered.Chunk(150))
        {
            var content = Bill("Coverage", lines: 0) with
            {
                Lines = batch.Chunk(50).Select(s => new StatementLine(Guid.Empty, "charge", DateTimeOffset.UnixEpoch, new string(s), 1m, false)).ToList(),
            };

            using var pdf = PdfDocument.Open(Renderer.Render(content, 3, [], IssuedAt));

            var text = string.Concat(pdf.GetPages().Select(p => p.Text));
            text.Count(c => c == '?').Should().Be(1, "no covered character may be replaced; the one '?' ends the footer's question");
            foreach (var c in batch.Where(c => !char.IsWhiteSpace(c) && c != '\u00AD'))
                text.Should().Contain(c.ToString());
        }
    }

    [Fact]
    public void Given_a_name_outside_the_subset_When_rendered_with_v3_Then_the_bill_is_still_issued_with_placeholders()
    {
        var bill = Renderer.Render(Bill("Ωμέγα 山田"), 3, [], IssuedAt);

        using var pdf = PdfDocument.Open(bill);
        pdf.GetPages().First().Text.Should().Contain("????? ??");
    }

    [Fact]
    public void Given_a_bill_When_rendered_with_v5_Then_it_is_v4_signed_at_the_issue_time_and_no_earlier_version_depends_on_that_time()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        using var certificate = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Template Test", key,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var signer = new DocumentSigner(certificate, []);
        var renderer = new StatementRenderer([new StatementTemplateV4(), new StatementTemplateV5(signer)]);
        var content = Bill("Ada Lovelace") with
        {
            Lines = Enumerable.Range(1, 80).Select(i => new StatementLine(Guid.Empty, "charge", new DateTimeOffset(2026, 10, 1 + i % 28, 0, 0, 0, TimeSpan.Zero),
                $"Usage {i}", 1m, false)).ToList(),
        };

        var v5 = renderer.Render(content, 5, [], IssuedAt);

        renderer.Render(content, 5, [], IssuedAt).Should().Equal(v5);
        renderer.Render(content, 5, [], IssuedAt.AddMinutes(1)).Should().NotEqual(v5, "it is signed at the issue time");
        renderer.Render(content, 4, [], IssuedAt.AddMinutes(1)).Should().Equal(renderer.Render(content, 4, [], IssuedAt), "v4 is never signed");
        System.Text.Encoding.Latin1.GetString(v5).Should().Contain("/SubFilter/ETSI.CAdES.detached/M(D:20261101060000+00'00')");
        using var pdf = PdfDocument.Open(v5);
        pdf.NumberOfPages.Should().Be(3);
        string.Concat(pdf.GetPages().Select(p => p.Text)).Should().Contain("Ada Lovelace").And.Contain("Usage 80").And.Contain("Page 3 of 3");
        renderer.ForNewBills(5).Should().Be(5);
        new StatementRenderer([new StatementTemplateV5(DocumentSigner.Off("off"))]).Unavailable(5).Should().Contain("signing is off");
    }
}
