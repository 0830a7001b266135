using System.Text.Json;

namespace Ledger.Api.Integrity.Anchoring;

/// <summary>An anchor file as read back: the anchor if it parsed, and what is wrong with it if anything.</summary>
public sealed record StoredAnchor(string File, Anchor? Anchor, string? Problem)
{
    public bool Valid => Anchor is not null && Problem is null;
}

/// <summary>
/// Anchors as files, one per anchor, outside the database. Append-only from this side: each is written under a temporary
/// name, flushed, then linked to its final name, which fails rather than replace an existing file; files are created
/// read-only. Names sort by time, so the newest is the last name. Protecting the directory from the service's own OS
/// user (a WORM bucket, `chattr +a`, shipping copies off the host) is the operator's part; see docs/integrity.md.
/// </summary>
public sealed class AnchorStore(AnchorSigning signing)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string FileNameOf(Anchor anchor) => $"anchor-{anchor.TakenAt.UtcDateTime:yyyyMMdd'T'HHmmss'.'fffffff'Z'}-{anchor.Id:N}.json";

    public async Task<string> AppendAsync(Anchor anchor, CancellationToken ct)
    {
        var name = FileNameOf(anchor);
        Directory.CreateDirectory(signing.Directory);
        var final = Path.Combine(signing.Directory, name);
        var temporary = Path.Combine(signing.Directory, $".{name}.{Guid.NewGuid():N}.tmp");
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        try
        {
            await using (var file = new FileStream(temporary, create))
            {
                await JsonSerializer.SerializeAsync(file, anchor, Json, ct);
                file.Flush(flushToDisk: true);
            }
            // overwrite: false is a hard link on Unix: it fails if the name exists, atomically, instead of replacing it.
            File.Move(temporary, final, overwrite: false);
            return name;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>File names, newest first (none before the first anchor creates the directory).</summary>
    public IReadOnlyList<string> Names() =>
        !Directory.Exists(signing.Directory) ? []
        : Directory.EnumerateFiles(signing.Directory, "anchor-*.json").Select(Path.GetFileName).OfType<string>()
            .OrderDescending(StringComparer.Ordinal).ToList();

    public async Task<StoredAnchor> ReadAsync(string name, CancellationToken ct)
    {
        try
        {
            await using var file = File.OpenRead(Path.Combine(signing.Directory, name));
            var anchor = await JsonSerializer.DeserializeAsync<Anchor>(file, Json, ct);
            if (anchor?.Streams is null || anchor.Format is null || anchor.Signature is null || anchor.KeyFingerprint is null)
                return new(name, null, "it is not an anchor (fields missing)");
            return new(name, anchor, anchor.Problem(signing));
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return new(name, null, $"it cannot be read as an anchor ({e.GetType().Name}: {e.Message})");
        }
    }

    /// <summary>The newest anchor that verifies, and every newer file that does not (each of those is itself a finding).</summary>
    public async Task<(StoredAnchor? Latest, IReadOnlyList<StoredAnchor> Tampered)> LatestValidAsync(CancellationToken ct)
    {
        var tampered = new List<StoredAnchor>();
        foreach (var name in Names())
        {
            var stored = await ReadAsync(name, ct);
            if (stored.Valid)
                return (stored, tampered);
            tampered.Add(stored);
        }
        return (null, tampered);
    }
}
