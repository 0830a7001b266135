using System.Reflection;
using System.Xml;
using System.Xml.Resolvers;
using System.Xml.Schema;

namespace Ledger.Api.BankStatements.Camt;

/// <summary>
/// The ISO 20022 schemas bank files are validated with: the ones shipped in this assembly (<c>Schemas/*.xsd</c>), or,
/// where <c>Payments:BankStatements:SchemaDirectory</c> names a folder, the <c>camt.*.xsd</c> files in it (the official
/// schemas from iso20022.org drop in there unchanged). Compiled once.
/// </summary>
public sealed class CamtSchemas
{
    public const string NamespacePrefix = "urn:iso:std:iso:20022:tech:xsd:";
    private const string ResourcePrefix = "Ledger.Api.BankStatements.Schemas.";

    public XmlSchemaSet Set { get; }

    /// <summary>The messages these schemas read, e.g. <c>camt.053.001.02</c>.</summary>
    public IReadOnlyList<string> Messages { get; }

    private CamtSchemas(XmlSchemaSet set)
    {
        set.Compile();
        Set = set;
        Messages = set.Schemas().Cast<XmlSchema>().Select(s => s.TargetNamespace).OfType<string>().Where(n => n.StartsWith(NamespacePrefix))
            .Select(n => n[NamespacePrefix.Length..]).Distinct().Order().ToList();
    }

    public static CamtSchemas Load(string? directory) => string.IsNullOrWhiteSpace(directory) ? Shipped() : FromDirectory(directory);

    private static CamtSchemas Shipped()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var names = assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix) && n.EndsWith(".xsd")).ToList();
        // The messages' schemas include the shared types by file name; the resolver answers those from the resources only.
        var resolver = new XmlPreloadedResolver();
        var baseUri = new Uri("resource:///schemas/");
        foreach (var name in names)
            resolver.Add(new Uri(baseUri, name[ResourcePrefix.Length..]), assembly.GetManifestResourceStream(name)!);
        var set = new XmlSchemaSet { XmlResolver = resolver };
        foreach (var name in names.Where(n => !n.Contains(".types.")))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = XmlReader.Create(stream, Secure(resolver), new Uri(baseUri, name[ResourcePrefix.Length..]).ToString());
            set.Add(XmlSchema.Read(reader, null)!);
        }
        return new CamtSchemas(set);
    }

    private static CamtSchemas FromDirectory(string directory)
    {
        var resolver = new XmlUrlResolver(); // the operator's own folder: its schemas may include each other
        var set = new XmlSchemaSet { XmlResolver = resolver };
        foreach (var path in Directory.GetFiles(directory, "camt.*.xsd").Where(p => !p.Contains(".types.")))
        {
            using var reader = XmlReader.Create(path, Secure(resolver));
            set.Add(XmlSchema.Read(reader, null)!);
        }
        return new CamtSchemas(set);
    }

    private static XmlReaderSettings Secure(XmlResolver resolver) => new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = resolver };
}
