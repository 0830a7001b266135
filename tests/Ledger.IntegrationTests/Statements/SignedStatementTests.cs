using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Ledger.Api.Infrastructure;
using Ledger.Api.Signing;
using Ledger.IntegrationTests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using UglyToad.PdfPig;

namespace Ledger.IntegrationTests.Statements;

/// <summary>Bills of template version 5 are signed (PAdES) with the test host's Development certificate, and stay byte for byte the bill as issued.</summary>
[Collection(TamperingCollection.Name)]
public sealed class SignedStatementTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.signed"));
    private readonly HttpClient _admin = app.ClientFor(TestUser.Admin("ada.signed"));

    private async Task<byte[]> Pdf(Guid accountId, Guid statementId)
    {
        var response = await _desk.GetAsync($"/api/accounts/{accountId}/statements/{statementId}/pdf");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadAsByteArrayAsync();
    }

    private async Task<Guid> Run(Guid accountId)
    {
        var run = await _admin.PostAsJsonAsync("/api/statement-runs", new { accountIds = new[] { accountId } });
        (await run.Body())["issued"]!.GetValue<int>().Should().Be(1);
        var list = await (await _desk.GetAsync($"/api/accounts/{accountId}/statements")).Content.ReadFromJsonAsync<List<Dictionary<string, object>>>();
        return Guid.Parse(list![0]["statementId"].ToString()!);
    }

    [Fact]
    public async Task Given_a_bill_issued_with_version_5_When_downloaded_corrected_and_its_stored_copy_lost_Then_it_is_the_same_validly_signed_PDF()
    {
        var options = app.Services.GetRequiredService<IOptions<LedgerOptions>>().Value;
        var template = options.StatementTemplateVersion;
        options.StatementTemplateVersion = 5; // another test of this app sets older versions
        var accountId = await _desk.OpenAccount("cust-signed", holder: "Zoë Ångström");
        var charge = await _desk.Post(accountId, "charges", new { amount = 64.20m, description = "Fibre November", category = "internet" });
        await Task.Delay(30);
        Guid statementId;
        try
        {
            statementId = await Run(accountId);
        }
        finally
        {
            options.StatementTemplateVersion = template;
        }

        var issued = await Pdf(accountId, statementId);

        var bill = await (await _desk.GetAsync($"/api/accounts/{accountId}/statements/{statementId}")).Body();
        bill["templateVersion"]!.GetValue<int>().Should().Be(5);
        bill["sha256"]!.GetValue<string>().Should().Be(Convert.ToHexStringLower(SHA256.HashData(issued)));
        var signer = app.Services.GetRequiredService<DocumentSigner>().Certificate!;
        signer.Subject.Should().Contain("CN=EventSourcedLedger Development statements", "the test host makes and keeps a Development certificate");
        var issuedAt = bill["issuedAt"]!.GetValue<DateTimeOffset>().ToUniversalTime();
        var report = await Pdfsig.ReadAsync(issued);
        report.Should().Contain("Signature Validation: Signature is Valid.").And.Contain("Signature Type: ETSI.CAdES.detached")
            .And.Contain("Signer Certificate Common Name: EventSourcedLedger Development statements").And.Contain("Total document signed")
            .And.Contain($"Signing Time: {issuedAt.ToString("MMM dd yyyy HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)}",
                "the document is signed at the issue time its record keeps");
        using (var pdf = PdfDocument.Open(issued))
            string.Concat(pdf.GetPages().Select(p => p.Text)).Should().Contain("Fibre November").And.Contain("64.20 USD").And.Contain("Zoë Ångström");

        await _desk.Post(accountId, "corrections", new { entryId = charge, amount = 4.20m, reason = "Line fault" });
        (await Pdf(accountId, statementId)).Should().Equal(issued, "a later correction goes on the next bill, never into this one");

        await Sql($"delete from ledger.statement_documents where sha256 = '{bill["sha256"]!.GetValue<string>()}'");
        (await Pdf(accountId, statementId)).Should().Equal(issued, "re-rendered from the record and re-signed at its issue time: the same bytes");
        await Sql($"select 1 from ledger.statement_documents where sha256 = '{bill["sha256"]!.GetValue<string>()}'", expectRows: true);
    }

    private async Task Sql(string sql, bool expectRows = false)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (expectRows)
            (await command.ExecuteScalarAsync()).Should().Be(1, "the reprint puts the re-rendered copy back");
        else
            (await command.ExecuteNonQueryAsync()).Should().BeGreaterThan(0);
    }
}
