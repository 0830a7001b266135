using Ledger.Domain.Payments;

namespace Ledger.Domain.Tests.Payments;

public class BankReferencesTests
{
    [Fact]
    public void The_standards_own_example_is_valid_and_a_changed_character_is_not()
    {
        BankReferences.IsValid("RF18539007547034").Should().BeTrue();
        BankReferences.IsValid("RF18539007547035").Should().BeFalse();
        BankReferences.IsValid("RF19539007547034").Should().BeFalse();
    }

    [Fact]
    public void Every_issued_reference_is_valid_distinct_and_the_same_for_the_same_payment()
    {
        var ids = Enumerable.Range(0, 20_000).Select(_ => Guid.CreateVersion7()).ToList();
        var references = ids.Select(BankReferences.For).ToList();

        references.Should().OnlyContain(r => BankReferences.IsValid(r) && r.Length <= 25 && r.StartsWith("RF"));
        references.Distinct().Should().HaveCount(ids.Count);
        BankReferences.For(ids[0]).Should().Be(references[0]);
    }

    /// <summary>
    /// The check digits catch every digit typed for another digit and every letter for another letter (a letter counts as
    /// two digits, so a letter typed for a digit may slip through: one in 97).
    /// </summary>
    [Fact]
    public void A_mistyped_character_is_never_taken_for_another_reference()
    {
        var random = new Random(11);
        for (var i = 0; i < 2_000; i++)
        {
            var reference = BankReferences.For(Guid.NewGuid());
            var position = random.Next(4, reference.Length);
            var typo = reference.ToCharArray();
            var original = typo[position];
            typo[position] = char.IsAsciiDigit(original) ? (char)('0' + (original - '0' + random.Next(1, 10)) % 10) : (char)('A' + (original - 'A' + random.Next(1, 26)) % 26);
            BankReferences.IsValid(new string(typo)).Should().BeFalse($"{new string(typo)} differs from {reference} in one character");
        }
    }

    /// <summary>Seen once: "…RZ6 thanks" also passed the check digits as "…RZ6THAN"; every candidate is offered, the real one included.</summary>
    [Fact]
    public void References_are_found_however_the_payer_wrote_them()
    {
        for (var i = 0; i < 2_000; i++)
        {
            var one = BankReferences.For(Guid.NewGuid());
            BankReferences.FoundIn($"invoice {string.Join(' ', one.Chunk(4).Select(c => new string(c)))} thanks a lot").Should().Contain(one);
        }
        var reference = BankReferences.For(Guid.NewGuid());
        var spaced = string.Join(' ', reference.Chunk(4).Select(c => new string(c)));

        BankReferences.FoundIn($"payment for march {spaced.ToLowerInvariant()} thanks").Should().Contain(reference);
        BankReferences.FoundIn($"/{reference}/").Should().StartWith(reference);
        BankReferences.FoundIn("RF00 not a reference, nor RF18539007547035").Should().BeEmpty();
        BankReferences.FoundIn(null).Should().BeEmpty();
    }
}
