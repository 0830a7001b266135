using System.Text;

namespace Ledger.IntegrationTests.Harness;

/// <summary>Reads a CSV answer as RFC 4180 says (quoted cells may hold commas, quotes and line breaks): rows of cells.</summary>
public static class Csv
{
    public static List<string[]> Parse(string text)
    {
        var (rows, row, cell, quoted) = (new List<string[]>(), new List<string>(), new StringBuilder(), false);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    (cell, i) = (cell.Append('"'), i + 1);
                else if (c == '"')
                    quoted = false;
                else
                    cell.Append(c);
                continue;
            }
            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    row.Add(cell.ToString());
                    cell.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    row.Add(cell.ToString());
                    (cell, row) = (cell.Clear(), Add(rows, row));
                    break;
                default:
                    cell.Append(c);
                    break;
            }
        }
        if (cell.Length > 0 || row.Count > 0)
        {
            row.Add(cell.ToString());
            rows.Add([.. row]);
        }
        return rows;
    }

    private static List<string> Add(List<string[]> rows, List<string> row)
    {
        rows.Add([.. row]);
        return [];
    }
}
