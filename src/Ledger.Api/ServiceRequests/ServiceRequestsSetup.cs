using Wolverine;

namespace Ledger.Api.ServiceRequests;

public static class ServiceRequestsSetup
{
    public const string Queue = "service-requests";

    public static void AddServiceRequests(this IServiceCollection services)
    {
        services.AddSingleton<ProofOfCompletion>();
        services.AddSingleton<FeedbackLinks>();
        // Timers of many requests can fall due together (a working day opening); they are decided side by side, each on its
        // own stream's lock.
        services.ConfigureWolverine(wolverine =>
        {
            wolverine.LocalQueue(Queue).MaximumParallelMessages(8);
            wolverine.PublishMessage<RequestTimerFired>().ToLocalQueue(Queue);
            wolverine.PublishMessage<DraftTimerFired>().ToLocalQueue(Queue);
            wolverine.PublishMessage<OpenRequestDispute>().ToLocalQueue(Queue);
            wolverine.PublishMessage<TellCustomerAboutRequest>().ToLocalQueue(Queue);
        });
    }

    public static void MapServiceRequestRoutes(this WebApplication app)
    {
        app.MapRequestCatalogue();
        app.MapServiceRequests();
    }
}
