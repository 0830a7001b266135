using ScottPlot;

namespace Ledger.Benchmarks;

/// <summary>Throughput and p99 against client count, one line per scenario that was run at several client counts.</summary>
public static class Chart
{
    public static void Write(List<Measurement> results, string path)
    {
        var series = results.GroupBy(m => m.Scenario).Where(g => g.Select(m => m.Clients).Distinct().Count() > 1).ToList();
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var throughput = multiplot.GetPlot(0);
        var p99 = multiplot.GetPlot(1);
        foreach (var scenario in series)
        {
            var points = scenario.OrderBy(m => m.Clients).ToArray();
            var xs = points.Select(m => (double)m.Clients).ToArray();
            throughput.Add.Scatter(xs, points.Select(m => m.OpsPerSecond).ToArray()).LegendText = scenario.Key;
            // A bulk request's latency is that of 1,000 charges: on the same axis it would flatten every other line.
            var withP99 = points.Where(m => !double.IsNaN(m.P99Ms) && m.Scenario != "bulk-charges").ToArray();
            if (withP99.Length > 0)
                p99.Add.Scatter(withP99.Select(m => (double)m.Clients).ToArray(), withP99.Select(m => m.P99Ms).ToArray()).LegendText = scenario.Key;
        }
        var counts = results.Select(m => (double)m.Clients).Distinct().Order().ToArray();
        foreach (var plot in new[] { throughput, p99 })
        {
            plot.Axes.Bottom.SetTicks(counts, counts.Select(c => c.ToString("0")).ToArray());
            plot.Axes.AutoScale();
            plot.Axes.SetLimitsY(0, plot.Axes.GetLimits().Top);
        }
        throughput.Title("Throughput (ops/s; pgbench in tps)");
        throughput.XLabel("concurrent clients");
        throughput.ShowLegend(Alignment.UpperLeft);
        p99.Title("p99 latency (ms)");
        p99.XLabel("concurrent clients");
        p99.ShowLegend(Alignment.UpperLeft);
        multiplot.SavePng(path, 1400, 1000);
    }
}
