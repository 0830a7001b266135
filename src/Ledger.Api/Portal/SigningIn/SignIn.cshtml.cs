using System.Text.RegularExpressions;
using Ledger.Api.Access;
using Ledger.Api.Portal.Shared;
using Ledger.Domain.Accounts;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.SigningIn;

public sealed partial class SignInModel(IConfiguration configuration, IHostEnvironment environment, IQuerySession query) : PortalPage
{
    public bool DemoEnabled => PortalAuthentication.DemoSignInEnabled(configuration, environment);
    public bool OpenIdConnect => PortalAuthentication.OpenIdConnectConfigured(configuration);
    public IReadOnlyList<string> DemoCustomers { get; private set; } = [];

    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    /// <summary>Why the last sign-in with the organisation's provider failed, in words (null: it did not).</summary>
    public string? Failure => SignInFailures.Explain(Request.Query["failed"]);

    public async Task OnGetAsync()
    {
        if (DemoEnabled)
            DemoCustomers = (await query.Query<Account>().OrderBy(a => a.CustomerId).Take(40).Select(a => a.CustomerId).ToListAsync())
                .Distinct().Take(8).ToList();
    }

    /// <summary>Demo sign-in: any name and role, for local use only (see <see cref="PortalAuthentication.DemoSignInEnabled"/>).</summary>
    public async Task<IActionResult> OnPostDemoAsync(string? name, string? role, string? customerId, string? brokerId, string? corporateId,
        string? corporateNode)
    {
        if (!DemoEnabled)
            return NotFoundPage();
        if (string.IsNullOrWhiteSpace(name) || !SafeName().IsMatch(name.Trim()))
            ModelState.AddModelError("name", "A name is 1 to 60 letters, digits, '.', '-' or '_'.");
        if (role is null || !Roles.All.Contains(role))
            ModelState.AddModelError("role", "Pick one of the roles.");
        if (role == Roles.Customer && (string.IsNullOrWhiteSpace(customerId) || customerId.Length > 60))
            ModelState.AddModelError("customerId", "A customer signs in as one customer id (up to 60 characters).");
        if (role == Roles.Broker && !Domain.Accounts.Opening.CustomerIds.IsValid(brokerId?.Trim()))
            ModelState.AddModelError("brokerId", "A broker signs in as one broker id: 1 to 64 letters, digits, '.', '_', ':' or '-'.");
        if (role == Roles.CorporateAdmin && !Domain.Accounts.Opening.CustomerIds.IsValid(corporateId?.Trim()))
            ModelState.AddModelError("corporateId", "A corporate admin signs in as one corporate id: 1 to 64 letters, digits, '.', '_', ':' or '-'.");
        if (role == Roles.CorporateAdmin && !string.IsNullOrWhiteSpace(corporateNode) && !(Guid.TryParse(corporateNode.Trim(), out var node) && node != Guid.Empty))
            ModelState.AddModelError("corporateNode", "A node is given by its id (a GUID), or left empty for the whole tree.");
        if (!ModelState.IsValid)
        {
            await OnGetAsync();
            return Page();
        }
        var principal = PortalAuthentication.Principal(name!.Trim(), [role!], role == Roles.Customer ? customerId!.Trim() : null,
            brokerId: role == Roles.Broker ? brokerId!.Trim() : null, corporateId: role == Roles.CorporateAdmin ? corporateId!.Trim() : null,
            corporateNode: role == Roles.CorporateAdmin ? corporateNode?.Trim() : null);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/portal");
    }

    public IActionResult OnPostOpenIdConnect() => OpenIdConnect
        ? Challenge(new AuthenticationProperties { RedirectUri = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/portal" }, OpenIdConnectDefaults.AuthenticationScheme)
        : NotFoundPage();

    /// <summary>
    /// Ends the portal session; a session made by the organisation's provider is ended there too (so the next person at
    /// a shared computer is asked who they are), and the provider sends the browser back to the sign-in page.
    /// </summary>
    public async Task<IActionResult> OnPostSignOutAsync()
    {
        if (OpenIdConnect && User.HasClaim(PortalAuthentication.SignedInByClaim, OpenIdConnectDefaults.AuthenticationScheme)
            && await PortalAuthentication.ProviderCanSignOutAsync(HttpContext))
            return SignOut(new AuthenticationProperties { RedirectUri = PortalAuthentication.SignInPath },
                CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme);
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return LocalRedirect(PortalAuthentication.SignInPath);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,60}$")]
    private static partial Regex SafeName();
}
