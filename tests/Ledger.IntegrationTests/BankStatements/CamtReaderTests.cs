using System.Text;
using Ledger.Api.BankStatements.Camt;
using Ledger.Domain.Payments;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.BankStatements;

/// <summary>
/// The reader against generated bank files of every message and version it claims: whatever a file holds (batches,
/// checks, returns, fees, pending entries, parties, agents, charges), each transaction comes out with the bank's
/// amount, currency, direction and references; a file that breaks the schema is refused naming the element.
/// </summary>
public class CamtReaderTests
{
    private static readonly CamtSchemas Schemas = CamtSchemas.Load(null);
    public static TheoryData<string> Messages => new() { "camt.053.001.02", "camt.053.001.08", "camt.054.001.02", "camt.054.001.08" };

    private static (CamtFile? File, IReadOnlyList<CamtProblem> Problems) Read(string xml) => CamtReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml)), Schemas);

    [Fact]
    public void The_shipped_schemas_read_both_statement_and_notification_in_both_versions() =>
        Schemas.Messages.Should().Equal("camt.053.001.02", "camt.053.001.08", "camt.054.001.02", "camt.054.001.08");

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_generated_line_is_read_back_as_the_bank_wrote_it(string message)
    {
        for (var seed = 1; seed <= 40; seed++)
        {
            var faker = new Bogus.Faker { Random = new Bogus.Randomizer(seed) };
            var file = new BankFiles(message, seed, currency: faker.PickRandom("USD", "EUR", "GBP"));
            var written = new List<BankLineSpec>();
            for (var i = faker.Random.Int(1, 12); i > 0; i--)
            {
                var amount = Math.Round(faker.Random.Decimal(0.01m, 25_000m), 2);
                var line = faker.Random.Int(0, 6) switch
                {
                    0 => BankLineSpec.Check(amount, faker.Random.ReplaceNumbers("######")),
                    1 => BankLineSpec.UnpaidCheck(amount, faker.Random.ReplaceNumbers("######"), faker.PickRandom("AM04", "AC04", "MS03")),
                    2 => BankLineSpec.ReturnedTransfer(amount, BankReferences.For(Guid.NewGuid())),
                    3 => BankLineSpec.BankFee(amount),
                    4 => BankLineSpec.Transfer(amount, remittance: $"Invoice {faker.Random.AlphaNumeric(8)} account {faker.Random.AlphaNumeric(4)}") with
                    {
                        Status = faker.PickRandom("BOOK", "PDNG"),
                    },
                    _ => BankLineSpec.Transfer(amount, BankReferences.For(Guid.NewGuid())) with { EndToEndId = faker.Random.AlphaNumeric(20) },
                };
                if (faker.Random.Bool(0.2f) && line.Credit)
                {
                    var second = BankLineSpec.Transfer(Math.Round(faker.Random.Decimal(1m, 900m), 2), BankReferences.For(Guid.NewGuid())) with { Status = line.Status };
                    file.Batch(line, second);
                    written.AddRange(file.Lines.TakeLast(2));
                }
                else
                {
                    file.Line(line);
                    written.Add(file.Lines[^1]);
                }
            }

            var (read, problems) = Read(file.Xml());

            problems.Should().BeEmpty($"seed {seed} generated a valid {message}:\n{file.Xml()}");
            read!.Message.Should().Be(message);
            read.MessageId.Should().Be(file.MessageId);
            read.Transactions.Should().HaveCount(written.Count);
            foreach (var (tx, spec) in read.Transactions.Zip(written))
            {
                tx.BankAccount.Should().Be(file.Iban);
                tx.BankReference.Should().Be(spec.BankReference);
                tx.Amount.Should().Be(spec.Amount);
                tx.Currency.Should().Be(spec.Currency ?? file.Currency);
                tx.IsCredit.Should().Be(spec.Credit);
                tx.IsReturn.Should().Be(spec.ReturnReasonCode is not null);
                tx.Booked.Should().Be(spec.Status == "BOOK");
                tx.CheckNumber.Should().Be(spec.CheckNumber);
                tx.IsCheck.Should().Be(spec.Family == "RCHQ");
                tx.CreditorReference.Should().Be(spec.CreditorReference);
                tx.EndToEndId.Should().Be(spec.EndToEndId);
                tx.Remittance.Should().Be(spec.Remittance);
                tx.ReturnReasonCode.Should().Be(spec.ReturnReasonCode);
                tx.PayerName.Should().NotBeNullOrWhiteSpace();
                tx.BookedOn.Should().Be(new DateOnly(2026, 11, 30));
            }
        }
    }

    [Theory]
    [InlineData("<Amt Ccy=\"USD\">", "<Amt Ccy=\"usd\">", "Amt/@Ccy")]
    [InlineData("<CdtDbtInd>CRDT</CdtDbtInd>", "<CdtDbtInd>CREDIT</CdtDbtInd>", "CdtDbtInd")]
    [InlineData("<BookgDt><Dt>2026-11-30</Dt></BookgDt>", "<BookgDt><Dt>30.11.2026</Dt></BookgDt>", "BookgDt/Dt")]
    [InlineData("<AcctSvcrRef>NTRYFIXED1</AcctSvcrRef>", "<AcctSvcrRef>NTRYFIXED1</AcctSvcrRef><Unexpected>1</Unexpected>", "Ntry")]
    public void A_file_that_breaks_the_schema_is_refused_naming_the_element(string valid, string broken, string element)
    {
        var file = new BankFiles("camt.053.001.08", seed: 7).Line(BankLineSpec.Transfer(120.50m, "RF18539007547034") with { BankReference = "NTRYFIXED1" });
        var xml = file.Xml();
        xml.Should().Contain(valid);

        var (read, problems) = Read(xml.Replace(valid, broken));

        read.Should().BeNull();
        problems.Should().NotBeEmpty();
        problems[0].Element.Should().StartWith("/Document/BkToCstmrStmt/Stmt/").And.Contain(element);
        problems[0].Line.Should().BePositive();
    }

    [Fact]
    public void Amounts_are_read_exactly_and_a_negative_or_overlong_one_is_refused()
    {
        var xml = new BankFiles("camt.054.001.02", seed: 3).Line(BankLineSpec.Transfer(0.10m) with { BankReference = "NTRYEXACT" }).Xml();
        Read(xml).File!.Transactions.Single().Amount.Should().Be(0.10m);
        Read(xml.Replace(">0.10<", ">-0.10<")).Problems.Should().NotBeEmpty();
        Read(xml.Replace(">0.10<", ">0.1234567<")).Problems.Should().NotBeEmpty();
    }

    [Fact]
    public void Neither_a_document_type_definition_nor_an_unknown_message_nor_broken_XML_is_read()
    {
        var xml = new BankFiles("camt.053.001.02", seed: 5).Line(BankLineSpec.Transfer(10m)).Xml();

        var withDtd = xml.Replace("<Document ", "<!DOCTYPE Document [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Document ");
        Read(withDtd).Problems.Single().Message.Should().Contain("DTD");
        Read(xml.Replace("camt.053.001.02", "camt.053.001.99")).Problems.Single().Message.Should().Contain("Not a supported bank message");
        Read(xml.Replace("camt.053.001.02", "pain.001.001.03")).Problems.Single().Message.Should().Contain("camt.053.001.02");
        Read(xml[..^20]).Problems.Single().Message.Should().StartWith("Not well-formed XML");
        var deep = string.Concat(Enumerable.Repeat("<a>", 200_000)) + string.Concat(Enumerable.Repeat("</a>", 200_000));
        Read(xml.Replace("<GrpHdr>", deep + "<GrpHdr>")).Problems.Single().Message.Should().Contain("nested more than 64 deep");
    }
}
