using System.Net;
using System.Text.RegularExpressions;
using Ledger.IntegrationTests.Harness;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Ledger.IntegrationTests.Portal;

/// <summary>The portal over plain HTTP, as a browser without JavaScript uses it: cookies, antiforgery tokens, no redirects followed.</summary>
public static partial class PortalClient
{
    public static HttpClient Anonymous(LedgerApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs in through the demo form, antiforgery token included, exactly as a browser does.</summary>
    public static async Task<HttpClient> SignedInAsync(LedgerApp app, string name, string role, string? customerId = null, string? brokerId = null,
        string? corporateId = null, Guid? corporateNode = null)
    {
        var client = Anonymous(app);
        var fields = new Dictionary<string, string> { ["name"] = name, ["role"] = role };
        if (customerId is not null)
            fields["customerId"] = customerId;
        if (brokerId is not null)
            fields["brokerId"] = brokerId;
        if (corporateId is not null)
            fields["corporateId"] = corporateId;
        if (corporateNode is not null)
            fields["corporateNode"] = corporateNode.Value.ToString();
        var response = await client.SubmitAsync("/portal/sign-in", "/portal/sign-in?handler=Demo", fields);
        response.StatusCode.Should().Be(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return client;
    }

    /// <summary>Loads the page holding the form (for its antiforgery token and form key) and posts the fields to the form's target.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient client, string page, string target, Dictionary<string, string> fields)
    {
        var html = await client.GetStringAsync(page);
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = Token().Match(html).Groups[1].Value };
        if (FormKey().Match(html) is { Success: true } key)
            form.TryAdd("idempotencyKey", key.Groups[1].Value);
        return await client.PostAsync(target, new FormUrlEncodedContent(form));
    }

    /// <summary>Follows a post/redirect/get answer and returns the page it leads to.</summary>
    public static async Task<string> FollowAsync(this HttpClient client, HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return await client.GetStringAsync(response.Headers.Location);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("name=\"idempotencyKey\" value=\"([0-9a-f]{32})\"")]
    private static partial Regex FormKey();
}
