using System.Globalization;
using Ledger.Api.Corporate;

namespace Ledger.Api.Portal.Corporate;

/// <summary>One bar: a member's or node's spend in a month, and the top of its budget when one applies (then a line across it).</summary>
public sealed record ChartBar(string Series, string Month, decimal Spend, decimal? Budget, decimal? PercentUsed, string Color, double X, double Y,
    double Height, double? BudgetY);

/// <summary>A series' colour, named beside its swatch.</summary>
public sealed record ChartSeries(string Name, string Color);

/// <summary>
/// The spend report drawn as bars, one chart per currency (amounts in different currencies never share an axis): a group of
/// bars per month, a bar per member (or node), and a dashed line at the budget of those that have one. Drawn on the server
/// as SVG, so it needs no script and no library; every figure is also in the table beside it.
/// </summary>
public sealed record SpendChart(string Currency, string By, IReadOnlyList<string> Months, IReadOnlyList<ChartSeries> Series, IReadOnlyList<ChartBar> Bars,
    decimal Max, double Width)
{
    // Room above the plot for the tallest bar's figure, written upwards.
    public const double Height = 340, Top = 64, Bottom = 304, Left = 64, BarWidth = 22, BarGap = 4, GroupGap = 28;

    // Distinguishable for the common colour-vision deficiencies (Okabe–Ito), darkened for contrast on white.
    private static readonly string[] Palette = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#8a6d00", "#56b4e9", "#555555", "#e69f00"];

    public static IReadOnlyList<SpendChart> For(SpendReport report, string by) =>
        (by == "node"
            ? report.Nodes.Select(n => (Key: n.NodeId, Name: n.Path, n.Month, n.Currency, n.Spend, n.Budget, n.PercentUsed))
            : report.Members.Select(m => (Key: m.AccountId, Name: $"{m.HolderName} ({m.AccountNumber})", m.Month, m.Currency, m.Spend, m.Budget, m.PercentUsed)))
        .GroupBy(l => l.Currency).OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(lines =>
        {
            var series = lines.Select(l => (l.Key, l.Name)).Distinct().Select((s, i) => (s.Key, Series: new ChartSeries(s.Name, Palette[i % Palette.Length])))
                .ToList();
            var max = lines.Select(l => Math.Max(l.Spend, l.Budget ?? 0m)).DefaultIfEmpty(0m).Max() is var top and > 0 ? top : 1m;
            double Y(decimal amount) => Bottom - (double)(Math.Max(amount, 0m) / max) * (Bottom - Top);
            var groupWidth = series.Count * (BarWidth + BarGap) + GroupGap;
            var bars = report.Months.SelectMany((month, m) => series.Select((s, i) =>
            {
                var line = lines.FirstOrDefault(l => l.Key == s.Key && l.Month == month);
                var x = Left + GroupGap / 2 + m * groupWidth + i * (BarWidth + BarGap);
                return new ChartBar(s.Series.Name, month, line.Spend, line.Budget, line.PercentUsed, s.Series.Color, x, Y(line.Spend),
                    Bottom - Y(line.Spend), line.Budget is { } budget ? Y(budget) : null);
            })).ToList();
            return new SpendChart(lines.Key, by, report.Months, series.Select(s => s.Series).ToList(), bars, max, Left + report.Months.Count * groupWidth + 8);
        }).ToList();

    /// <summary>An amount as the report's table writes it.</summary>
    public static string Figure(decimal amount) => amount.ToString("N2", CultureInfo.InvariantCulture);

    /// <summary>The number drawn with SVG coordinates (a dot, never a comma, whatever the server's culture).</summary>
    public static string At(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public double GroupCentre(int month) => Left + GroupGap / 2 + month * (Series.Count * (BarWidth + BarGap) + GroupGap) + Series.Count * (BarWidth + BarGap) / 2.0;

    public string Title => $"Spend per {(By == "node" ? "node" : "member")} and month, {Currency}";

    public string Description =>
        $"{Bars.Count} bars: {Series.Count} {(By == "node" ? "node(s)" : "member(s)")} in each of {Months.Count} month(s), from 0 to {Figure(Max)} {Currency}. " +
        "A dashed line across a bar marks its budget. The same figures are in the table below.";

    public string BarTitle(ChartBar bar) =>
        $"{bar.Series}, {bar.Month}: {Figure(bar.Spend)} {Currency}" +
        (bar.Budget is { } budget ? $" of a {Figure(budget)} budget ({bar.PercentUsed?.ToString(CultureInfo.InvariantCulture)} %)" : "");
}
