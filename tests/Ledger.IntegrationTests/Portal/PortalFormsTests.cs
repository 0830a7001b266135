using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Portal;

/// <summary>
/// The portal's forms over HTTP (no browser needed): the API's rules answer, each refusal next to its field, a resent
/// form is applied once, and odd input never gives a 500.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class PortalFormsTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("carol.forms"));

    [Fact]
    public async Task Given_a_customer_When_the_address_breaks_a_rule_Then_the_error_is_next_to_that_field_and_a_valid_one_is_saved()
    {
        var accountId = await _desk.OpenAccount("cust-forms-profile");
        var customer = await PortalClient.SignedInAsync(app, "cara", "customer", "cust-forms-profile");
        var page = $"/portal/accounts/{accountId}/profile";
        var fields = new Dictionary<string, string>
        {
            ["holderName"] = "Cara Moved", ["line1"] = "9 New Road", ["line2"] = "", ["city"] = "Shelbyville", ["postalCode"] = "54321", ["country"] = "USA",
        };

        var refused = await customer.SubmitAsync(page, page, fields);
        refused.StatusCode.Should().Be(HttpStatusCode.OK);
        (await refused.Content.ReadAsStringAsync()).Should().MatchRegex("id=\"country-error\"[^>]*>[^<]*two-letter");

        fields["country"] = "us";
        (await customer.FollowAsync(await customer.SubmitAsync(page, page, fields))).Should().Contain("Your details are updated.");
        var account = await _desk.Account(accountId);
        account["holderName"]!.GetValue<string>().Should().Be("Cara Moved");
        account["address"]!["country"]!.GetValue<string>().Should().Be("US");
    }

    [Fact]
    public async Task Given_a_customer_When_a_field_holds_a_NUL_Then_the_form_is_refused_with_a_page_not_failed_in_the_database()
    {
        var accountId = await _desk.OpenAccount("cust-forms-nul");
        var customer = await PortalClient.SignedInAsync(app, "cara", "customer", "cust-forms-nul");
        var page = $"/portal/accounts/{accountId}/profile";
        var fields = new Dictionary<string, string>
        {
            ["holderName"] = "Cara\0Null", ["line1"] = "9 New Road", ["line2"] = "", ["city"] = "Shelbyville", ["postalCode"] = "54321", ["country"] = "US",
        };

        var refused = await customer.SubmitAsync(page, page, fields);

        // ASP.NET's form reader already refuses the form (the readable "form not accepted" page); the portal's own
        // screening (PortalPage) would refuse it at the field otherwise. Either way nothing reaches PostgreSQL.
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("<h1>Form not accepted</h1>");
        (await _desk.Version(accountId)).Should().Be(1);
    }

    [Fact]
    public async Task Given_a_customer_When_choosing_how_notices_reach_them_Then_a_missing_email_is_refused_at_the_field_and_a_choice_is_recorded_once()
    {
        var accountId = await _desk.OpenAccount("cust-forms-contact");
        var customer = await PortalClient.SignedInAsync(app, "cara", "customer", "cust-forms-contact");
        var page = $"/portal/accounts/{accountId}/profile";
        var contact = page + "?handler=Contact";

        var noEmail = await (await customer.SubmitAsync(page, contact, new() { ["channel"] = "Both", ["email"] = " " })).Content.ReadAsStringAsync();
        noEmail.Should().MatchRegex("id=\"email-error\"[^>]*>[^<]*needs? an e-mail address");
        noEmail.Should().NotMatchRegex("id=\"form-error\"", "the address form above shows no error for the contact form");
        var twoAddresses = await (await customer.SubmitAsync(page, contact, new() { ["channel"] = "Email", ["email"] = "a@b.org, c@d.org" })).Content.ReadAsStringAsync();
        twoAddresses.Should().MatchRegex("id=\"email-error\"[^>]*>[^<]*single e-mail address");
        var noChannel = await (await customer.SubmitAsync(page, contact, new() { ["email"] = "cara@example.org" })).Content.ReadAsStringAsync();
        noChannel.Should().MatchRegex("id=\"channel-error\"[^>]*>[^<]*email, paper, both");
        (await _desk.Version(accountId)).Should().Be(1, "nothing was appended for refused forms");

        (await customer.FollowAsync(await customer.SubmitAsync(page, contact, new() { ["channel"] = "Both", ["email"] = "cara@example.org" })))
            .Should().Contain("We sent a confirmation link to cara@example.org").And.Contain("Until then they go by letter to your postal address.")
            .And.MatchRegex("value=\"Both\"[^>]*checked", "the page shows the choice now on the account");
        var account = await _desk.Account(accountId);
        account["contact"]!["channel"]!.GetValue<string>().Should().BeEquivalentTo("both");
        account["contact"]!["email"].Should().BeNull("an address is used only once its owner confirms it");
        account["contact"]!["pendingEmail"]!.GetValue<string>().Should().Be("cara@example.org");

        var same = await (await customer.SubmitAsync(page, contact, new() { ["channel"] = "Both", ["email"] = "cara@example.org" })).Content.ReadAsStringAsync();
        same.Should().MatchRegex("id=\"form-error\"[^>]*>[^<]*already sent to cara@example.org", "no second link while the first still works");
        (await _desk.Version(accountId)).Should().Be(3, "one choice: the channel, and the address waiting for its confirmation");
    }

    [Fact]
    public async Task Signing_out_from_any_page_ends_the_session()
    {
        var csr = await PortalClient.SignedInAsync(app, "carol.forms", "csr");
        var signedOut = await csr.SubmitAsync("/portal/desk", "/portal/sign-in?handler=SignOut", []);
        signedOut.StatusCode.Should().Be(HttpStatusCode.Redirect, "the page's own sign-out form carries its antiforgery token");
        signedOut.Headers.Location!.OriginalString.Should().Be("/portal/sign-in");
        var after = await csr.GetAsync("/portal/desk");
        after.StatusCode.Should().Be(HttpStatusCode.Redirect);
        after.Headers.Location!.AbsolutePath.Should().Be("/portal/sign-in");
    }

    [Fact]
    public async Task A_stale_form_or_an_unknown_portal_address_gets_a_readable_page_and_the_api_keeps_its_problem_details()
    {
        var accountId = await _desk.OpenAccount("cust-forms-stale");
        var customer = await PortalClient.SignedInAsync(app, "cara", "customer", "cust-forms-stale");
        var stale = await customer.PostAsync($"/portal/accounts/{accountId}/pay", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = "from-a-page-shown-to-someone-else", ["amount"] = "5", ["method"] = "transfer",
        }));
        stale.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        stale.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        (await stale.Content.ReadAsStringAsync()).Should().Contain("reload the page and send it again");
        (await _desk.Version(accountId)).Should().Be(1, "nothing was appended");

        var unknown = await customer.GetAsync("/portal/no-such-page");
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        unknown.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        (await unknown.Content.ReadAsStringAsync()).Should().Contain("not yours to see");

        var api = await _desk.GetAsync("/api/no-such-endpoint");
        api.StatusCode.Should().Be(HttpStatusCode.NotFound);
        api.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task The_site_root_leads_to_the_portal()
    {
        var response = await PortalClient.Anonymous(app).GetAsync("/");
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Be("/portal");
    }

    [Fact]
    public async Task Given_a_csr_When_a_correction_exceeds_what_is_left_or_their_limit_Then_the_page_says_so_and_a_manager_can_reject_with_a_reason()
    {
        var accountId = await _desk.OpenAccount("cust-forms-correct");
        var charge = await _desk.Post(accountId, "charges", new { amount = 400m, description = "Annual plan", category = "plan" });
        var csr = await PortalClient.SignedInAsync(app, "carol.forms", "csr");
        var page = $"/portal/accounts/{accountId}/post";

        var tooMuch = await csr.SubmitAsync(page, page + "?handler=Correction",
            new() { ["entryId"] = charge.ToString(), ["amount"] = "500", ["reason"] = "Wrong plan" });
        (await tooMuch.Content.ReadAsStringAsync()).Should().MatchRegex("id=\"amount-error\"[^>]*>[^<]*", "the rule names no field; the portal puts it on the amount");

        var parked = await csr.FollowAsync(await csr.SubmitAsync(page, page + "?handler=Correction",
            new() { ["entryId"] = charge.ToString(), ["amount"] = "300", ["reason"] = "Wrong plan" }));
        parked.Should().Contain("Correction of 300.00 USD went for approval");
        (await _desk.Balance(accountId)).Should().Be(400m);

        var approvalId = (await (await _desk.GetAsync($"/api/approvals?status=pending&accountId={accountId}")).Body())["items"]![0]!["id"]!.GetValue<Guid>();
        var own = await csr.SubmitAsync("/portal/approvals", "/portal/approvals?handler=Approve", new() { ["approvalId"] = approvalId.ToString(), ["note"] = "mine" });
        (await own.Content.ReadAsStringAsync()).Should().MatchRegex("id=\"decision-error\"[^>]*>[^<]*someone other than its requester", "four eyes");

        var manager = await PortalClient.SignedInAsync(app, "mike.forms", "manager");
        var noReason = await manager.SubmitAsync("/portal/approvals", "/portal/approvals?handler=Reject", new() { ["approvalId"] = approvalId.ToString(), ["note"] = "" });
        (await noReason.Content.ReadAsStringAsync()).Should().MatchRegex("id=\"decision-error\"[^>]*>[^<]*&#x27;reason&#x27;");
        var rejected = await manager.FollowAsync(await manager.SubmitAsync("/portal/approvals", "/portal/approvals?handler=Reject",
            new() { ["approvalId"] = approvalId.ToString(), ["note"] = "Plan was right" }));
        rejected.Should().Contain($"Request {approvalId} rejected.");
        (await (await _desk.GetAsync($"/api/approvals/{approvalId}")).Body())["status"]!.GetValue<string>().Should().BeEquivalentTo("rejected");
    }

    [Fact]
    public async Task Given_the_desk_When_it_posts_a_payment_for_the_customer_Then_it_is_applied_and_a_card_number_in_the_reference_is_refused_unseen()
    {
        var accountId = await _desk.OpenAccount("cust-forms-deskpay");
        await _desk.Post(accountId, "charges", new { amount = 60m, description = "Phone", category = "mobile" });
        var csr = await PortalClient.SignedInAsync(app, "carol.forms", "csr");
        var page = $"/portal/accounts/{accountId}/post";

        var refused = await csr.SubmitAsync(page, page + "?handler=Payment",
            new() { ["amount"] = "25", ["method"] = "card", ["cardBrand"] = "visa", ["cardLast4"] = "1111", ["reference"] = "4111111111111111" });
        var html = await refused.Content.ReadAsStringAsync();
        html.Should().MatchRegex("id=\"reference-error\"[^>]*>[^<]*card number").And.NotContain("4111111111111111");

        var applied = await csr.FollowAsync(await csr.SubmitAsync(page, page + "?handler=Payment",
            new() { ["amount"] = "25", ["method"] = "cash", ["reference"] = "RCPT-1" }));
        applied.Should().Contain("Payment of 25.00 USD received. Balance now 35.00 USD.");
        (await _desk.Balance(accountId)).Should().Be(35m);

        var check = await csr.FollowAsync(await csr.SubmitAsync(page, page + "?handler=Payment",
            new() { ["amount"] = "10", ["method"] = "check", ["reference"] = "CHK-77" }));
        check.Should().Contain("Payment of 10.00 USD recorded as pending").And.Contain("CHK-77");
        (await _desk.Balance(accountId)).Should().Be(35m, "a check is pending until the bank confirms it");
    }

    [Fact]
    public async Task A_manager_settles_a_check_from_the_bank_statement_on_the_desk_page_and_a_csr_cannot()
    {
        var accountId = await _desk.OpenAccount("cust-forms-check");
        await _desk.Post(accountId, "charges", new { amount = 60m, description = "Phone", category = "mobile" });
        var check = (await _desk.PayPending(accountId, new { amount = 25m, method = "check", reference = "CHK-3001" }))["paymentId"]!.GetValue<Guid>();
        var page = $"/portal/accounts/{accountId}/post";

        var csr = await PortalClient.SignedInAsync(app, "carol.forms", "csr");
        (await csr.GetStringAsync(page)).Should().NotContain("Checks and transfers on the bank statement");
        (await csr.SubmitAsync(page, page + "?handler=ConfirmPayment",
            new() { ["paymentId"] = check.ToString(), ["amount"] = "25", ["bankReference"] = "NTRY-1" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var manager = await PortalClient.SignedInAsync(app, "mike.forms", "manager");
        (await manager.GetStringAsync(page)).Should().Contain("Checks and transfers on the bank statement").And.Contain("CHK-3001");
        var wrong = await manager.SubmitAsync(page, page + "?handler=ConfirmPayment",
            new() { ["paymentId"] = check.ToString(), ["amount"] = "24", ["bankReference"] = "NTRY-1" });
        (await wrong.Content.ReadAsStringAsync()).Should().Contain("pending for 25");
        var settled = await manager.FollowAsync(await manager.SubmitAsync(page, page + "?handler=ConfirmPayment",
            new() { ["paymentId"] = check.ToString(), ["amount"] = "25", ["bankReference"] = "NTRY-2026-77" }));
        settled.Should().Contain("Payment of 25.00 USD settled from the bank statement (NTRY-2026-77). Balance now 35.00 USD.");
        (await _desk.Balance(accountId)).Should().Be(35m);
    }

    [Fact]
    public async Task Another_customers_account_looks_like_one_that_does_not_exist_on_every_page()
    {
        var accountId = await _desk.OpenAccount("cust-forms-owner");
        var entry = await _desk.Post(accountId, "charges", new { amount = 10m, description = "Owner's charge", category = "misc" });
        var stranger = await PortalClient.SignedInAsync(app, "eve", "customer", "cust-forms-stranger");
        foreach (var path in new[] { "", "/statements", "/pay", "/profile", $"/entries/{entry}/dispute", $"/statements/{Guid.NewGuid()}/pdf", $"/payments/{Guid.NewGuid()}" })
            (await stranger.GetAsync($"/portal/accounts/{accountId}{path}")).StatusCode.Should().Be(HttpStatusCode.NotFound, path);
        var missing = await (await stranger.GetAsync($"/portal/accounts/{Guid.NewGuid()}")).Content.ReadAsStringAsync();
        (await (await stranger.GetAsync($"/portal/accounts/{accountId}")).Content.ReadAsStringAsync()).Should().Be(missing, "no difference to enumerate");

        var page = $"/portal/accounts/{accountId}/pay";
        var owner = await PortalClient.SignedInAsync(app, "own", "customer", "cust-forms-owner");
        var html = await owner.GetStringAsync(page);
        var token = System.Text.RegularExpressions.Regex.Match(await stranger.GetStringAsync("/portal/sign-in"),
            "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        html.Should().Contain("Make a payment");
        var posted = await stranger.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["amount"] = "5", ["method"] = "transfer",
        }));
        posted.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _desk.Version(accountId)).Should().Be(2, "nothing was appended for the stranger");
    }

    [Fact]
    public async Task A_payment_form_sent_twice_with_the_same_form_key_is_applied_once()
    {
        var accountId = await _desk.OpenAccount("cust-forms-twice");
        await _desk.Post(accountId, "charges", new { amount = 80m, description = "Water", category = "water" });
        var customer = await PortalClient.SignedInAsync(app, "cara", "customer", "cust-forms-twice");
        var page = $"/portal/accounts/{accountId}/pay";
        var html = await customer.GetStringAsync(page);
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var key = System.Text.RegularExpressions.Regex.Match(html, "name=\"idempotencyKey\" value=\"([0-9a-f]{32})\"").Groups[1].Value;
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["idempotencyKey"] = key, ["amount"] = "30", ["method"] = "card",
        };

        var first = await customer.PostAsync(page, new FormUrlEncodedContent(form));
        var second = await customer.PostAsync(page, new FormUrlEncodedContent(form));
        first.StatusCode.Should().Be(HttpStatusCode.Redirect);
        first.Headers.Location!.ToString().Should().StartWith(app.Processor.BaseUrl + "/pay/", "the card is typed on the processor's page");
        second.Headers.Location.Should().Be(first.Headers.Location, "the same form is the same payment, on the same page");
        (await _desk.Account(accountId))["pendingPayments"]!.AsArray().Should().ContainSingle();
        (await _desk.Balance(accountId)).Should().Be(80m, "pending until the processor confirms it");

        (await app.Processor.PayAsync(first.Headers.Location!.ToString())).StatusCode.Should().Be(HttpStatusCode.SeeOther);
        for (var deadline = DateTime.UtcNow.AddSeconds(20); await _desk.Balance(accountId) != 50m && DateTime.UtcNow < deadline;)
            await Task.Delay(100);
        (await _desk.Balance(accountId)).Should().Be(50m);
        var payments = await (await _desk.GetAsync($"/api/accounts/{accountId}/entries?type=payment")).Body();
        payments["total"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task Odd_query_strings_and_form_values_never_give_a_500()
    {
        var accountId = await _desk.OpenAccount("cust-forms-odd");
        var csr = await PortalClient.SignedInAsync(app, "carol.forms", "csr");
        var paths = new[]
        {
            $"/portal/accounts/{accountId}?p=0", $"/portal/accounts/{accountId}?p=abc&sort=sideways&type=fee",
            $"/portal/accounts/{accountId}?from=2026-13-45&to=yesterday&minAmount=1e400&maxAmount=-",
            $"/portal/accounts/{accountId}?minAmount=10&maxAmount=1&q=" + new string('x', 300),
            $"/portal/accounts/{accountId}/history?asOf=not-a-time", $"/portal/accounts/{accountId}/history?asOf=1900-01-01T00:00:00",
            "/portal/desk?q=" + new string('%', 150), "/portal/desk?q=%00%27%3B--", $"/portal/accounts/{Guid.NewGuid()}",
            $"/portal/accounts/{accountId}?q=a%00b&category=%00",
        };
        foreach (var path in paths)
            ((int)(await csr.GetAsync(path)).StatusCode).Should().BeLessThan(500, path);
        var missing = await csr.GetAsync($"/portal/accounts/{Guid.NewGuid()}/pay");
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        missing.Content.Headers.ContentType!.MediaType.Should().Be("text/html", "a browser gets a page, not JSON");
        (await missing.Content.ReadAsStringAsync()).Should().Contain("not yours to see");

        var post = $"/portal/accounts/{accountId}/post";
        foreach (var amount in new[] { "abc", "1e400", "-5", "0.001", "", "79228162514264337593543950336" })
        {
            var response = await csr.SubmitAsync(post, post + "?handler=Credit", new() { ["amount"] = amount, ["reasonCode"] = "goodwill", ["reason"] = "r" });
            response.StatusCode.Should().Be(HttpStatusCode.OK, amount);
            (await response.Content.ReadAsStringAsync()).Should().Contain("id=\"amount-error\"", amount);
        }
        var nul = await csr.SubmitAsync(post, post + "?handler=Credit", new() { ["amount"] = "5", ["reasonCode"] = "goodwill", ["reason"] = "a\0b" });
        ((int)nul.StatusCode).Should().BeLessThan(500);
        (await _desk.Version(accountId)).Should().Be(1, "nothing was appended");
        // The same search through the API: a NUL is a 400 naming the field, not a database failure.
        (await _desk.GetAsync("/api/accounts?q=%00")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
