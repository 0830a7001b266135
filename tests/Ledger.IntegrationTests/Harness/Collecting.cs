using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Ledger.IntegrationTests.Harness;

/// <summary>Bills and days for the collections tests: an account billed now, and the test's clock moved to a given day.</summary>
public static class Collecting
{
    /// <summary>An account with a charge billed now (its bill due in 21 days), and that due date.</summary>
    public static async Task<(Guid AccountId, DateOnly DueDate)> BilledAsync(this HttpClient desk, HttpClient admin, string customerId, decimal amount)
    {
        var accountId = await desk.OpenAccount(customerId);
        await desk.Post(accountId, "charges", new { amount, description = "Service", category = "service" });
        (await (await admin.PostAsJsonAsync("/api/statement-runs", new { accountIds = new[] { accountId } })).Body())["issued"]!.GetValue<int>()
            .Should().Be(1);
        return (accountId, await desk.DueDateAsync(accountId));
    }

    public static async Task<DateOnly> DueDateAsync(this HttpClient client, Guid accountId)
    {
        var statements = await (await client.GetAsync($"/api/accounts/{accountId}/statements")).Content.ReadFromJsonAsync<JsonNode>();
        return DateOnly.Parse(statements!.AsArray()[0]!["dueDate"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Moves the test's clock to nine in the morning (UTC) of <paramref name="day"/>.</summary>
    public static void SetDay(this LedgerApp app, DateOnly day) =>
        app.Clock.Offset = new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero) - DateTimeOffset.UtcNow;

    /// <summary>When a collections timer for <paramref name="day"/> fires.</summary>
    public static DateTimeOffset TimerOn(DateOnly day) => new(day.ToDateTime(new TimeOnly(0, 10)), TimeSpan.Zero);

    /// <summary>Walks the account's timers day by day up to <paramref name="until"/> days past due (the default policy's steps).</summary>
    public static async Task WalkAsync(this LedgerApp app, Guid accountId, DateOnly dueDate, int until)
    {
        foreach (var days in new[] { 1, 15, 30, 45, 60 }.Where(d => d <= until))
        {
            app.SetDay(dueDate.AddDays(days));
            await app.FireDueReviews(accountId);
        }
    }
}
