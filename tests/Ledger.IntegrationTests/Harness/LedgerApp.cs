using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using Wolverine;

namespace Ledger.IntegrationTests.Harness;

/// <summary>
/// The real application (ASP.NET pipeline, Wolverine, Marten) on a database of its own, created for
/// this test run and dropped afterwards, so tests never touch the development database and reruns
/// need no clean-up.
/// </summary>
public class LedgerApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Issuer = "ledger-tests";
    public const string Audience = "ledger-api-tests";
    private static readonly byte[] SigningKey = Encoding.UTF8.GetBytes("integration-tests-only-signing-key-0123456789abcdef");

    public static string SigningKeyBase64 => Convert.ToBase64String(SigningKey);

    private readonly ScratchDatabase _database = new("app");

    /// <summary>Anchors of this app go here, signed with a key made for this run (never a committed one).</summary>
    public AnchorFiles Anchors { get; } = new();

    // Program ends in RunJasperFxCommands; under the test host it must start the app instead of parsing args.
    static LedgerApp() => JasperFx.CommandLine.JasperFxEnvironment.AutoStartHost = true;

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("LEDGER_TEST_ADMIN_CONNECTION")
        ?? "Host=localhost;Port=5432;Database=postgres;Username=ledger;Password=ledger";

    /// <summary>The application's clock: real time plus an offset a test may move forward (and must put back).</summary>
    public AdjustableClock Clock { get; } = new();

    public string ConnectionString => new NpgsqlConnectionStringBuilder(_database.ConnectionString) { MaxPoolSize = 40 }.ConnectionString;

    /// <summary>The card processor this app talks to (the stand-in), its webhooks delivered into this app.</summary>
    public StandIn Processor { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await BeforeStartAsync();
        Processor = await StandIn.StartAsync(() => Server.CreateHandler());
        _ = Server; // start the host now: schema is applied on start-up
    }

    public new async Task DisposeAsync()
    {
        if (Processor is not null)
            await Processor.DisposeAsync();
        var contract = Services.GetService<ResponseContract>();
        await base.DisposeAsync();
        await AfterStopAsync();
        await _database.DisposeAsync();
        Anchors.Dispose();
        // Which operations and statuses the suite's answers covered (`./ledger test` sums them up).
        if (contract is not null && Environment.GetEnvironmentVariable("LEDGER_CONTRACT_REPORT") is { Length: > 0 } report)
            await File.AppendAllLinesAsync(report, contract.Checked.Select(c => $"{c.Key}\t{c.Value}"));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // As strict as Development: a singleton holding a scoped service fails here, not on a newcomer's `./ledger run`.
        builder.UseDefaultServiceProvider(o =>
        {
            o.ValidateScopes = true;
            o.ValidateOnBuild = true;
        });
        builder.UseSetting("ConnectionStrings:Ledger", ConnectionString);
        builder.UseSetting("Authentication:Schemes:Bearer:ValidIssuer", Issuer);
        builder.UseSetting("Authentication:Schemes:Bearer:ValidAudiences:0", Audience);
        builder.UseSetting("Authentication:Schemes:Bearer:SigningKeys:0:Issuer", Issuer);
        builder.UseSetting("Authentication:Schemes:Bearer:SigningKeys:0:Value", Convert.ToBase64String(SigningKey));
        builder.UseSetting("Portal:DemoSignIn", "true");
        foreach (var (key, value) in TestRateLimits.Settings())
            builder.UseSetting(key, value);
        foreach (var (key, value) in Anchors.Settings)
            builder.UseSetting(key, value);
        foreach (var (key, value) in Processor.Settings)
            builder.UseSetting(key, value);
        builder.UseSetting("Payments:ReturnedPaymentFees:USD", "15");
        builder.ConfigureServices(services =>
        {
            if (!UsesExternalTransports)
                services.DisableAllExternalWolverineTransports();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<ResponseContract>();
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, ResponseContractStartup>();
        });
        ConfigureSettings(builder);
    }

    /// <summary>For a fixture whose settings name something that must run first (an identity provider).</summary>
    protected virtual Task BeforeStartAsync() => Task.CompletedTask;

    protected virtual Task AfterStopAsync() => Task.CompletedTask;

    /// <summary>Whether Wolverine may talk to brokers (RabbitMQ): only the fixtures that test the event feed.</summary>
    protected virtual bool UsesExternalTransports => false;

    /// <summary>For a fixture that needs settings of its own (e.g. its own SMTP server).</summary>
    protected virtual void ConfigureSettings(IWebHostBuilder builder)
    {
    }

    /// <summary>A client whose requests carry a bearer token for this user.</summary>
    public HttpClient ClientFor(TestUser user)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Token(user));
        return client;
    }

    public static string Token(TestUser user, DateTime? expires = null, byte[]? key = null)
    {
        var claims = new List<Claim> { new("sub", user.Name), new("unique_name", user.Name) };
        claims.AddRange(user.Roles.Select(r => new Claim("role", r)));
        if (user.CustomerId is not null)
            claims.Add(new Claim("customer_id", user.CustomerId));
        if (user.BrokerId is not null)
            claims.Add(new Claim("broker_id", user.BrokerId));
        if (user.CorporateId is not null)
            claims.Add(new Claim("corporate_id", user.CorporateId));
        if (user.CorporateNode is not null)
            claims.Add(new Claim("corporate_node", user.CorporateNode.Value.ToString()));
        return TokenWith(claims, expires, key);
    }

    /// <summary>A correctly signed token carrying exactly these claims, however odd (no subject, a blank customer id...).</summary>
    public static string TokenWith(IEnumerable<Claim> claims, DateTime? expires = null, byte[]? key = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = (expires ?? now.AddHours(1)).AddHours(-2),
            IssuedAt = (expires ?? now.AddHours(1)).AddHours(-2),
            Expires = expires ?? now.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? SigningKey), SecurityAlgorithms.HmacSha256),
        });
    }
}

public sealed record TestUser(string Name, string[] Roles, string? CustomerId = null, string? BrokerId = null, string? CorporateId = null,
    Guid? CorporateNode = null)
{
    /// <summary>A corporate customer's admin: the whole tree, or with <paramref name="node"/> only the part under that node.</summary>
    public static TestUser CorporateAdmin(string corporateId, Guid? node = null, string? name = null) =>
        new(name ?? $"admin-{corporateId}", ["corporate-admin"], CorporateId: corporateId, CorporateNode: node);
    public static TestUser Broker(string brokerId) => new($"broker-{brokerId}", ["broker"], BrokerId: brokerId);
    public static TestUser Csr(string name = "carol.csr") => new(name, ["csr"]);
    public static TestUser Manager(string name = "mike.manager") => new(name, ["manager"]);
    public static TestUser Auditor(string name = "ann.auditor") => new(name, ["auditor"]);
    public static TestUser Admin(string name = "ada.admin") => new(name, ["admin"]);
    public static TestUser Customer(string customerId) => new($"customer-{customerId}", ["customer"], customerId);
}

[CollectionDefinition(Name)]
public sealed class LedgerCollection : ICollectionFixture<LedgerApp>
{
    public const string Name = "ledger";
}

/// <summary>
/// Tests that edit or delete rows behind the application's back get a database of their own, so the rest of the
/// suite (the rebuild-equivalence test above all) only ever sees history written through the ledger.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TamperingCollection : ICollectionFixture<LedgerApp>
{
    public const string Name = "tampering";
}

public sealed class AdjustableClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
