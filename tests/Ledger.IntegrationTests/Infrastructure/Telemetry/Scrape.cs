using System.Globalization;

namespace Ledger.IntegrationTests.Infrastructure.Telemetry;

/// <summary>A /metrics page in Prometheus' text format, read as a person reading it would: a metric's samples, by their labels.</summary>
public sealed class Scrape(string text)
{
    public string Text { get; } = text;

    /// <summary>The sum of the samples of <paramref name="metric"/> carrying every one of <paramref name="labels"/> (0 when none does).</summary>
    public double Sum(string metric, params (string Name, string Value)[] labels) =>
        Samples(metric).Where(s => labels.All(l => s.Labels.Contains($"{l.Name}=\"{l.Value}\""))).Sum(s => s.Value);

    public bool Has(string metric) => Samples(metric).Any();

    private IEnumerable<(string Labels, double Value)> Samples(string metric)
    {
        foreach (var line in Text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(metric, StringComparison.Ordinal))
                continue;
            var rest = line[metric.Length..];
            if (rest.Length == 0 || rest[0] is not ('{' or ' '))
                continue;
            var labels = rest[0] == '{' ? rest[1..rest.IndexOf('}')] : "";
            var value = rest[(rest[0] == '{' ? rest.IndexOf('}') + 1 : 0)..].Trim().Split(' ')[0];
            yield return (labels, double.Parse(value, CultureInfo.InvariantCulture));
        }
    }
}
