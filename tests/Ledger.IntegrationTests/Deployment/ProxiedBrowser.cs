using System.Net;
using System.Text.RegularExpressions;

namespace Ledger.IntegrationTests.Deployment;

/// <summary>
/// A browser reaching the ledger through a TLS-terminating proxy on the same machine: every request arrives over plain
/// HTTP from 127.0.0.1 for <see cref="ProductionApp.PublicHost"/>, with <c>X-Forwarded-Proto: https</c> when the
/// browser used HTTPS. Cookies are kept by hand, because an HTTP client's cookie jar never sends a Secure cookie over
/// the plain HTTP the proxy speaks to the service (nor should it: that is the proxy's job here).
/// </summary>
public sealed partial class ProxiedBrowser(ProductionApp app, bool https) : IDisposable
{
    private readonly HttpClient _http = app.Direct();
    private readonly Dictionary<string, string> _cookies = new();

    /// <summary>Every Set-Cookie header the service sent, attributes included.</summary>
    public List<string> SetCookies { get; } = [];

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>>? form = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = form is null ? null : new FormUrlEncodedContent(form) };
        request.Headers.Host = ProductionApp.PublicHost;
        if (https)
            request.Headers.Add("X-Forwarded-Proto", "https");
        if (_cookies.Count > 0)
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        var response = await _http.SendAsync(request);
        foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        {
            SetCookies.Add(header);
            var pair = header.Split(';')[0];
            var (name, value) = (pair[..pair.IndexOf('=')], pair[(pair.IndexOf('=') + 1)..]);
            if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                _cookies.Remove(name);
            else
                _cookies[name] = value;
        }
        return response;
    }

    /// <summary>The whole authorization-code round trip with the organisation's provider, as this provider user.</summary>
    public async Task<HttpResponseMessage> SignInWithProviderAsync(string login)
    {
        var page = await (await SendAsync(HttpMethod.Get, "/portal/sign-in")).Content.ReadAsStringAsync();
        var challenge = await SendAsync(HttpMethod.Post, "/portal/sign-in?handler=OpenIdConnect", [new("__RequestVerificationToken", AntiforgeryToken(page))]);
        challenge.StatusCode.Should().Be(HttpStatusCode.Redirect, await challenge.Content.ReadAsStringAsync());
        var authorize = challenge.Headers.Location!;

        using var provider = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var loginPage = await provider.GetStringAsync(authorize);
        var answer = await provider.PostAsync(new Uri(authorize, "/authorize"), new FormUrlEncodedContent(
            HiddenFields(loginPage).Append(new("login", login)).Append(new("decision", "allow"))));
        var formPost = await answer.Content.ReadAsStringAsync();
        answer.StatusCode.Should().Be(HttpStatusCode.OK, formPost);
        // The provider's self-submitting form, posted to the ledger's callback as the browser would.
        return await SendAsync(HttpMethod.Post, "/signin-oidc", HiddenFields(formPost));
    }

    public static string AntiforgeryToken(string html) => Token().Match(html) is { Success: true } m
        ? m.Groups[1].Value
        : throw new InvalidOperationException($"No antiforgery token on the page:\n{html}");

    private static IEnumerable<KeyValuePair<string, string>> HiddenFields(string html) => Hidden().Matches(html)
        .Select(m => new KeyValuePair<string, string>(WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value))).ToList();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\"")]
    private static partial Regex Hidden();

    public void Dispose() => _http.Dispose();
}
