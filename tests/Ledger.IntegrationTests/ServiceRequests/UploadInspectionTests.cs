using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using CsCheck;
using Ledger.Api.ServiceRequests.Documents;
using Ledger.Domain;
using Ledger.IntegrationTests.Fuzzing;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Ledger.IntegrationTests.ServiceRequests;

/// <summary>Pure: no database, no host. Real tiny documents are made here, then truncated, corrupted and misnamed.</summary>
public class UploadInspectionTests
{
    private static readonly byte[] Pdf = MakePdf();
    private static readonly byte[] Png = MakePng();
    private static readonly byte[] Jpeg = MakeJpeg();

    private static readonly string[] Rules =
        ["document-empty", "document-too-large", "document-name-invalid", "document-type-not-allowed", "document-type-mismatch", "document-unreadable"];

    private static (InspectedUpload? Upload, Rejection? Rejection) Inspect(string? name, byte[] content, long max = UploadInspection.DefaultMaxBytes) =>
        UploadInspection.Inspect(name, content, max);

    private static Rejection Rejected(string? name, byte[] content, string rule, long max = UploadInspection.DefaultMaxBytes)
    {
        var (upload, rejection) = Inspect(name, content, max);
        upload.Should().BeNull();
        rejection.Should().NotBeNull();
        rejection!.Rule.Should().Be(rule, rejection.Message);
        rejection.Field.Should().Be(rule == "document-name-invalid" ? "fileName" : "file");
        return rejection;
    }

    [Theory]
    [InlineData("proof-of-address.pdf", DocumentKind.Pdf, "application/pdf")]
    [InlineData("Statement March.PDF", DocumentKind.Pdf, "application/pdf")]
    [InlineData("scan.png", DocumentKind.Png, "image/png")]
    [InlineData("SCAN.Png", DocumentKind.Png, "image/png")]
    [InlineData("photo.jpg", DocumentKind.Jpeg, "image/jpeg")]
    [InlineData("photo.JPEG", DocumentKind.Jpeg, "image/jpeg")]
    [InlineData("Überweisung – März 2025.pdf", DocumentKind.Pdf, "application/pdf")]
    public void Given_a_real_document_named_for_its_kind_When_inspected_Then_accepted_with_its_kind_length_and_hash(string name, DocumentKind kind, string type)
    {
        var content = kind switch { DocumentKind.Pdf => Pdf, DocumentKind.Png => Png, _ => Jpeg };

        var (upload, rejection) = Inspect(name, content);

        rejection.Should().BeNull();
        upload.Should().Be(new InspectedUpload(name, kind, type, content.Length, Convert.ToHexStringLower(SHA256.HashData(content))));
        upload!.Sha256.Should().MatchRegex("^[0-9a-f]{64}$");
    }

    [Fact]
    public void Given_a_name_with_spaces_around_it_When_accepted_Then_the_name_is_trimmed()
    {
        Inspect("  proof.pdf \t", Pdf).Upload!.FileName.Should().Be("proof.pdf");
    }

    [Fact]
    public void Given_an_empty_file_When_inspected_Then_refused_as_empty()
    {
        Rejected("proof.pdf", [], "document-empty");
    }

    [Fact]
    public void Given_a_file_over_the_limit_When_inspected_Then_refused_naming_the_limit()
    {
        Rejected("proof.pdf", Pdf, "document-too-large", max: 100).Message.Should().Contain("100 bytes");
        var eleven = new byte[UploadInspection.DefaultMaxBytes + 1];
        "%PDF-"u8.CopyTo(eleven);
        Rejected("proof.pdf", eleven, "document-too-large").Message.Should().Contain("10 MB");
        Inspect("proof.pdf", Pdf, max: Pdf.Length).Rejection.Should().BeNull("the limit itself is allowed");
    }

    public static TheoryData<string?> BadNames() => new()
    {
        null, "", "   ", "../../etc/passwd.pdf", "..\\..\\boot.ini.pdf", "C:\\x.pdf", "C:x.pdf", "a/b.pdf", "/etc/passwd.pdf", ".hidden.pdf", "..pdf", "a..pdf",
        "a\0.pdf", "a\u001b[31m.pdf", "line\nbreak.pdf", "invoice\u202Efdp.pdf", "zero\u200bwidth.pdf", "decoded\ufffdbadly.pdf", "proof.pdf:stream", "what?.pdf",
        "CON.pdf", "lpt1.png", new string('a', 197) + ".pdf",
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public void Given_an_unsafe_or_missing_file_name_When_inspected_Then_refused_on_the_name(string? name)
    {
        Rejected(name, Pdf, "document-name-invalid").Message.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Given_a_name_with_a_lone_surrogate_When_inspected_Then_refused_on_the_name()
    {
        // Not theory data: xunit would carry the broken character through UTF-8 and hand the test a U+FFFD instead.
        Rejected("broken\ud800.pdf", Pdf, "document-name-invalid");
        Rejected("\udc00x.pdf", Pdf, "document-name-invalid");
        Rejected("x.pdf\ud83d", Pdf, "document-name-invalid");
    }

    [Fact]
    public void Given_a_name_of_exactly_200_characters_When_inspected_Then_accepted()
    {
        Inspect(new string('a', 196) + ".pdf", Pdf).Rejection.Should().BeNull();
    }

    public static TheoryData<string, byte[]> NotDocuments() => new()
    {
        { "notes.pdf", "hello, this is text"u8.ToArray() },
        { "image.png", "GIF89a\u0001\u0000\u0001\u0000"u8.ToArray() },
        { "archive.pdf", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00] },
        { "setup.pdf", [0x4D, 0x5A, 0x90, 0x00] },
        { "page.pdf", "<html><body>%PDF-1.7</body></html>"u8.ToArray() },
        { "photo.jpg", Jpeg[2..] },
        { "x.pdf", [0x25] },
    };

    [Theory]
    [MemberData(nameof(NotDocuments))]
    public void Given_content_that_is_no_PDF_JPEG_or_PNG_When_inspected_Then_refused_listing_the_allowed_types(string name, byte[] content)
    {
        Rejected(name, content, "document-type-not-allowed").Message.Should().ContainAll("PDF", "JPEG", "PNG");
    }

    [Theory]
    [InlineData("scan.png", DocumentKind.Pdf)]
    [InlineData("proof.jpg", DocumentKind.Pdf)]
    [InlineData("proof", DocumentKind.Pdf)]
    [InlineData("proof.pdf.exe", DocumentKind.Pdf)]
    [InlineData("scan.pdf", DocumentKind.Png)]
    [InlineData("photo.png", DocumentKind.Jpeg)]
    [InlineData("photo.jpe", DocumentKind.Jpeg)]
    public void Given_content_whose_extension_says_otherwise_When_inspected_Then_refused_as_a_mismatch(string name, DocumentKind kind)
    {
        Rejected(name, kind switch { DocumentKind.Pdf => Pdf, DocumentKind.Png => Png, _ => Jpeg }, "document-type-mismatch")
            .Message.Should().Contain(kind.ToString().ToUpperInvariant());
    }

    [Fact]
    public void Given_PDFs_that_do_not_parse_When_inspected_Then_refused_as_unreadable()
    {
        Rejected("x.pdf", "%PDF-1.7 garbage"u8.ToArray(), "document-unreadable");
        Rejected("x.pdf", "%PDF-1.7 garbage\n%%EOF"u8.ToArray(), "document-unreadable");
        Rejected("x.pdf", Pdf[..(Pdf.Length / 2)], "document-unreadable");
        Rejected("x.pdf", Pdf[..^7], "document-unreadable").Message.Should().Contain("%%EOF");
    }

    [Fact]
    public void Given_encrypted_PDFs_When_inspected_Then_refused_as_unreadable_whether_or_not_they_open()
    {
        Rejected("x.pdf", Encrypted(EmptyPasswordCheck), "document-unreadable").Message.Should().Contain("encrypted");
        Rejected("x.pdf", Encrypted(_ => new byte[32]), "document-unreadable").Message.Should().Contain("encrypted");
    }

    [Fact]
    public void Given_PNGs_broken_in_each_way_When_inspected_Then_refused_as_unreadable()
    {
        var textMode = Png.ToArray();
        textMode[4] = 0x0A;
        var flipped = Png.ToArray();
        flipped[8 + 25 + 8] ^= 0x01; // the first byte of IDAT's data, after the signature and IHDR: its CRC no longer matches
        var iend = Png.Length - 12;

        Rejected("x.png", textMode, "document-unreadable").Message.Should().Contain("signature");
        Rejected("x.png", flipped, "document-unreadable").Message.Should().Contain("CRC");
        Rejected("x.png", Png[..iend], "document-unreadable").Message.Should().Contain("IEND");
        Rejected("x.png", Png[..^3], "document-unreadable");
        Rejected("x.png", Png[..8], "document-unreadable");
        Rejected("x.png", MakePng(width: 0), "document-unreadable").Message.Should().Contain("IHDR");
        Rejected("x.png", MakePng(bitDepth: 7), "document-unreadable").Message.Should().Contain("IHDR");
        Rejected("x.png", MakePng(idat: false), "document-unreadable").Message.Should().Contain("IDAT");
        Rejected("x.png", [.. Png[..8], .. Png[(8 + 25)..]], "document-unreadable").Message.Should().Contain("IHDR");
        Rejected("x.png", [.. Png, .. "PK\u0003\u0004"u8], "document-unreadable").Message.Should().Contain("after");
    }

    [Fact]
    public void Given_JPEGs_broken_in_each_way_When_inspected_Then_refused_as_unreadable()
    {
        var sof = FindMarker(Jpeg, 0xC0);
        var withoutFrame = Jpeg[..sof].Concat(Jpeg[(sof + 2 + 11)..]).ToArray();
        var noWidth = Jpeg.ToArray();
        noWidth[sof + 7] = noWidth[sof + 8] = 0;

        Rejected("x.jpg", [0xFF, 0xD8], "document-unreadable");
        Rejected("x.jpg", [0xFF, 0xD8, 0x00, 0x01, 0x02], "document-unreadable");
        Rejected("x.jpg", withoutFrame, "document-unreadable").Message.Should().Contain("frame");
        Rejected("x.jpg", noWidth, "document-unreadable").Message.Should().Contain("size");
        Rejected("x.jpg", Jpeg[..^2], "document-unreadable").Message.Should().Contain("end-of-image");
        Rejected("x.jpg", Jpeg[..(sof + 5)], "document-unreadable");
        Rejected("x.jpg", [.. Jpeg[..2], .. Jpeg[^2..]], "document-unreadable");
    }

    [Fact]
    public void Given_a_JPEG_with_a_camera_trailer_after_its_end_When_inspected_Then_accepted()
    {
        Inspect("photo.jpg", [.. Jpeg, .. "ftypmp42 motion photo"u8]).Rejection.Should().BeNull();
    }

    [Fact]
    public void Given_any_bytes_under_any_name_When_inspected_Then_never_throws_and_accepts_only_with_the_right_hash()
    {
        var names = Gen.Frequency((6, Gen.OneOf("x.pdf", "x.png", "x.jpg", "x.jpeg", "x.gif", "x")), (1, HostileValues.Strings));
        var documents = Gen.OneOf<(string Name, byte[] Content)>(("x.pdf", Pdf), ("x.png", Png), ("x.jpg", Jpeg));
        var uploads = Gen.Frequency(
            (1, Gen.Select(names, Gen.Byte.Array[0, 300])),
            (1, Gen.Select(documents, Gen.Byte.Array[0, 300], (d, noise) => (d.Name, (byte[])[.. d.Content[..8], .. noise]))),
            (1, Gen.Select(names, documents, (name, d) => (name, d.Content))),
            (8, Gen.Select(documents, Mutation.Array[1, 3], (d, damage) => (d.Name, damage.Aggregate(d.Content, (content, m) => m(content))))));

        uploads.Sample((name, content) =>
        {
            var (upload, rejection) = UploadInspection.Inspect(name, content, 4096);
            return upload is null
                ? rejection is not null && Rules.Contains(rejection.Rule) && !string.IsNullOrWhiteSpace(rejection.Message)
                : rejection is null && upload.Sha256 == Convert.ToHexStringLower(SHA256.HashData(content)) && upload.Length == content.Length
                  && upload.ContentType == UploadInspection.ContentType(upload.Kind) && SafeName(upload.FileName);
        }, iter: 3000);
    }

    /// <summary>Overwrite, insert or remove bytes, or cut the file short: what a flaky network or a hostile client does.</summary>
    private static readonly Gen<Func<byte[], byte[]>> Mutation = Gen.Select(Gen.Frequency((4, Gen.Const(0)), (2, Gen.Const(1)), (2, Gen.Const(2)), (1, Gen.Const(3))),
        Gen.Int[0, 9999], Gen.Byte[1, 255], Gen.Int[1, 16], (kind, where, value, count) => (Func<byte[], byte[]>)(d =>
        {
            var at = (int)((long)where * d.Length / 10000);
            return kind switch
            {
                0 => d.Select((b, i) => i >= at && i < at + count ? (byte)(b ^ value) : b).ToArray(),
                1 => [.. d[..at], .. Enumerable.Repeat(value, count), .. d[at..]],
                2 => [.. d[..at], .. d[Math.Min(d.Length, at + count)..]],
                _ => d[..at],
            };
        }));

    private static bool SafeName(string name) =>
        name.Length is > 0 and <= 200 && !name.StartsWith('.') && name.IndexOfAny(['/', '\\', ':', '\0']) < 0 && !name.Contains("..")
        && !name.Any(char.IsControl) && name == name.Trim();

    private static byte[] MakePdf()
    {
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        page.AddText("Proof of address", 12, new PdfPoint(25, 700), builder.AddStandard14Font(Standard14Font.Helvetica));
        return builder.Build();
    }

    /// <summary>
    /// The PDF with a standard (RC4, revision 2) encryption dictionary in its trailer; <paramref name="userCheck"/> makes its /U
    /// entry from the file id. <see cref="EmptyPasswordCheck"/> gives the real one for an empty user password, so PdfPig opens it.
    /// </summary>
    private static byte[] Encrypted(Func<byte[], byte[]> userCheck)
    {
        var text = Encoding.Latin1.GetString(Pdf);
        var id = Convert.FromHexString(text.Substring(text.IndexOf("/ID [ <", StringComparison.Ordinal) + 7, 32));
        var encrypt = $"/Encrypt << /Filter /Standard /V 1 /R 2 /O <{new string('A', 64)}> /U <{Convert.ToHexString(userCheck(id))}> /P -4 >> >>";
        return Encoding.Latin1.GetBytes(text.Replace("/Info 6 0 R >>", "/Info 6 0 R " + encrypt, StringComparison.Ordinal));
    }

    private static readonly byte[] PasswordPadding = Convert.FromHexString("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A");

    /// <summary>PDF 1.7, 7.6.3.3, algorithms 2 and 4: the key from the padded empty password, /O, /P and the id; /U is the padding under RC4.</summary>
    private static byte[] EmptyPasswordCheck(byte[] id)
    {
        var key = MD5.HashData([.. PasswordPadding, .. Convert.FromHexString(new string('A', 64)), .. BitConverter.GetBytes(-4), .. id])[..5];
        var s = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        for (int i = 0, j = 0; i < 256; i++)
        {
            j = (j + s[i] + key[i % key.Length]) & 255;
            (s[i], s[j]) = (s[j], s[i]);
        }
        var result = new byte[PasswordPadding.Length];
        for (int k = 0, a = 0, b = 0; k < result.Length; k++)
        {
            a = (a + 1) & 255;
            b = (b + s[a]) & 255;
            (s[a], s[b]) = (s[b], s[a]);
            result[k] = (byte)(PasswordPadding[k] ^ s[(s[a] + s[b]) & 255]);
        }
        return result;
    }

    /// <summary>A grey PNG, 8 bits a pixel, all black: IHDR, one zlib-compressed IDAT, IEND.</summary>
    private static byte[] MakePng(int width = 2, int height = 2, byte bitDepth = 8, bool idat = true)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = bitDepth;
        using var pixels = new MemoryStream();
        using (var zlib = new ZLibStream(pixels, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(new byte[height * (1 + width)]);
        return [0x89, .. "PNG\r\n\u001a\n"u8, .. Chunk("IHDR", header), .. idat ? Chunk("IDAT", pixels.ToArray()) : [], .. Chunk("IEND", [])];
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. data];
        var length = new byte[4];
        var crc = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        return [.. length, .. typed, .. crc];
    }

    private static uint Crc32(byte[] data)
    {
        var crc = uint.MaxValue;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>
    /// A 1×1 grey baseline JPEG: a flat quantisation table, a frame header, one-code Huffman tables (DC category 0, AC end of
    /// block, each coded '0'), a scan of those two bits padded with ones, and the end of image.
    /// </summary>
    private static byte[] MakeJpeg() =>
    [
        0xFF, 0xD8,
        0xFF, 0xDB, 0x00, 0x43, 0x00, .. Enumerable.Repeat((byte)1, 64),
        0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00,
        0xFF, 0xC4, 0x00, 0x14, 0x00, 0x01, .. new byte[15], 0x00,
        0xFF, 0xC4, 0x00, 0x14, 0x10, 0x01, .. new byte[15], 0x00,
        0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00,
        0x3F,
        0xFF, 0xD9,
    ];

    private static int FindMarker(byte[] jpeg, byte marker) =>
        Enumerable.Range(0, jpeg.Length - 1).First(i => jpeg[i] == 0xFF && jpeg[i + 1] == marker);
}
