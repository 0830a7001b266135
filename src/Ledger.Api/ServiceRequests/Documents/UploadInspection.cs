using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ledger.Domain;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Exceptions;

namespace Ledger.Api.ServiceRequests.Documents;

public enum DocumentKind { Pdf, Jpeg, Png }

/// <summary>An upload that passed inspection: its safe file name, what its content is, its length and lowercase hex SHA-256.</summary>
public sealed record InspectedUpload(string FileName, DocumentKind Kind, string ContentType, long Length, string Sha256);

/// <summary>
/// Decides whether a customer's supporting document is taken, by its content and never by the type a browser declares:
/// a PDF, JPEG or PNG by its first bytes, named with the matching extension, and whole (a PDF opens with PdfPig and is not
/// encrypted, a PNG's chunks are intact up to its final IEND, a JPEG has a frame header and its end-of-image marker).
/// Never throws on any upload: every way an upload can be wrong is a <see cref="Rejection"/>.
/// </summary>
public static class UploadInspection
{
    public const long DefaultMaxBytes = 10 * 1024 * 1024;
    public const int MaxFileNameLength = 200;

    private const string AllowedTypes = "PDF (.pdf), JPEG (.jpg, .jpeg) or PNG (.png)";
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly string[] DeviceNames = ["CON", "PRN", "AUX", "NUL", .. Enumerable.Range(1, 9).SelectMany(n => new[] { $"COM{n}", $"LPT{n}" })];

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBytes"/> below 1: a setting, not an upload, is wrong.</exception>
    public static (InspectedUpload? Upload, Rejection? Rejection) Inspect(string? fileName, ReadOnlyMemory<byte> content, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        var name = fileName?.Trim() ?? "";
        if (NameProblem(name) is { } badName)
            return (null, new Rejection("document-name-invalid", badName, "fileName"));
        if (content.IsEmpty)
            return Rejected("document-empty", "The file is empty.");
        if (content.Length > maxBytes)
            return Rejected("document-too-large", $"A document is at most {Size(maxBytes)}; this one is {Size(content.Length)}.");
        var bytes = content.Span;
        if (Detect(bytes) is not { } kind)
            return Rejected("document-type-not-allowed", $"Only {AllowedTypes} documents are accepted; this file's content is none of them.");
        var extension = name.LastIndexOf('.') is var dot and >= 0 ? name[(dot + 1)..].ToLowerInvariant() : "";
        if (ExtensionKind(extension) != kind)
            return Rejected("document-type-mismatch", $"The file's content is a {kind.ToString().ToUpperInvariant()} but its name ends in " +
                (extension.Length == 0 ? "no extension" : $"'.{extension}'") + $"; a {kind.ToString().ToUpperInvariant()} is named {Extensions(kind)}.");
        if ((kind switch { DocumentKind.Pdf => PdfProblem(content), DocumentKind.Png => PngProblem(bytes), _ => JpegProblem(bytes) }) is { } damaged)
            return Rejected("document-unreadable", damaged);
        return (new InspectedUpload(name, kind, ContentType(kind), content.Length, Convert.ToHexStringLower(SHA256.HashData(bytes))), null);
    }

    public static string ContentType(DocumentKind kind) => kind switch { DocumentKind.Pdf => "application/pdf", DocumentKind.Png => "image/png", _ => "image/jpeg" };

    private static (InspectedUpload?, Rejection?) Rejected(string rule, string message) => (null, new Rejection(rule, message, "file"));

    /// <summary>The name is stored and shown back, and may one day be written to a disk: it names one file, plainly, on any system.</summary>
    private static string? NameProblem(string name)
    {
        if (name.Length == 0)
            return "A document needs a file name.";
        if (name.Length > MaxFileNameLength)
            return $"A file name is at most {MaxFileNameLength} characters; this one has {name.Length}.";
        if (name.Contains('/') || name.Contains('\\') || name.Contains(".."))
            return "A file name names a file, not a path: no '/', '\\' or '..'.";
        for (var (i, read) = (0, 0); i < name.Length; i += read)
            if (Rune.DecodeFromUtf16(name.AsSpan(i), out var rune, out read) != OperationStatus.Done || rune == Rune.ReplacementChar || Rune.GetUnicodeCategory(rune)
                    is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.OtherNotAssigned)
                return "A file name may not contain control characters (NUL included), invisible formatting marks or broken characters.";
        if (name.IndexOfAny([':', '*', '?', '"', '<', '>', '|']) >= 0)
            return "A file name may not contain a drive letter or any of : * ? \" < > |.";
        if (name.StartsWith('.'))
            return "A file name may not start with '.'.";
        return DeviceNames.Contains(name.Split('.')[0].TrimEnd(), StringComparer.OrdinalIgnoreCase)
            ? $"'{name.Split('.')[0]}' is a reserved device name on Windows; rename the file."
            : null;
    }

    private static DocumentKind? Detect(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith("%PDF-"u8) ? DocumentKind.Pdf
        : bytes.StartsWith(PngSignature.AsSpan(0, 4)) ? DocumentKind.Png
        : bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8]) ? DocumentKind.Jpeg
        : null;

    private static DocumentKind? ExtensionKind(string extension) => extension switch
    {
        "pdf" => DocumentKind.Pdf,
        "jpg" or "jpeg" => DocumentKind.Jpeg,
        "png" => DocumentKind.Png,
        _ => null,
    };

    private static string Extensions(DocumentKind kind) => kind switch { DocumentKind.Pdf => ".pdf", DocumentKind.Png => ".png", _ => ".jpg or .jpeg" };

    private static string Size(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MB" : string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes");

    private static string? PdfProblem(ReadOnlyMemory<byte> content)
    {
        // Readers look for the end marker in the last 1,024 bytes; without it the upload was cut short.
        if (content.Span[Math.Max(0, content.Length - 1024)..].IndexOf("%%EOF"u8) < 0)
            return "The PDF ends without its %%EOF marker: the file is incomplete.";
        try
        {
            using var document = PdfDocument.Open(content);
            if (document.IsEncrypted)
                return "The PDF is encrypted or password-protected; upload it without protection.";
            if (document.NumberOfPages < 1)
                return "The PDF has no pages.";
            _ = document.GetPage(1);
            return null;
        }
        catch (PdfDocumentEncryptedException)
        {
            return "The PDF is encrypted or password-protected; upload it without protection.";
        }
        // PdfPig reports damage through many exception types (format, cast, range, not-supported...); each means "cannot be read".
        catch (Exception)
        {
            return "The PDF cannot be read: its structure is damaged.";
        }
    }

    private static string? PngProblem(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.StartsWith(PngSignature))
            return "The PNG's signature is damaged (as by a text-mode transfer).";
        var (position, idat) = (PngSignature.Length, false);
        while (true)
        {
            if (bytes.Length - position < 12)
                return "The PNG ends before its IEND chunk: the file is incomplete.";
            var length = BinaryPrimitives.ReadUInt32BigEndian(bytes[position..]);
            if (length > int.MaxValue || bytes.Length - position - 12 < length)
                return "The PNG ends inside a chunk: the file is incomplete.";
            var chunk = bytes.Slice(position + 4, 4 + (int)length);
            var type = chunk[..4];
            if (Crc32(chunk) != BinaryPrimitives.ReadUInt32BigEndian(bytes[(position + 8 + (int)length)..]))
                return "A PNG chunk fails its CRC check: the file is damaged.";
            if ((position == PngSignature.Length) != type.SequenceEqual("IHDR"u8) || (type.SequenceEqual("IHDR"u8) && !ValidHeader(chunk[4..])))
                return "The PNG does not start with one valid IHDR header.";
            idat |= type.SequenceEqual("IDAT"u8);
            position += 12 + (int)length;
            if (type.SequenceEqual("IEND"u8))
                return !idat ? "The PNG has no image data (IDAT)."
                    : length != 0 ? "The PNG's IEND chunk is damaged."
                    : position != bytes.Length ? "The PNG has data after its IEND chunk." : null;
        }
    }

    private static bool ValidHeader(ReadOnlySpan<byte> header) =>
        header.Length == 13
        && BinaryPrimitives.ReadUInt32BigEndian(header) is > 0 and <= int.MaxValue && BinaryPrimitives.ReadUInt32BigEndian(header[4..]) is > 0 and <= int.MaxValue
        && (header[9], header[8]) switch
        {
            (0, 1 or 2 or 4 or 8 or 16) or (3, 1 or 2 or 4 or 8) or (2 or 4 or 6, 8 or 16) => true,
            _ => false,
        }
        && header[10] == 0 && header[11] == 0 && header[12] is 0 or 1;

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>Walks the JPEG's markers from SOI: a frame header (SOF) with a size, then scans, then EOI. Bytes after EOI are
    /// left alone: phone cameras append their own data there.</summary>
    private static string? JpegProblem(ReadOnlySpan<byte> bytes)
    {
        const string Incomplete = "The JPEG ends before its end-of-image marker: the file is incomplete.";
        var (position, frame, scan) = (2, false, false);
        while (true)
        {
            if (position >= bytes.Length)
                return Incomplete;
            if (bytes[position] != 0xFF)
                return "The JPEG's structure is damaged: a marker was expected.";
            while (position < bytes.Length && bytes[position] == 0xFF)
                position++;
            if (position >= bytes.Length)
                return Incomplete;
            var marker = bytes[position++];
            if (marker == 0xD9)
                return !frame ? "The JPEG has no frame header with the image's size." : !scan ? "The JPEG has no image data (no scan)." : null;
            if (marker is 0x00 or 0xD8)
                return "The JPEG's structure is damaged: a marker is out of place.";
            if (marker is >= 0xD0 and <= 0xD7 or 0x01)
                continue;
            if (bytes.Length - position < 2)
                return Incomplete;
            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[position..]);
            if (length < 2)
                return "The JPEG's structure is damaged: a segment has no length.";
            if (bytes.Length - position < length)
                return Incomplete;
            var segment = bytes.Slice(position, length);
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (length < 8 || length != 8 + 3 * segment[7] || segment[7] == 0)
                    return "The JPEG's frame header is damaged.";
                if (BinaryPrimitives.ReadUInt16BigEndian(segment[3..]) == 0 || BinaryPrimitives.ReadUInt16BigEndian(segment[5..]) == 0)
                    return "The JPEG's frame header gives the image no size.";
                frame = true;
            }
            position += length;
            if (marker != 0xDA)
                continue;
            if (!frame)
                return "The JPEG's image data comes before its frame header.";
            scan = true;
            // Entropy-coded data runs to the next marker: an FF not followed by a stuffed 00 or a restart marker.
            while (true)
            {
                var next = bytes[position..].IndexOf((byte)0xFF);
                if (next < 0 || position + next + 1 >= bytes.Length)
                    return Incomplete;
                position += next;
                if (bytes[position + 1] is 0x00 or (>= 0xD0 and <= 0xD7))
                    position += 2;
                else if (bytes[position + 1] == 0xFF)
                    position++;
                else
                    break;
            }
        }
    }
}
