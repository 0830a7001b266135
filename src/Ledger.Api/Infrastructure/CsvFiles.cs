using System.Globalization;
using CsvHelper;
using Ledger.Api.Infrastructure.OpenApi;

namespace Ledger.Api.Infrastructure;

/// <summary>The reports' CSV: one row per record, the property names (camelCase) as the header, text escaped against formula injection.</summary>
public static class CsvFiles
{
    /// <summary>
    /// Cells that begin with = + - @ (or a tab or carriage return) are escaped by CsvHelper's injection guard, so a name typed by a
    /// user never runs as a spreadsheet formula; numbers and times are written in the invariant culture.
    /// </summary>
    public static string Text<T>(IEnumerable<T> rows)
    {
        var properties = typeof(T).GetProperties();
        var text = new StringWriter(CultureInfo.InvariantCulture);
        var csv = CsvWriter.Create(text, new CsvWriterOptions { Injection = CsvInjection.Escape }, true);
        csv.WriteRecord(properties.Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..]).ToArray());
        foreach (var row in rows)
            csv.WriteRecord(properties.Select(p => p.GetValue(row) switch
            {
                null => "",
                DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                var v => v.ToString() ?? "",
            }).ToArray());
        csv.Flush();
        return text.ToString();
    }

    public static IResult File<T>(IEnumerable<T> rows, string fileName) =>
        Results.File(System.Text.Encoding.UTF8.GetBytes(Text(rows)), Answers.Csv, fileName);
}
