using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace Ledger.Api.BankStatements.Camt;

/// <summary>
/// One transaction of a bank file: an entry, or one transaction of a batched entry, as the bank wrote it.
/// <see cref="BankReference"/> is the bank's own reference for it: the transaction's, else the entry's (with its place
/// in a batch). <see cref="Booked"/>: booked on the account (status BOOK); pending and informational entries are not
/// money yet. <see cref="Amount"/> is null where a batch gives no amount per transaction.
/// </summary>
public sealed record CamtTransaction(
    string StatementId, string BankAccount, string BankReference, string Place, bool Booked, bool IsCredit, bool IsReturn, DateOnly? BookedOn,
    decimal? Amount, string Currency, string? EndToEndId, string? CheckNumber, string? CreditorReference, string? Remittance, string? PayerName,
    string? ReturnReasonCode, string? ReturnReasonText, string? BankTransactionCode)
{
    /// <summary>A check, by its number or its bank transaction code (family RCHQ, received cheques); otherwise a transfer.</summary>
    public bool IsCheck => CheckNumber is not null || BankTransactionCode?.Split('/') is [_, "RCHQ", ..];

    /// <summary>The creditor references (ISO 11649) the payer may have quoted, wherever in the line they wrote one.</summary>
    public IEnumerable<string> QuotedReferences =>
        new[] { CreditorReference, EndToEndId, Remittance }.SelectMany(Domain.Payments.BankReferences.FoundIn).Distinct();
}

/// <summary>A bank file read: which message it is and what it holds.</summary>
public sealed record CamtFile(string Message, string MessageId, IReadOnlyList<CamtTransaction> Transactions);

/// <summary>Why a file was not read: the element (as a path), its line and position, and what is wrong.</summary>
public sealed record CamtProblem(string Element, int Line, int Position, string Message);

/// <summary>
/// Reads ISO 20022 camt.053 (bank-to-customer statement) and camt.054 (debit/credit notification), versions .001.02
/// and .001.08: the XML is read without DTDs or external resources, validated against <see cref="CamtSchemas"/>, and
/// only then read into <see cref="CamtTransaction"/>s.
/// </summary>
public static class CamtReader
{
    private const int MostProblemsReported = 10;
    private const int MostDepth = 64;
    private static readonly string[] ReturnSubFamilies = ["UPCQ", "URCQ", "RRTN", "ARET"];

    /// <param name="xml">A seekable stream: it is read twice (once for its depth, once for its content).</param>
    /// <param name="schemas">What the file is validated against.</param>
    public static (CamtFile? File, IReadOnlyList<CamtProblem> Problems) Read(Stream xml, CamtSchemas schemas)
    {
        XDocument document;
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreProcessingInstructions = true,
        };
        try
        {
            // A camt document is some fifteen levels deep. Nesting far deeper is an attack on the validator (which walks
            // the tree recursively), refused before the tree is built.
            using (var scan = XmlReader.Create(xml, settings))
                while (scan.Read())
                    if (scan.Depth > MostDepth)
                        return (null, [new CamtProblem("(document)", ((IXmlLineInfo)scan).LineNumber, ((IXmlLineInfo)scan).LinePosition,
                            $"Elements are nested more than {MostDepth} deep; no bank message is.")]);
            xml.Position = 0;
            using var reader = XmlReader.Create(xml, settings);
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            return (null, [new CamtProblem("(document)", e.LineNumber, e.LinePosition, $"Not well-formed XML: {e.Message}")]);
        }

        var root = document.Root!;
        var message = root.Name.NamespaceName.StartsWith(CamtSchemas.NamespacePrefix) ? root.Name.NamespaceName[CamtSchemas.NamespacePrefix.Length..] : null;
        if (root.Name.LocalName != "Document" || message is null || !schemas.Messages.Contains(message))
            return (null, [Problem(root, $"Not a supported bank message: <{root.Name.LocalName}> in namespace '{root.Name.NamespaceName}'. " +
                                         $"Read are ISO 20022 <Document> in {string.Join(", ", schemas.Messages)}.")]);

        var problems = new List<CamtProblem>();
        document.Validate(schemas.Set, (sender, e) =>
        {
            if (problems.Count < MostProblemsReported)
                problems.Add(Problem(sender as XObject ?? root, e.Message));
        });
        if (problems.Count > 0)
            return (null, problems);

        XNamespace ns = root.Name.Namespace;
        var body = root.Elements().Single();
        var header = body.Element(ns + "GrpHdr")!;
        var transactions = new List<CamtTransaction>();
        var statements = body.Elements(ns + "Stmt").Concat(body.Elements(ns + "Ntfctn"));
        var statementIndex = 0;
        foreach (var statement in statements)
        {
            statementIndex++;
            var statementId = Text(statement, ns, "Id")!;
            var accountId = statement.Element(ns + "Acct")!.Element(ns + "Id")!;
            var bankAccount = Text(accountId, ns, "IBAN") ?? Text(accountId, ns, "Othr", "Id")!;
            var entryIndex = 0;
            foreach (var entry in statement.Elements(ns + "Ntry"))
            {
                entryIndex++;
                transactions.AddRange(Transactions(ns, entry, statementId, bankAccount, $"{statement.Name.LocalName}[{statementIndex}]/Ntry[{entryIndex}]"));
            }
        }
        return (new CamtFile(message, Text(header, ns, "MsgId")!, transactions), []);
    }

    private static IEnumerable<CamtTransaction> Transactions(XNamespace ns, XElement entry, string statementId, string bankAccount, string place)
    {
        var amount = entry.Element(ns + "Amt")!;
        var currency = amount.Attribute("Ccy")!.Value;
        var status = entry.Element(ns + "Sts")!;
        var booked = (status.HasElements ? Text(status, ns, "Cd") : status.Value.Trim()) == "BOOK";
        var isCredit = Text(entry, ns, "CdtDbtInd") == "CRDT";
        var reversal = Text(entry, ns, "RvslInd") is "true" or "1";
        var bookingDate = entry.Element(ns + "BookgDt");
        var bookedOn = Text(bookingDate, ns, "Dt") is { } day ? DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture)
            : Text(bookingDate, ns, "DtTm") is { } moment ? DateOnly.FromDateTime(XmlConvert.ToDateTimeOffset(moment).UtcDateTime)
            : (DateOnly?)null;
        var entryCode = Code(ns, entry.Element(ns + "BkTxCd"));
        var entryReference = Text(entry, ns, "AcctSvcrRef") ?? Text(entry, ns, "NtryRef");
        var details = entry.Elements(ns + "NtryDtls").SelectMany(d => d.Elements(ns + "TxDtls")).ToList();

        if (details.Count == 0)
        {
            yield return new CamtTransaction(statementId, bankAccount, entryReference ?? Synthesized(statementId, place), place, booked, isCredit,
                IsReturn(isCredit, reversal, null, entryCode), bookedOn, Amount(amount), currency, null, null, null,
                Text(entry, ns, "AddtlNtryInf"), null, null, null, entryCode);
            yield break;
        }
        for (var i = 0; i < details.Count; i++)
        {
            var tx = details[i];
            var refs = tx.Element(ns + "Refs");
            var txAmount = tx.Element(ns + "Amt") ?? tx.Element(ns + "AmtDtls")?.Element(ns + "TxAmt")?.Element(ns + "Amt")
                ?? (details.Count == 1 ? amount : null);
            var txCredit = Text(tx, ns, "CdtDbtInd") is { } direction ? direction == "CRDT" : isCredit;
            var code = Code(ns, tx.Element(ns + "BkTxCd")) ?? entryCode;
            var rtrInf = tx.Element(ns + "RtrInf");
            var remittance = tx.Element(ns + "RmtInf");
            var debtor = tx.Element(ns + "RltdPties")?.Element(ns + "Dbtr");
            var txPlace = details.Count == 1 ? place : $"{place}/TxDtls[{i + 1}]";
            yield return new CamtTransaction(statementId, bankAccount,
                Text(refs, ns, "AcctSvcrRef") ?? (entryReference is null ? Synthesized(statementId, txPlace) : details.Count == 1 ? entryReference : $"{entryReference}/{i + 1}"),
                txPlace, booked, txCredit, IsReturn(txCredit, reversal, rtrInf, code), bookedOn, txAmount is null ? null : Amount(txAmount),
                txAmount?.Attribute("Ccy")!.Value ?? currency,
                Text(refs, ns, "EndToEndId") is { } e2e && e2e != "NOTPROVIDED" ? e2e : null,
                Text(refs, ns, "ChqNb"),
                remittance?.Elements(ns + "Strd").Select(s => Text(s, ns, "CdtrRefInf", "Ref")).FirstOrDefault(r => r is not null),
                remittance is null ? null : string.Join(" ", remittance.Elements(ns + "Ustrd").Select(u => u.Value.Trim())) is { Length: > 0 } text ? text : null,
                Text(debtor, ns, "Nm") ?? Text(debtor, ns, "Pty", "Nm"),
                Text(rtrInf, ns, "Rsn", "Cd") ?? Text(rtrInf, ns, "Rsn", "Prtry"),
                rtrInf is null ? null : string.Join(" ", rtrInf.Elements(ns + "AddtlInf").Select(a => a.Value.Trim())) is { Length: > 0 } why ? why : null,
                code);
        }
    }

    /// <summary>Money going back out that undoes an earlier credit: return information, a reversal, or a return's transaction code.</summary>
    private static bool IsReturn(bool isCredit, bool reversal, XElement? returnInformation, string? code) =>
        !isCredit && (returnInformation is not null || reversal || code?.Split('/') is [_, _, var sub] && ReturnSubFamilies.Contains(sub));

    /// <summary>The ISO bank transaction code as Domain/Family/SubFamily (e.g. PMNT/RCDT/ESCT), else the bank's proprietary one.</summary>
    private static string? Code(XNamespace ns, XElement? code)
    {
        if (code is null)
            return null;
        if (code.Element(ns + "Domn") is { } domain)
            return $"{Text(domain, ns, "Cd")}/{Text(domain, ns, "Fmly", "Cd")}/{Text(domain, ns, "Fmly", "SubFmlyCd")}";
        return Text(code, ns, "Prtry", "Cd");
    }

    /// <summary>For a line the bank gave no reference: its statement and place in it, so that the same file read again finds it again.</summary>
    private static string Synthesized(string statementId, string place) => $"{statementId}#{place}";

    private static decimal Amount(XElement amount) => decimal.Parse(amount.Value.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    private static string? Text(XElement? parent, XNamespace ns, params string[] path)
    {
        var element = parent;
        foreach (var name in path)
            element = element?.Element(ns + name);
        return element?.Value.Trim() is { Length: > 0 } value ? value : null;
    }

    private static CamtProblem Problem(XObject at, string message)
    {
        var info = (IXmlLineInfo)at;
        return new CamtProblem(PathOf(at), info.LineNumber, info.LinePosition, message);
    }

    /// <summary>e.g. <c>/Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/Amt/@Ccy</c>.</summary>
    private static string PathOf(XObject at)
    {
        var element = at as XElement ?? at.Parent;
        var steps = new Stack<string>();
        if (at is XAttribute attribute)
            steps.Push("@" + attribute.Name.LocalName);
        for (; element is not null; element = element.Parent)
        {
            var same = element.Parent?.Elements(element.Name).ToList();
            steps.Push(same is { Count: > 1 } ? $"{element.Name.LocalName}[{same.IndexOf(element) + 1}]" : element.Name.LocalName);
        }
        return "/" + string.Join("/", steps);
    }
}
