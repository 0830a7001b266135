using System.Globalization;
using Ledger.Api.ServiceRequests;

namespace Ledger.Api.Portal.Requests;

/// <summary>How a request's status, times and timeline read on the portal's pages (the API's names, in words).</summary>
public static class RequestText
{
    public static string Status(string status, bool customer) => status switch
    {
        "waiting-for-customer" => customer ? "waiting for you" : "waiting for the customer",
        _ => status.Replace('-', ' '),
    };

    public static string When(DateTimeOffset? at) => at is { } moment ? RequestNotices.When(moment) : "—";

    /// <summary>Of the promised time: what is left (or how late it is) in working hours; nothing while the clock is stopped or the request closed.</summary>
    public static string Left(ServiceRequestSummary summary) => summary.WorkingHoursLeft switch
    {
        null when summary.Status == "waiting-for-customer" => "clock stopped until answered",
        null => "",
        < 0m and var late => $"{Hours(-late)} working hours late",
        { } left => $"{Hours(left)} working hours left",
    };

    public static string Kind(string kind) => kind switch
    {
        "drafted" => "Draft started",
        "draft-reminded" => "Reminder: the draft expires soon",
        "draft-expired" => "Draft expired",
        "draft-discarded" => "Draft discarded",
        "document-attached" => "Document attached",
        "submitted" => "Submitted",
        "assigned" => "Assigned",
        "review-started" => "Review started",
        "information-requested" => "The desk asked",
        "customer-answered" => "Answered",
        "note" => "Internal note",
        "message" => "Message from the desk",
        "delay-alert" => "Delay alert",
        "escalated" => "Escalated",
        "dispute-opened" => "Dispute opened",
        "approval-requested" => "Approval requested",
        "resolved" => "Resolved",
        "rejected" => "Rejected",
        "feedback" => "Feedback",
        _ => kind,
    };

    private static string Hours(decimal hours) => hours.ToString("0.##", CultureInfo.InvariantCulture);
}
