using System.Text.RegularExpressions;
using Ledger.IntegrationTests.Harness;
using YamlDotNet.RepresentationModel;

namespace Ledger.IntegrationTests.Deployment;

/// <summary>
/// Issue 17, finding 11: `docker compose up` is production-shaped unless the demo profile is asked for. There is no
/// Docker engine here, so the file itself is what is checked (parsed as YAML, anchors resolved).
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly string Root = Tools.RepositoryRoot;
    private static readonly YamlMappingNode Services = (YamlMappingNode)Load()["services"];

    private static YamlMappingNode Load()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(Root, "docker-compose.yml"))));
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static YamlMappingNode Service(string name) => (YamlMappingNode)Services[name];

    private static IEnumerable<(string Name, YamlMappingNode Service)> DefaultStack() => Services.Children
        .Select(s => (((YamlScalarNode)s.Key).Value!, (YamlMappingNode)s.Value))
        .Where(s => !s.Item2.Children.ContainsKey("profiles"));

    private static string? Environment(YamlMappingNode service, string key) =>
        service.Children.TryGetValue("environment", out var env) && ((YamlMappingNode)env).Children.TryGetValue(key, out var value)
            ? ((YamlScalarNode)value).Value : null;

    private static IEnumerable<string> Ports(YamlMappingNode service) =>
        service.Children.TryGetValue("ports", out var ports) ? ((YamlSequenceNode)ports).Children.Select(p => ((YamlScalarNode)p).Value!) : [];

    [Fact]
    public void The_default_stack_runs_Production_without_demo_sign_in()
    {
        Environment(Service("api"), "ASPNETCORE_ENVIRONMENT").Should().Be("Production");
        Environment(Service("api"), "Portal__DemoSignIn").Should().Be("false");
        foreach (var (name, service) in DefaultStack())
        {
            Environment(service, "ASPNETCORE_ENVIRONMENT").Should().NotBe("Development", name);
            Environment(service, "Portal__DemoSignIn").Should().NotBe("true", name);
        }
    }

    [Fact]
    public void The_database_is_not_published_and_everything_published_is_bound_to_localhost()
    {
        Service("db").Children.Should().NotContainKey("ports");
        Ports(Service("mail")).Should().ContainSingle().Which.Should().StartWith("127.0.0.1:").And.EndWith(":8025");
        Services.Children.SelectMany(s => Ports((YamlMappingNode)s.Value).Select(p => $"{s.Key} {p}")).Should()
            .NotBeEmpty().And.OnlyContain(p => p.Contains(" 127.0.0.1:"), "every service publishes on this machine only");
    }

    [Fact]
    public void The_demo_set_up_is_a_profile_of_its_own()
    {
        var demo = Service("demo");
        ((YamlSequenceNode)demo["profiles"]).Children.Select(p => ((YamlScalarNode)p).Value).Should().Equal("demo");
        Environment(demo, "ASPNETCORE_ENVIRONMENT").Should().Be("Development");
        Environment(demo, "Portal__DemoSignIn").Should().Be("true");
        Environment(demo, "ConnectionStrings__Ledger").Should().Contain("Host=demo-db", "the demo never writes to the real ledger's database");
    }

    [Fact]
    public void Secrets_come_from_the_env_file_and_env_example_names_every_variable()
    {
        Environment(Service("db"), "POSTGRES_PASSWORD").Should().MatchRegex(@"^\$\{LEDGER_DB_PASSWORD:\?.+\}$", "no default password");
        var scalars = Load().AllNodes.OfType<YamlScalarNode>().Select(n => n.Value ?? "").ToList();
        var used = scalars.SelectMany(s => Variable().Matches(s)).Select(m => m.Groups[1].Value).ToHashSet();
        var required = scalars.SelectMany(s => Variable().Matches(s)).Where(m => m.Groups[2].Value == ":?").Select(m => m.Groups[1].Value).ToHashSet();
        required.Should().Contain("LEDGER_DB_PASSWORD");

        var example = Path.Combine(Root, ".env.example");
        File.Exists(example).Should().BeTrue();
        var named = File.ReadAllLines(example).Select(l => Regex.Match(l, @"^([A-Z0-9_]+)=").Groups[1].Value).Where(n => n.Length > 0).ToHashSet();
        named.Should().BeEquivalentTo(used, ".env.example names every variable the compose file reads, required ones included");
        File.ReadAllText(Path.Combine(Root, ".gitignore")).Split('\n').Should().Contain(".env", "the filled-in file is never committed");
    }

    [Fact]
    public void Three_API_replicas_run_behind_the_balancer_after_the_schema_is_applied_once()
    {
        var api = Service("api");
        ((YamlScalarNode)((YamlMappingNode)api["deploy"])["replicas"]).Value.Should().Be("3");
        Ports(api).Should().BeEmpty("clients reach the nodes through the balancer only");

        var balancer = Service("balancer");
        Ports(balancer).Should().Contain(p => p.StartsWith("127.0.0.1:") && p.EndsWith(":5080"));
        ((YamlSequenceNode)balancer["volumes"]).Children.Select(v => ((YamlScalarNode)v).Value).Should()
            .Contain(v => v!.StartsWith("./deploy/haproxy.cfg:"), "the balancer has the configuration `./ledger run --nodes N` uses");
        File.Exists(Path.Combine(Root, "deploy", "haproxy.cfg")).Should().BeTrue();
        var command = string.Join(" ", ((YamlSequenceNode)balancer["command"]).Children.Select(c => ((YamlScalarNode)c).Value));
        command.Should().Contain("server-template api 3 api:5080 check", "a slot for each replica");
        ((YamlScalarNode)((YamlMappingNode)((YamlMappingNode)balancer["depends_on"])["api"])["condition"]).Value.Should().Be("service_healthy");

        ((YamlSequenceNode)Service("migrate")["command"]).Children.Select(c => ((YamlScalarNode)c).Value).Should().Equal("migrate");
        ((YamlScalarNode)((YamlMappingNode)((YamlMappingNode)api["depends_on"])["migrate"])["condition"]).Value.Should()
            .Be("service_completed_successfully", "the replicas start on an applied schema instead of racing to apply it");
        Environment(api, "Ledger__ForwardedHeaders__KnownNetworks__0").Should().Contain("LEDGER_STACK_SUBNET",
            "the nodes believe what the balancer forwards (the client's address, for rate limits)");
    }

    [GeneratedRegex(@"\$\{([A-Za-z0-9_]+)(:\?|:-|\?|-)?")]
    private static partial Regex Variable();
}
