using Ledger.Api.Signing;

namespace Ledger.Api.Statements.Rendering;

public static class RenderingSetup
{
    /// <summary>Every template version ever shipped stays registered: old bills reprint with the version they were issued with.</summary>
    public static IServiceCollection AddStatementRendering(this IServiceCollection services)
    {
        services.AddSingleton<IStatementTemplate, StatementTemplateV1>();
        services.AddSingleton<IStatementTemplate, StatementTemplateV2>();
        services.AddSingleton<IStatementTemplate, StatementTemplateV3>();
        services.AddSingleton<IStatementTemplate, StatementTemplateV4>();
        services.AddSingleton<IStatementTemplate, StatementTemplateV5>();
        services.AddDocumentSigning();
        services.AddSingleton<StatementRenderer>();
        return services;
    }
}
