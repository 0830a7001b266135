using Ledger.IntegrationTests.Harness;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Wolverine;

namespace Ledger.IntegrationTests.Portal;

/// <summary>
/// The whole application on a real loopback port (Kestrel, so a browser can reach it) with a database of its own,
/// and the machine's Chromium driven by Playwright. Playwright's node driver comes with its NuGet package; the
/// browser is Debian's (`./ledger test` installs it), never a download.
/// </summary>
public sealed class BrowserApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly ScratchDatabase _database = new("portal");
    private IPlaywright? _playwright;

    static BrowserApp() => JasperFx.CommandLine.JasperFxEnvironment.AutoStartHost = true;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The ledger's clock: moved forward by tests that need bills to fall due (offset zero otherwise).</summary>
    public AdjustableClock Clock { get; } = new();

    /// <summary>The organisation's OpenID Connect provider the portal is configured with (besides the demo sign-in).</summary>
    public TestIdentityProvider Identity { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Screenshots of the main pages: test artifacts next to the other results (bin/.../TestResults/portal).</summary>
    public static string ScreenshotDirectory { get; } = Environment.GetEnvironmentVariable("LEDGER_SCREENSHOTS")
        ?? Path.Combine(AppContext.BaseDirectory, "TestResults", "portal");

    public static string ChromiumPath => Environment.GetEnvironmentVariable("LEDGER_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>
    /// The mail server notices go to (a sink of this app's own); retries are quick, so a notice sent while it is stopped reaches the
    /// dead letters within a second (the admin console's dead-letter page replays it).
    /// </summary>
    public SmtpSink Smtp { get; } = new();

    /// <summary>The card processor (the stand-in, on its own port): the browser types cards on its page, its webhooks come here.</summary>
    public StandIn Processor { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await Smtp.StartAsync();
        Identity = await TestIdentityProvider.StartAsync();
        Processor = await StandIn.StartAsync(() => new StandIn.ToLedgerAt(() => BaseAddress));
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
        // The processor's page sends the browser back here; the port is known only now.
        Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Ledger:PublicBaseUrl"] = BaseAddress.ToString().TrimEnd('/');
        await Identity.RegisterClientAsync(BaseAddress);
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"No Chromium at {ChromiumPath}: run `./ledger test` (it installs Debian's chromium) or set LEDGER_CHROMIUM.");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public new async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (Processor is not null)
            await Processor.DisposeAsync();
        await base.DisposeAsync();
        if (Identity is not null)
            await Identity.DisposeAsync();
        await Smtp.DisposeAsync();
        await _database.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // A small pool: the PostgreSQL cluster is shared with the other test hosts (and, here, other people's runs).
        builder.UseSetting("ConnectionStrings:Ledger", new Npgsql.NpgsqlConnectionStringBuilder(_database.ConnectionString) { MaxPoolSize = 20 }.ConnectionString);
        builder.UseSetting("Authentication:Schemes:Bearer:ValidIssuer", LedgerApp.Issuer);
        builder.UseSetting("Authentication:Schemes:Bearer:ValidAudiences:0", LedgerApp.Audience);
        builder.UseSetting("Authentication:Schemes:Bearer:SigningKeys:0:Issuer", LedgerApp.Issuer);
        builder.UseSetting("Authentication:Schemes:Bearer:SigningKeys:0:Value", LedgerApp.SigningKeyBase64);
        builder.UseSetting("Portal:DemoSignIn", "true");
        foreach (var (key, value) in TestRateLimits.Settings())
            builder.UseSetting(key, value);
        builder.UseSetting("Portal:OpenIdConnect:Authority", Identity.Authority.ToString());
        builder.UseSetting("Portal:OpenIdConnect:ClientId", TestIdentityProvider.ClientId);
        builder.UseSetting("Portal:OpenIdConnect:ClientSecret", TestIdentityProvider.ClientSecret);
        builder.UseSetting("Portal:OpenIdConnect:RequireHttpsMetadata", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Notifications:Smtp:Port", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Notifications:Smtp:TimeoutSeconds", "5");
        builder.UseSetting("Notifications:RetryCooldowns", "00:00:00.100, 00:00:00.200");
        builder.UseSetting("Notifications:ScheduledRetries", "");
        foreach (var (key, value) in Processor.Settings)
            builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.DisableAllExternalWolverineTransports();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    /// <summary>A bearer-token client for arranging data through the API, against the same server the browser uses.</summary>
    public HttpClient Api(TestUser user)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", LedgerApp.Token(user));
        return client;
    }

    /// <summary>
    /// A fresh browser context (no cookies), signed in through the portal's demo sign-in form, at a phone or desk size; without
    /// <paramref name="javaScript"/>, a browser that runs no script at all (the portal's pages work without it).
    /// </summary>
    public async Task<IPage> SignedInAsync(string name, string role, string? customerId = null, bool phone = false, string? brokerId = null,
        bool javaScript = true, string? corporateId = null, Guid? corporateNode = null)
    {
        var page = await NewPageAsync(phone, javaScript);
        await page.GotoAsync("/portal/sign-in");
        await page.GetByLabel("Role").SelectOptionAsync(role);
        await page.GetByLabel("Name", new() { Exact = false }).First.FillAsync(name);
        if (customerId is not null)
            await page.GetByLabel("Customer id", new() { Exact = false }).FillAsync(customerId);
        if (brokerId is not null)
            await page.GetByLabel("Broker id", new() { Exact = false }).FillAsync(brokerId);
        if (corporateId is not null)
            await page.GetByLabel("Corporate id", new() { Exact = false }).FillAsync(corporateId);
        if (corporateNode is not null)
            await page.GetByLabel("Corporate node", new() { Exact = false }).FillAsync(corporateNode.Value.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/sign-in", StringComparison.Ordinal));
        return page;
    }

    /// <summary>A fresh browser context (no cookies, not signed in) at a phone or desk size.</summary>
    public async Task<IPage> NewPageAsync(bool phone = false, bool javaScript = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            JavaScriptEnabled = javaScript,
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
}

/// <summary>
/// Run on their own, after the other collections: Chromium and a second application host are heavy on a shared 2-core
/// machine, and the concurrency tests elsewhere measure behaviour under their own load, not ours.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<BrowserApp>
{
    public const string Name = "browser";
}
