using Ledger.Api.Statements.Rendering;
using Ledger.Domain.Accounts;
using Ledger.Domain.Statements;
using UglyToad.PdfPig;

namespace Ledger.IntegrationTests.Statements;

/// <summary>The renderer on its own: no database, just content in and bytes out.</summary>
public sealed class StatementTemplateTests
{
    private static readonly StatementRenderer Renderer = new([new StatementTemplateV1(), new StatementTemplateV2(), new StatementTemplateV3(), new StatementTemplateV4()]);

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

        var v3 = Renderer.Render(content, 3, []);
        var again = Renderer.Render(content, 3, []);
        var v2 = Renderer.Render(content, 2, []);

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

        var v4 = Renderer.Render(content, 4, pending);

        Renderer.Render(content, 4, pending).Should().Equal(v4);
        Renderer.Render(content, 4, []).Should().NotEqual(v4, "the pending list is part of what is drawn");
        Renderer.Render(content, 3, pending).Should().Equal(Renderer.Render(content, 3, []), "a version before 4 never drew it");
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

            using var pdf = PdfDocument.Open(Renderer.Render(content, 3, []));

            var text = string.Concat(pdf.GetPages().Select(p => p.Text));
            text.Count(c => c == '?').Should().Be(1, "no covered character may be replaced; the one '?' ends the footer's question");
            foreach (var c in batch.Where(c => !char.IsWhiteSpace(c) && c != '\u00AD'))
                text.Should().Contain(c.ToString());
        }
    }

    [Fact]
    public void Given_a_name_outside_the_subset_When_rendered_with_v3_Then_the_bill_is_still_issued_with_placeholders()
    {
        var bill = Renderer.Render(Bill("Ωμέγα 山田"), 3, []);

        using var pdf = PdfDocument.Open(bill);
        pdf.GetPages().First().Text.Should().Contain("????? ??");
    }
}
