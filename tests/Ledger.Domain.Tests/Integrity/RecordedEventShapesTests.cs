using System.Reflection;
using System.Text;
using Ledger.Domain.Accounts;

namespace Ledger.Domain.Tests.Integrity;

/// <summary>
/// The hash chain covers each event's data as Marten serializes it, and verification serializes the stored event
/// again: a member added to, removed from or renamed in a recorded event type (or a type inside one) changes that text
/// for every event of the type already written, and their chains no longer verify. A nullable member is no exception:
/// the serializer writes its null. So the shape of every recorded type is pinned in <c>RecordedEventShapes.txt</c>:
/// a changed shape fails here (make a new event type instead), and a new type fails until its line is added.
/// Events are the Domain's records named in the past tense (STYLE.md), plus the types their members use.
/// </summary>
public class RecordedEventShapesTests
{
    private static readonly string Pinned = Path.Combine(AppContext.BaseDirectory, "Integrity", "RecordedEventShapes.txt");

    [Fact]
    public void Every_recorded_type_keeps_the_shape_it_was_recorded_with_and_every_new_one_is_pinned()
    {
        var pinned = File.ReadAllLines(Pinned).Where(l => l.Length > 0 && !l.StartsWith('#')).ToDictionary(Name);
        var current = CurrentShapes().ToDictionary(Name);
        var problems = new StringBuilder();

        foreach (var (name, shape) in pinned)
        {
            if (!current.TryGetValue(name, out var now))
                problems.AppendLine($"{name} is gone, but events of it are recorded: keep the type. Pinned: {shape}");
            else if (now != shape && !IsEnumGrown(shape, now))
                problems.AppendLine($"{name} changed shape. Recorded events keep their members; make a new event type.\n  pinned:  {shape}\n  now:     {now}");
        }
        foreach (var (name, shape) in current.Where(c => !pinned.ContainsKey(c.Key)))
            problems.AppendLine($"{name} is new: add this line to tests/Ledger.Domain.Tests/Integrity/RecordedEventShapes.txt\n  {shape}");

        problems.ToString().Should().BeEmpty();
    }

    [Fact]
    public void The_events_of_payments_are_found_as_recorded_types()
    {
        var names = CurrentShapes().Select(Name).ToList();

        names.Should().Contain([nameof(PaymentReceived), nameof(PaymentInitiated), nameof(PaymentFailed), nameof(Address), nameof(PaymentMethod)]);
        names.Should().NotContain([nameof(Account), nameof(Entry), nameof(PendingPayment)]);
    }

    private static string Name(string shape) => shape[..shape.IndexOfAny(['(', '{'])];

    /// <summary>Enums are stored by name: members may be added, never renamed or removed.</summary>
    private static bool IsEnumGrown(string pinned, string now) =>
        pinned.EndsWith('}') && now.EndsWith('}') && Members(pinned).All(Members(now).Contains);

    private static string[] Members(string enumShape) => enumShape[(enumShape.IndexOf('{') + 1)..^1].Split(',');

    private static IEnumerable<string> CurrentShapes()
    {
        var domain = typeof(Account).Assembly;
        var events = domain.GetExportedTypes().Where(t => t.IsSealed && t.IsClass && IsRecord(t) && (t.Name.EndsWith("ed") || t.Name.EndsWith("Sent")));
        var seen = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var pending = new Queue<Type>(events);
        while (pending.TryDequeue(out var type))
        {
            if (seen.ContainsKey(type.Name))
                continue;
            if (type.IsEnum)
            {
                seen[type.Name] = $"{type.Name}{{{string.Join(',', Enum.GetNames(type))}}}";
                continue;
            }
            var members = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != "EqualityContract").ToList();
            seen[type.Name] = $"{type.Name}({string.Join(", ", members.Select(m => $"{m.Name} {Describe(m.PropertyType)}"))})";
            foreach (var used in members.SelectMany(m => Unwrap(m.PropertyType)).Where(t => t.Assembly == domain))
                pending.Enqueue(used);
        }
        return seen.Values;
    }

    private static bool IsRecord(Type t) => t.GetMethod("<Clone>$") is not null;

    private static IEnumerable<Type> Unwrap(Type t) =>
        t.IsGenericType ? t.GetGenericArguments().SelectMany(Unwrap) : t.IsArray ? Unwrap(t.GetElementType()!) : [Nullable.GetUnderlyingType(t) ?? t];

    private static string Describe(Type t) => Nullable.GetUnderlyingType(t) is { } inner ? Describe(inner) + "?"
        : t.IsGenericType ? $"{t.Name[..t.Name.IndexOf('`')]}<{string.Join(",", t.GetGenericArguments().Select(Describe))}>"
        : t.Name;
}
