using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Opening;
using Marten;
using Wolverine;

namespace Ledger.Api.Accounts.Opening;

public sealed record AddressBody(string? Line1, string? Line2, string? City, string? PostalCode, string? Country)
{
    public Address ToAddress() => new(Line1!.Trim(), string.IsNullOrWhiteSpace(Line2) ? null : Line2.Trim(), City!.Trim(),
        PostalCode!.Trim(), Country!.Trim().ToUpperInvariant());
}

public sealed class AddressValidator : AbstractValidator<AddressBody>
{
    public AddressValidator()
    {
        RuleFor(a => a.Line1).NotEmpty().MaximumLength(100);
        RuleFor(a => a.Line2).MaximumLength(100);
        RuleFor(a => a.City).NotEmpty().MaximumLength(60);
        RuleFor(a => a.PostalCode).NotEmpty().MaximumLength(20);
        RuleFor(a => a.Country).NotEmpty().Matches("^[A-Za-z]{2}$").WithMessage("'country' is an ISO 3166 two-letter code.");
    }
}

public sealed record OpenAccountRequest(string? CustomerId, string? HolderName, string? Currency, int? BillingDay, AddressBody? Address);

public sealed class OpenAccountValidator : AbstractValidator<OpenAccountRequest>
{
    public OpenAccountValidator()
    {
        RuleFor(r => r.CustomerId).NotEmpty().MaximumLength(CustomerIds.MaxLength)
            .Must(id => string.IsNullOrEmpty(id) || CustomerIds.IsValid(id)).WithMessage("'customerId' is letters, digits, '.', '_', ':' or '-'.");
        RuleFor(r => r.HolderName).NotEmpty().MaximumLength(120);
        RuleFor(r => r.Currency).NotEmpty().Length(3);
        RuleFor(r => r.BillingDay).NotNull();
        RuleFor(r => r.Address).NotNull().SetValidator(new AddressValidator()!);
    }
}

public static class OpenAccountEndpoint
{
    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapPost("/", (OpenAccountRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
        {
            var command = new OpenAccount(Ledger.Domain.Buckets.NewId(Ledger.Domain.Buckets.OfCustomer(body.CustomerId!.Trim())), body.CustomerId!.Trim(), body.HolderName!, body.Currency!.Trim().ToUpperInvariant(),
                body.BillingDay!.Value, body.Address!.ToAddress());
            return Writes.SendAsync(http, bus, query, command, o => $"/api/accounts/{o.AccountId}");
        })
        .Validated<OpenAccountRequest>()
        .RequireAuthorization(AccessPolicies.OpenAccounts)
        .WithName("OpenAccount").Write(onAccount: false)
        .WithSummary("Open a billing account for a customer (desk).");
}
