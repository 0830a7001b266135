using System.ComponentModel;

namespace Ledger.IntegrationTests.Harness;

/// <summary>Poppler's <c>pdfsig</c> (Debian's poppler-utils; `./ledger test` installs it): how an independent reader sees a PDF's signatures.</summary>
public static class Pdfsig
{
    /// <summary>What pdfsig prints about <paramref name="pdf"/>'s signatures.</summary>
    public static async Task<string> ReadAsync(byte[] pdf)
    {
        var directory = Directory.CreateTempSubdirectory("ledger-pdfsig-");
        try
        {
            var file = Path.Combine(directory.FullName, "document.pdf");
            await File.WriteAllBytesAsync(file, pdf);
            // It prints the signing time in the local zone: UTC, so that tests can name it.
            var (_, output) = await Tools.RunAsync("pdfsig", [file], directory.FullName, new Dictionary<string, string> { ["TZ"] = "UTC" },
                TimeSpan.FromMinutes(1));
            return output;
        }
        catch (Win32Exception missing)
        {
            throw new InvalidOperationException("pdfsig is not installed: `apt-get install poppler-utils` (`./ledger test` does).", missing);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
