using Ledger.Api.Portal.SigningIn;

namespace Ledger.Api.Access;

public static class AuthenticationSetup
{
    /// <summary>
    /// JwtBearer reads Authentication:Schemes:Bearer from configuration: in Development the issuer and
    /// audience written by `dotnet user-jwts` (signing key in user secrets, never in the repo); elsewhere
    /// an Authority (OpenID Connect issuer) set by the operator.
    /// </summary>
    public static IServiceCollection AddLedgerAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        // The portal's cookie (and OpenID Connect, when configured) sit beside the bearer tokens; see PortalAuthentication.
        services.AddAuthentication(PortalAuthentication.Scheme).AddJwtBearer().AddPortalSchemes(configuration);
        services.AddAuthorizationBuilder().AddLedgerPolicies();
        return services;
    }
}
