using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Ledger.Api.Access;

public static class AuthenticationSetup
{
    /// <summary>
    /// JwtBearer reads Authentication:Schemes:Bearer from configuration: in Development the issuer and
    /// audience written by `dotnet user-jwts` (signing key in user secrets, never in the repo); elsewhere
    /// an Authority (OpenID Connect issuer) set by the operator.
    /// </summary>
    public static IServiceCollection AddLedgerAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddAuthorizationBuilder().AddLedgerPolicies();
        return services;
    }
}
