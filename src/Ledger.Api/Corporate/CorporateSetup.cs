using Wolverine;
using Wolverine.Marten;

namespace Ledger.Api.Corporate;

public static class CorporateSetup
{
    public const string Queue = "corporate";

    public static void AddCorporate(this IServiceCollection services)
    {
        services.SubscribeToEventsWithServices<BudgetWatch>(ServiceLifetime.Singleton);
        services.SubscribeToEventsWithServices<CorporateAlertMail>(ServiceLifetime.Singleton);
        services.AddSingleton<ConsolidatedBillRenderer>();
        // Reviews of one tree queue on its stream's lock; a few trees are reviewed side by side.
        services.ConfigureWolverine(wolverine =>
        {
            wolverine.LocalQueue(Queue).MaximumParallelMessages(4);
            wolverine.PublishMessage<ReviewCorporateBudgets>().ToLocalQueue(Queue);
            wolverine.PublishMessage<CheckChargeCategory>().ToLocalQueue(Queue);
            wolverine.PublishMessage<ApplyCorporatePayment>().ToLocalQueue(Queue);
            wolverine.PublishMessage<MailCorporateAlert>().ToLocalQueue(Queue);
        });
    }
}
