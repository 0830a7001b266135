using Ledger.Api.Infrastructure;
using Ledger.Api.Portal.SigningIn;
using Ledger.Domain;
using Microsoft.AspNetCore.Authentication.JwtBearer;

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
        services.AddAuthentication(PortalAuthentication.Scheme)
            .AddJwtBearer(o => o.Events = new JwtBearerEvents { OnTokenValidated = RefuseIncoherent, OnChallenge = ExplainRefusal })
            .AddPortalSchemes(configuration);
        services.AddAuthorizationBuilder().AddLedgerPolicies();
        return services;
    }

    // A signature-valid token that stands for no one coherent (see LedgerIdentity) does not authenticate at all, so no
    // policy or query ever sees it.
    private static Task RefuseIncoherent(TokenValidatedContext context)
    {
        if (LedgerIdentity.Refusal(context.Principal!) is { } refusal)
            context.Fail(new IdentityRefusedException(refusal));
        return Task.CompletedTask;
    }

    private static async Task ExplainRefusal(JwtBearerChallengeContext context)
    {
        if (context.AuthenticateFailure is not IdentityRefusedException refused)
            return;
        context.HandleResponse();
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.Headers.WWWAuthenticate = $"Bearer error=\"insufficient_scope\", error_description=\"{refused.Refusal.Rule}\"";
        await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context.HttpContext,
            ProblemDetails = Problems.Describe(refused.Refusal, StatusCodes.Status403Forbidden),
        });
    }
}

public sealed class IdentityRefusedException(Rejection refusal) : Exception(refusal.Message)
{
    public Rejection Refusal { get; } = refusal;
}
