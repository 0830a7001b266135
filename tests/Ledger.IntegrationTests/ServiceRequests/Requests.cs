using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace Ledger.IntegrationTests.ServiceRequests;

/// <summary>Service requests over HTTP, as the portal and the desk use them.</summary>
public static class Requests
{
    public static readonly Dictionary<string, string?> NewAddress = new()
    {
        ["line1"] = "2 Station Road", ["city"] = "Leeds", ["postalCode"] = "LS1 4DY", ["country"] = "GB",
    };

    /// <summary>Moves the test clock to the next Monday at <paramref name="hour"/>:00 UTC some years ahead (timers then never fire by themselves).</summary>
    public static DateTimeOffset MondayAhead(this LedgerApp app, int hour = 10)
    {
        var day = DateTimeOffset.UtcNow.Date.AddYears(5);
        while (day.DayOfWeek != DayOfWeek.Monday)
            day = day.AddDays(1);
        var at = new DateTimeOffset(day.AddHours(hour), TimeSpan.Zero);
        app.Clock.Offset = at - DateTimeOffset.UtcNow;
        return at;
    }

    /// <summary>Moves the test clock to <paramref name="at"/>.</summary>
    public static void SetNow(this LedgerApp app, DateTimeOffset at) => app.Clock.Offset = at - DateTimeOffset.UtcNow;

    public static async Task<JsonObject> OpenRequest(this HttpClient client, Guid accountId, string type, Dictionary<string, string?>? fields, bool submit = false,
        HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await client.PostAsJsonAsync($"/api/accounts/{accountId}/service-requests", new { type, fields, submit });
        response.StatusCode.Should().Be(expected, await response.Content.ReadAsStringAsync());
        return await response.Body();
    }

    public static async Task<JsonObject> Request(this HttpClient client, Guid requestId)
    {
        var response = await client.GetAsync($"/api/service-requests/{requestId}");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Body();
    }

    public static async Task<JsonObject> Ok(this Task<HttpResponseMessage> sending, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await sending;
        response.StatusCode.Should().Be(expected, await response.Content.ReadAsStringAsync());
        return await response.Body();
    }

    public static Task<HttpResponseMessage> Upload(this HttpClient client, Guid requestId, string fileName, byte[] bytes, string? slot,
        string contentType = "application/pdf")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var query = $"fileName={Uri.EscapeDataString(fileName)}" + (slot is null ? "" : $"&slot={Uri.EscapeDataString(slot)}");
        return client.PostAsync($"/api/service-requests/{requestId}/documents?{query}", content);
    }

    public static Guid Id(this JsonObject request) => request["summary"]!["id"]!.GetValue<Guid>();

    public static string Status(this JsonObject request) => request["summary"]!["status"]!.GetValue<string>();

    public static DateTimeOffset? Due(this JsonObject request) => request["summary"]!["dueAt"]?.GetValue<DateTimeOffset>();

    public static IEnumerable<string> Timeline(this JsonObject request) => request["timeline"]!.AsArray().Select(t => t!["kind"]!.GetValue<string>());

    /// <summary>A real one-page PDF (what a scanner or a bank's site produces, in miniature).</summary>
    public static byte[] Pdf(string text = "Proof of address: 2 Station Road, Leeds")
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(UglyToad.PdfPig.Fonts.Standard14Fonts.Standard14Font.Helvetica);
        builder.AddPage(PageSize.A4).AddText(text, 12, new PdfPoint(50, 700), font);
        return builder.Build();
    }
}
