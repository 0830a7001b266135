using System.Globalization;
using System.Security;
using System.Text;
using Bogus;

namespace Ledger.IntegrationTests.Harness;

/// <summary>One line a test puts on a bank file. Null members are left out of the file, as banks leave them out.</summary>
public sealed record BankLineSpec(decimal Amount, bool Credit = true)
{
    public string? Currency { get; init; }
    public string? BankReference { get; init; }
    public string? EndToEndId { get; init; }
    public string? CreditorReference { get; init; }
    public string? Remittance { get; init; }
    public string? CheckNumber { get; init; }
    public string? ReturnReasonCode { get; init; }
    public string? ReturnInfo { get; init; }
    public string Status { get; init; } = "BOOK";
    public string Domain { get; init; } = "PMNT";
    public string Family { get; init; } = "RCDT";
    public string SubFamily { get; init; } = "ESCT";

    public static BankLineSpec Transfer(decimal amount, string? creditorReference = null, string? remittance = null) =>
        new(amount) { CreditorReference = creditorReference, Remittance = remittance };

    public static BankLineSpec Check(decimal amount, string checkNumber) =>
        new(amount) { CheckNumber = checkNumber, Family = "RCHQ", SubFamily = "CCHQ" };

    /// <summary>An unpaid check: the deposit's money goes back out (PMNT/RCHQ/UPCQ) with the return reason.</summary>
    public static BankLineSpec UnpaidCheck(decimal amount, string checkNumber, string reasonCode = "AM04") =>
        new(amount, Credit: false) { CheckNumber = checkNumber, ReturnReasonCode = reasonCode, Family = "RCHQ", SubFamily = "UPCQ" };

    /// <summary>A transfer sent back by the payer's bank (PMNT/RCDT/RRTN), quoting the original's references.</summary>
    public static BankLineSpec ReturnedTransfer(decimal amount, string? creditorReference, string reasonCode = "AC04") =>
        new(amount, Credit: false) { CreditorReference = creditorReference, ReturnReasonCode = reasonCode, SubFamily = "RRTN" };

    /// <summary>The bank's own account-keeping fee: money out that is no payment of a customer.</summary>
    public static BankLineSpec BankFee(decimal amount) =>
        new(amount, Credit: false) { Domain = "ACMT", Family = "MDOP", SubFamily = "CHRG", Remittance = "Account maintenance fee" };
}

/// <summary>
/// ISO 20022 camt.053 statements and camt.054 notifications as banks export them: a group header, the account with its
/// IBAN and servicer, opening and closing booked balances that add up, and entries with the bank's references,
/// availability, charges, related parties and agents, purposes, and a batch where asked — generated with Bogus, so that
/// the reader meets what real files carry, not one hand-picked line.
/// </summary>
public sealed class BankFiles
{
    private readonly Faker _faker;
    private readonly List<BankLineSpec[]> _entries = [];

    public BankFiles(string message = "camt.053.001.08", int seed = 0, string currency = "USD", string? iban = null)
    {
        Message = message;
        _faker = new Faker("en") { Random = new Randomizer(seed == 0 ? Random.Shared.Next() : seed) };
        Currency = currency;
        Iban = iban ?? "DE" + _faker.Random.ReplaceNumbers("##") + _faker.Random.ReplaceNumbers("##################");
        MessageId = "STMT" + _faker.Random.AlphaNumeric(14).ToUpperInvariant();
    }

    public string Message { get; }
    public string Currency { get; }
    public string Iban { get; }
    public string MessageId { get; }
    private bool Version08 => Message.EndsWith(".08");
    private bool IsStatement => Message.StartsWith("camt.053");

    public BankFiles Line(BankLineSpec line) => Batch(line);

    /// <summary>One entry of several transactions (a lockbox or a batch of transfers): the entry's amount is their sum.</summary>
    public BankFiles Batch(params BankLineSpec[] lines)
    {
        _entries.Add(lines.Select(l => l with { BankReference = l.BankReference ?? "NTRY" + _faker.Random.AlphaNumeric(12).ToUpperInvariant() }).ToArray());
        return this;
    }

    public IReadOnlyList<BankLineSpec> Lines => _entries.SelectMany(e => e).ToList();

    public string Xml()
    {
        var ns = $"urn:iso:std:iso:20022:tech:xsd:{Message}";
        var created = new DateTimeOffset(2026, 11, 30, 18, 5, 0, TimeSpan.Zero);
        var x = new StringBuilder();
        x.Append($"""<?xml version="1.0" encoding="UTF-8"?>""").Append('\n');
        x.Append($"""<Document xmlns="{ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">""");
        x.Append(IsStatement ? "<BkToCstmrStmt>" : "<BkToCstmrDbtCdtNtfctn>");
        x.Append($"<GrpHdr><MsgId>{MessageId}</MsgId><CreDtTm>{created:yyyy-MM-ddTHH:mm:ss}</CreDtTm>");
        x.Append($"<MsgRcpt><Nm>{E(_faker.Company.CompanyName())}</Nm></MsgRcpt><MsgPgntn><PgNb>1</PgNb><LastPgInd>true</LastPgInd></MsgPgntn></GrpHdr>");
        x.Append(IsStatement ? "<Stmt>" : "<Ntfctn>");
        x.Append($"<Id>{MessageId}-1</Id>");
        if (Version08 && IsStatement)
            x.Append("<StmtPgntn><PgNb>1</PgNb><LastPgInd>true</LastPgInd></StmtPgntn>");
        x.Append($"<ElctrncSeqNb>{_faker.Random.Number(1, 999)}</ElctrncSeqNb><CreDtTm>{created:yyyy-MM-ddTHH:mm:ss}</CreDtTm>");
        x.Append("<FrToDt><FrDtTm>2026-11-30T00:00:00</FrDtTm><ToDtTm>2026-11-30T23:59:59</ToDtTm></FrToDt>");
        x.Append($"<Acct><Id><IBAN>{Iban}</IBAN></Id><Ccy>{Currency}</Ccy><Nm>Receivables</Nm>");
        var bic = Version08 ? "BICFI" : "BIC";
        x.Append($"<Svcr><FinInstnId><{bic}>{_faker.Random.String2(6, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")}2LXXX</{bic}></FinInstnId></Svcr></Acct>");
        if (IsStatement)
        {
            var opening = Math.Round(_faker.Random.Decimal(1_000m, 90_000m), 2);
            var closing = opening + Lines.Where(l => l.Status == "BOOK").Sum(l => l.Credit ? l.Amount : -l.Amount);
            x.Append(Balance("OPBD", opening, "2026-11-29")).Append(Balance("CLBD", closing, "2026-11-30"));
            x.Append($"<TxsSummry><TtlNtries><NbOfNtries>{_entries.Count}</NbOfNtries></TtlNtries></TxsSummry>");
        }
        foreach (var entry in _entries)
            x.Append(Entry(entry));
        x.Append(IsStatement ? "</Stmt></BkToCstmrStmt>" : "</Ntfctn></BkToCstmrDbtCdtNtfctn>");
        x.Append("</Document>");
        return x.ToString();
    }

    private string Balance(string code, decimal amount, string day) =>
        $"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy=\"{Currency}\">{Money(Math.Abs(amount))}</Amt>" +
        $"<CdtDbtInd>{(amount >= 0 ? "CRDT" : "DBIT")}</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>";

    private string Entry(BankLineSpec[] lines)
    {
        var first = lines[0];
        var batch = lines.Length > 1;
        var currency = first.Currency ?? Currency;
        var x = new StringBuilder("<Ntry>");
        if (_faker.Random.Bool())
            x.Append($"<NtryRef>{_faker.Random.Number(1, 99_999)}</NtryRef>");
        x.Append($"<Amt Ccy=\"{currency}\">{Money(lines.Sum(l => l.Amount))}</Amt><CdtDbtInd>{(first.Credit ? "CRDT" : "DBIT")}</CdtDbtInd>");
        x.Append(Version08 ? $"<Sts><Cd>{first.Status}</Cd></Sts>" : $"<Sts>{first.Status}</Sts>");
        x.Append("<BookgDt><Dt>2026-11-30</Dt></BookgDt><ValDt><Dt>2026-11-30</Dt></ValDt>");
        x.Append($"<AcctSvcrRef>{(batch ? "BTCH" + _faker.Random.AlphaNumeric(10).ToUpperInvariant() : first.BankReference)}</AcctSvcrRef>");
        if (first.Credit && _faker.Random.Bool())
            x.Append($"<Avlbty><Dt><NbOfDays>1</NbOfDays></Dt><Amt Ccy=\"{currency}\">{Money(first.Amount)}</Amt><CdtDbtInd>CRDT</CdtDbtInd></Avlbty>");
        x.Append(Code(first));
        if (_faker.Random.Bool(0.3f))
            x.Append(Version08
                ? $"<Chrgs><TtlChrgsAndTaxAmt Ccy=\"{currency}\">0.25</TtlChrgsAndTaxAmt></Chrgs>"
                : $"<Chrgs><Amt Ccy=\"{currency}\">0.25</Amt></Chrgs>");
        x.Append("<NtryDtls>");
        if (batch)
            x.Append($"<Btch><PmtInfId>LOCKBOX-{_faker.Random.Number(100, 999)}</PmtInfId><NbOfTxs>{lines.Length}</NbOfTxs></Btch>");
        foreach (var line in lines)
            x.Append(Transaction(line, batch));
        x.Append("</NtryDtls>");
        if (_faker.Random.Bool())
            x.Append($"<AddtlNtryInf>{E(_faker.Lorem.Sentence(4))}</AddtlNtryInf>");
        return x.Append("</Ntry>").ToString();
    }

    private string Transaction(BankLineSpec line, bool batch)
    {
        var currency = line.Currency ?? Currency;
        var x = new StringBuilder("<TxDtls><Refs>");
        x.Append($"<MsgId>{_faker.Random.AlphaNumeric(16).ToUpperInvariant()}</MsgId>");
        if (batch || _faker.Random.Bool())
            x.Append($"<AcctSvcrRef>{line.BankReference}</AcctSvcrRef>");
        else
            x.Append($"<InstrId>{_faker.Random.AlphaNumeric(12).ToUpperInvariant()}</InstrId>");
        x.Append($"<EndToEndId>{line.EndToEndId ?? "NOTPROVIDED"}</EndToEndId>");
        if (Version08)
            x.Append($"<UETR>{Uuid4()}</UETR>");
        if (line.CheckNumber is { } check)
            x.Append($"<ChqNb>{check}</ChqNb>");
        x.Append("</Refs>");
        if (Version08)
            x.Append($"<Amt Ccy=\"{currency}\">{Money(line.Amount)}</Amt><CdtDbtInd>{(line.Credit ? "CRDT" : "DBIT")}</CdtDbtInd>");
        x.Append($"<AmtDtls><TxAmt><Amt Ccy=\"{currency}\">{Money(line.Amount)}</Amt></TxAmt></AmtDtls>");
        if (batch)
            x.Append(Code(line));
        var payer = E(_faker.Name.FullName());
        var payerIban = "GB" + _faker.Random.ReplaceNumbers("##") + "NWBK" + _faker.Random.ReplaceNumbers("##############");
        x.Append(Version08
            ? $"<RltdPties><Dbtr><Pty><Nm>{payer}</Nm><PstlAdr><Ctry>GB</Ctry><AdrLine>{E(_faker.Address.StreetAddress())}</AdrLine></PstlAdr></Pty></Dbtr><DbtrAcct><Id><IBAN>{payerIban}</IBAN></Id></DbtrAcct></RltdPties>"
            : $"<RltdPties><Dbtr><Nm>{payer}</Nm><PstlAdr><Ctry>GB</Ctry><AdrLine>{E(_faker.Address.StreetAddress())}</AdrLine></PstlAdr></Dbtr><DbtrAcct><Id><IBAN>{payerIban}</IBAN></Id></DbtrAcct></RltdPties>");
        x.Append("<RltdAgts><DbtrAgt><FinInstnId><" + (Version08 ? "BICFI" : "BIC") + ">NWBKGB2LXXX</" + (Version08 ? "BICFI" : "BIC") + "></FinInstnId></DbtrAgt></RltdAgts>");
        if (line.Credit && _faker.Random.Bool())
            x.Append("<Purp><Cd>GDSV</Cd></Purp>");
        if (line.Remittance is not null || line.CreditorReference is not null)
        {
            x.Append("<RmtInf>");
            if (line.Remittance is { } text)
                x.Append($"<Ustrd>{E(text)}</Ustrd>");
            if (line.CreditorReference is { } reference)
                x.Append($"<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp><Ref>{reference}</Ref></CdtrRefInf></Strd>");
            x.Append("</RmtInf>");
        }
        x.Append("<RltdDts><AccptncDtTm>2026-11-30T09:14:00</AccptncDtTm></RltdDts>");
        if (line.ReturnReasonCode is { } reason)
            x.Append($"<RtrInf><Rsn><Cd>{reason}</Cd></Rsn>{(line.ReturnInfo is { } info ? $"<AddtlInf>{E(info)}</AddtlInf>" : "")}</RtrInf>");
        if (_faker.Random.Bool(0.3f))
            x.Append($"<AddtlTxInf>{E(_faker.Lorem.Sentence(3))}</AddtlTxInf>");
        return x.Append("</TxDtls>").ToString();
    }

    private static string Code(BankLineSpec line) =>
        $"<BkTxCd><Domn><Cd>{line.Domain}</Cd><Fmly><Cd>{line.Family}</Cd><SubFmlyCd>{line.SubFamily}</SubFmlyCd></Fmly></Domn>" +
        $"<Prtry><Cd>{(line.Credit ? "166" : "109")}</Cd><Issr>BAI</Issr></Prtry></BkTxCd>";

    private string Uuid4()
    {
        var bytes = _faker.Random.Bytes(16);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }

    private static string Money(decimal amount) => amount.ToString("0.00###", CultureInfo.InvariantCulture);

    private static string E(string text) => SecurityElement.Escape(text)!;
}

public static class BankFileImports
{
    /// <summary>Sends a bank file (or any text as one) to the import, as a bank's client would.</summary>
    public static Task<HttpResponseMessage> ImportBankFile(this HttpClient client, string xml, string type = "application/xml") =>
        client.PostAsync("/api/bank-statements", new StringContent(xml, Encoding.UTF8, type));

    public static Task<HttpResponseMessage> ImportBankFile(this HttpClient client, BankFiles file) => client.ImportBankFile(file.Xml());
}
