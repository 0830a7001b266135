using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Portal;

/// <summary>The reconciliation queue in the portal: a manager feeds in the bank's file, a clerk places what it could not.</summary>
[Collection(LedgerCollection.Name)]
public sealed partial class BankLinesPageTests(LedgerApp app)
{
    [Fact]
    public async Task A_manager_imports_the_banks_file_and_a_clerk_assigns_the_line_it_could_not_place_by_account_number()
    {
        using var api = app.ClientFor(TestUser.Csr("csr.banklines"));
        var accountId = await api.OpenAccount("cust-banklines");
        await api.Post(accountId, "charges", new { amount = 70m, description = "Water", category = "water" });
        var accountNumber = (await api.Account(accountId))["accountNumber"]!.GetValue<string>();
        var file = new BankFiles("camt.054.001.02").Line(BankLineSpec.Transfer(70m, remittance: "water bill, reference lost"));

        using var manager = await PortalClient.SignedInAsync(app, "mgr.banklines", "manager");
        var page = await manager.GetStringAsync("/portal/bank-lines");
        using var upload = new MultipartFormDataContent
        {
            { new StringContent(Token().Match(page).Groups[1].Value), "__RequestVerificationToken" },
            { new StringContent(Guid.NewGuid().ToString("N")), "idempotencyKey" },
        };
        var xml = new ByteArrayContent(Encoding.UTF8.GetBytes(file.Xml()));
        xml.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        upload.Add(xml, "file", "camt054.xml");
        var imported = await manager.PostAsync("/portal/bank-lines?handler=Import", upload);
        var importedPage = await imported.Content.ReadAsStringAsync();
        imported.StatusCode.Should().Be(HttpStatusCode.OK, importedPage);
        importedPage.Should().Contain("1 line(s): 0 settled, 1 waiting here");

        using var clerk = await PortalClient.SignedInAsync(app, "csr.banklines", "csr");
        var queue = await clerk.GetStringAsync("/portal/bank-lines");
        var lineId = Regex.Match(queue, $"data-line=\"([0-9a-f-]+)\">\\s*<td data-label=\"Booked\">2026-11-30 <br /><span class=\"muted\">{file.Lines[0].BankReference}").Groups[1].Value;
        lineId.Should().NotBeEmpty();
        queue.Should().NotContain("Import a bank file", "only managers feed files in");

        var wrong = await clerk.SubmitAsync("/portal/bank-lines", "/portal/bank-lines?handler=Assign",
            new() { ["lineId"] = lineId, ["account"] = "0000-0000-0000", ["note"] = "" });
        (await wrong.Content.ReadAsStringAsync()).Should().Contain("Type the account number");
        var assigned = await clerk.SubmitAsync("/portal/bank-lines", "/portal/bank-lines?handler=Assign",
            new() { ["lineId"] = lineId, ["account"] = accountNumber.ToLowerInvariant(), ["note"] = "Customer called" });
        (await clerk.FollowAsync(assigned)).Should().Contain($"Bank line assigned to {accountNumber}").And.NotContain($"data-line=\"{lineId}\"");
        (await api.Balance(accountId)).Should().Be(0m);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
