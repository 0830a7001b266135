using System.Text;
using System.Text.Encodings.Web;
using Ledger.ProcessorStandIn.CheckoutSessions;
using Ledger.ProcessorStandIn.Wire;

namespace Ledger.ProcessorStandIn.Paying;

/// <summary>
/// The hosted payment page, in plain HTML: labelled fields with the autocomplete tokens browsers and password
/// managers use for cards, errors announced to screen readers and tied to their fields, no script and nothing
/// fetched from elsewhere (a stand-in must work offline). It never writes a card number back into the page.
/// </summary>
public static class PaymentPage
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public static string Form(SessionRecord record, string action, IReadOnlyDictionary<string, string> problems, string? declined)
    {
        var session = record.Session;
        var total = MinorUnits.Format(session.AmountTotal, session.Currency);
        var body = new StringBuilder();
        body.Append($"<h1>Pay {Html.Encode(total)}</h1>");
        body.Append("<table><caption>What you are paying for</caption><thead><tr><th scope=\"col\">Item</th><th scope=\"col\">Quantity</th><th scope=\"col\">Amount</th></tr></thead><tbody>");
        foreach (var line in record.LineItems)
            body.Append($"<tr><td>{Html.Encode(line.Name)}</td><td>{line.Quantity}</td><td>{Html.Encode(MinorUnits.Format(line.Amount, session.Currency))}</td></tr>");
        body.Append($"</tbody><tfoot><tr><th scope=\"row\" colspan=\"2\">Total</th><td>{Html.Encode(total)}</td></tr></tfoot></table>");

        if (declined is not null)
            body.Append($"<div role=\"alert\" class=\"declined\"><h2>Payment declined</h2><p>{Html.Encode(declined)} Try another card.</p></div>");
        if (problems.Count > 0)
        {
            body.Append("<div role=\"alert\" class=\"problems\"><h2>Check your card details</h2><ul>");
            foreach (var (field, message) in problems)
                body.Append($"<li><a href=\"#{field}\">{Html.Encode(message)}</a></li>");
            body.Append("</ul></div>");
        }

        body.Append($"<form method=\"post\" action=\"{Html.Encode(action)}\" novalidate><fieldset><legend>Card details</legend>");
        Field(body, CardEntry.NumberField, "Card number", "cc-number", "1234 1234 1234 1234", problems);
        Field(body, CardEntry.ExpiryField, "Expiry date (MM / YY)", "cc-exp", "MM / YY", problems);
        Field(body, CardEntry.CvcField, "Security code (CVC)", "cc-csc", "123", problems);
        body.Append($"</fieldset><button type=\"submit\">Pay {Html.Encode(total)}</button></form>");
        if (session.CancelUrl is { } cancel)
            body.Append($"<p><a href=\"{Html.Encode(cancel)}\">Cancel and go back</a></p>");

        body.Append("<section aria-labelledby=\"test-cards\"><h2 id=\"test-cards\">Test cards</h2><ul>");
        foreach (var (number, description, _) in TestCards.All)
            body.Append($"<li><code>{Grouped(number)}</code>: {Html.Encode(description)}</li>");
        body.Append("</ul><p>Use any future expiry date, and any 3-digit security code (4 digits for American Express).</p></section>");
        return Document($"Pay {total}", body.ToString());
    }

    public static string Message(string title, string text, string? link = null, string? linkText = null)
    {
        var body = $"<h1>{Html.Encode(title)}</h1><p>{Html.Encode(text)}</p>";
        if (link is not null)
            body += $"<p><a href=\"{Html.Encode(link)}\">{Html.Encode(linkText ?? link)}</a></p>";
        return Document(title, body);
    }

    private static void Field(StringBuilder body, string name, string label, string autocomplete, string placeholder, IReadOnlyDictionary<string, string> problems)
    {
        var problem = problems.GetValueOrDefault(name);
        var described = problem is null ? "" : $" aria-invalid=\"true\" aria-describedby=\"{name}_error\"";
        body.Append($"<div class=\"field\"><label for=\"{name}\">{label}</label>");
        if (problem is not null)
            body.Append($"<p id=\"{name}_error\" class=\"error\">{Html.Encode(problem)}</p>");
        body.Append($"<input id=\"{name}\" name=\"{name}\" type=\"text\" inputmode=\"numeric\" autocomplete=\"{autocomplete}\" placeholder=\"{placeholder}\" required{described}></div>");
    }

    private static string Grouped(string number) =>
        string.Join(' ', number.Chunk(4).Select(group => new string(group)));

    private static string Document(string title, string body) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{Html.Encode(title)}} (test mode)</title>
        <style>
        body { font-family: system-ui, sans-serif; margin: 0; background: #f6f8fa; color: #1a1a1a; }
        main { max-width: 32rem; margin: 2rem auto; padding: 1.5rem; background: #fff; border-radius: .5rem; }
        .mode { display: inline-block; padding: .1rem .5rem; background: #ffde92; color: #5c3b00; border-radius: .25rem; font-weight: 600; }
        table { width: 100%; border-collapse: collapse; margin-bottom: 1rem; }
        caption { text-align: left; font-weight: 600; padding-bottom: .25rem; }
        th, td { text-align: left; padding: .25rem; border-bottom: 1px solid #d0d7de; }
        fieldset { border: 1px solid #d0d7de; border-radius: .25rem; }
        .field { margin: .75rem 0; }
        label { display: block; font-weight: 600; margin-bottom: .25rem; }
        input { font-size: 1.1rem; padding: .5rem; width: 100%; box-sizing: border-box; border: 1px solid #57606a; border-radius: .25rem; }
        input[aria-invalid="true"] { border: 2px solid #a40e26; }
        .error, .declined, .problems { color: #a40e26; }
        button { margin-top: 1rem; font-size: 1.1rem; padding: .6rem 1.2rem; background: #0a5ec2; color: #fff; border: 0; border-radius: .25rem; }
        :focus-visible { outline: 3px solid #0a5ec2; outline-offset: 2px; }
        </style>
        </head>
        <body>
        <main>
        <p class="mode">Test mode: processor stand-in, no real money moves</p>
        {{body}}
        </main>
        </body>
        </html>
        """;
}
