using Ledger.Api.Access;
using Ledger.Api.Portal.Shared;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal;

/// <summary>The landing page sends each role where its work is.</summary>
public sealed class HomeModel : PortalPage
{
    public IActionResult OnGet() => Actor.Role switch
    {
        Roles.Customer => LocalRedirect("/portal/my"),
        Roles.Csr or Roles.Manager or Roles.Auditor => LocalRedirect("/portal/desk"),
        Roles.Broker => LocalRedirect("/portal/book"),
        Roles.CorporateAdmin => LocalRedirect("/portal/corporate"),
        Roles.Admin => LocalRedirect("/portal/admin"),
        _ => Page(),
    };
}
