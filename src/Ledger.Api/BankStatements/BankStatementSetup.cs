using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.BankStatements.Camt;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain;
using Ledger.Domain.BankStatements;
using Marten;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.BankStatements;

public sealed record AssignBankLineRequest(Guid? AccountId, Guid? PaymentId, string? Note);

public sealed class AssignBankLineValidator : AbstractValidator<AssignBankLineRequest>
{
    public AssignBankLineValidator()
    {
        RuleFor(r => r.AccountId).NotNull();
        RuleFor(r => r.Note).MaximumLength(500);
    }
}

public sealed record ReturnToSenderRequest(string? Reason);

public sealed class ReturnToSenderValidator : AbstractValidator<ReturnToSenderRequest>
{
    public ReturnToSenderValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
}

/// <summary>A bank line as the desk sees it: what the bank wrote, where it went or why it waits.</summary>
public sealed record BankLineAnswer(
    Guid LineId, string Status, string Kind, string BankReference, string BankAccount, DateOnly? BookedOn, decimal Amount, string Currency,
    string? PayerName, string? Remittance, string? EndToEndId, string? CheckNumber, string? CreditorReference, string? ReturnReasonCode,
    string? ReturnReason, string? Rule, string? Reason, Guid? AccountId, Guid? PaymentId, string? Outcome, string? Note, string Message,
    DateTimeOffset UpdatedAt)
{
    public static BankLineAnswer From(BankLine line)
    {
        var r = line.Recorded;
        return new(line.Id, line.Status, r.Kind == BankLineKind.Credit ? "credit" : "return", r.BankReference, r.BankAccount, r.BookedOn, r.Amount,
            r.Currency, r.PayerName, r.Remittance, r.EndToEndId, r.CheckNumber, r.CreditorReference, r.ReturnReasonCode, r.ReturnReason,
            line.QueueRule, line.QueueReason, line.AccountId, line.PaymentId, line.Outcome, line.Note, r.Message, line.UpdatedAt);
    }
}

/// <summary>Marks an endpoint that reads its body as XML itself, for the API description (<see cref="XmlBodyInDescription"/>).</summary>
public sealed class XmlBody;

/// <summary>Describes the XML body of the endpoints marked <see cref="XmlBody"/>: a camt document, sent as application/xml or text/xml.</summary>
public sealed class XmlBodyInDescription : Swashbuckle.AspNetCore.SwaggerGen.IOperationFilter
{
    public void Apply(Microsoft.OpenApi.OpenApiOperation operation, Swashbuckle.AspNetCore.SwaggerGen.OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<XmlBody>().Any())
            return;
        var document = new Microsoft.OpenApi.OpenApiMediaType { Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String } };
        operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
        {
            Required = true,
            Description = "An ISO 20022 camt.053 or camt.054 document, version .001.02 or .001.08.",
            Content = new Dictionary<string, Microsoft.OpenApi.OpenApiMediaType> { ["application/xml"] = document, ["text/xml"] = document },
        };
    }
}

/// <summary>Section <c>Payments:BankStatements</c>.</summary>
public sealed class BankStatementOptions
{
    public const string Section = "Payments:BankStatements";

    /// <summary>A folder of ISO 20022 <c>camt.*.xsd</c> files to validate with instead of the shipped ones (e.g. the official schemas).</summary>
    public string? SchemaDirectory { get; set; }

    /// <summary>The largest bank file accepted, in bytes (10 MiB: some ten thousand entries).</summary>
    public long MaxFileBytes { get; set; } = 10 * 1024 * 1024;
}

/// <summary>
/// Bank files in (managers, who alone say money arrived), the reconciliation queue out (the desk works it). See
/// docs/payments.md, "Bank statements".
/// </summary>
public static class BankStatementSetup
{
    private static readonly string[] XmlTypes = ["application/xml", "text/xml"];

    public static IServiceCollection AddBankStatements(this IServiceCollection services)
    {
        services.AddOptions<BankStatementOptions>().BindConfiguration(BankStatementOptions.Section);
        services.AddSingleton(sp => CamtSchemas.Load(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<BankStatementOptions>>().Value.SchemaDirectory));
        services.AddScoped<BankStatementImport>();
        services.AddScoped<BankLineDesk>();
        services.ConfigureSwaggerGen(o => o.OperationFilter<XmlBodyInDescription>());
        return services;
    }

    public static WebApplication MapBankStatements(this WebApplication app)
    {
        var group = app.MapGroup("/api/bank-statements").WithTags("Bank statements");

        group.MapPost("", async (HttpContext http, CamtSchemas schemas, BankStatementImport import,
                Microsoft.Extensions.Options.IOptions<BankStatementOptions> options) =>
            {
                if (!XmlTypes.Any(t => http.Request.ContentType?.StartsWith(t, StringComparison.OrdinalIgnoreCase) == true))
                    return Problems.Rule(new Rejection("unsupported-media-type",
                        "A bank file is sent as application/xml (an ISO 20022 camt.053 or camt.054 document).", "Content-Type"), 415);
                var content = await ReadBoundedAsync(http, options.Value.MaxFileBytes);
                if (content is null)
                    return Problems.Rule(new Rejection("payload-too-large", $"A bank file is at most {options.Value.MaxFileBytes} bytes."), 413);
                var (file, problems) = CamtReader.Read(new MemoryStream(content), schemas);
                if (file is null)
                    return Invalid(problems);
                var context = Writes.Context(http);
                return Results.Ok(await import.ImportAsync(file, content, context, http.RequestAborted));
            })
            .RequireAuthorization(AccessPolicies.ApplyBankCredits)
            .WithMetadata(new XmlBody()) // not Accepts<>: its content-type match would answer 415 before authorization
            .WithName("ImportBankStatement").Produces<ImportAnswer>()
            .Refuses(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Import the bank's camt.053 statement or camt.054 notification (.001.02 or .001.08): matched lines settle their payments, " +
                         "returned items are returned, the rest waits in the reconciliation queue; a line seen before changes nothing (managers; systems with ledger.payments.write).");

        group.MapGet("/queue", async (IQuerySession query, CancellationToken ct) =>
                (await query.Query<BankLine>().Where(l => l.Status == BankLineStatus.Queued).OrderBy(l => l.UpdatedAt).Take(500).ToListAsync(ct))
                .Select(BankLineAnswer.From))
            .RequireAuthorization(AccessPolicies.Desk)
            .WithName("ListReconciliationQueue").Produces<List<BankLineAnswer>>()
            .WithSummary("Bank lines waiting for the desk, oldest first: why each waits and what it looked most like.");

        group.MapGet("/lines/{lineId:guid}", async (Guid lineId, IQuerySession query, CancellationToken ct) =>
                await query.LoadAsync<BankLine>(lineId, ct) is { } line ? Results.Ok(BankLineAnswer.From(line)) : Problems.NotFound($"Bank line {lineId}"))
            .RequireAuthorization(AccessPolicies.Desk)
            .WithName("GetBankLine").Produces<BankLineAnswer>()
            .WithSummary("One bank line: what the bank wrote and where it went.");

        group.MapPost("/lines/{lineId:guid}/assignment", async (Guid lineId, AssignBankLineRequest body, HttpContext http, BankLineDesk desk) =>
                Answer(await desk.AssignAsync(lineId, body.AccountId!.Value, body.PaymentId, body.Note, Writes.Context(http), http.RequestAborted), lineId, http))
            .Validated<AssignBankLineRequest>()
            .RequireAuthorization(AccessPolicies.Desk)
            .WithName("AssignBankLine").Produces<BankLineAnswer>().Write(answers: false, ifMatch: false, eTag: false)
            .WithSummary("Apply a queued bank line to an account: a credit as a payment (settling the payment named, as what arrived), a returned item " +
                         "to the payment it undoes.");

        group.MapPost("/lines/{lineId:guid}/return-to-sender", async (Guid lineId, ReturnToSenderRequest body, HttpContext http, BankLineDesk desk) =>
                Answer(await desk.ReturnToSenderAsync(lineId, body.Reason!, Writes.Context(http), http.RequestAborted), lineId, http))
            .Validated<ReturnToSenderRequest>()
            .RequireAuthorization(AccessPolicies.Desk)
            .WithName("ReturnBankLineToSender").Produces<BankLineAnswer>().Write(answers: false, ifMatch: false, eTag: false)
            .WithSummary("Send a queued credit back to whoever sent it; nothing is applied to any account.");
        return app;
    }

    private static IResult Answer(DeskResult result, Guid lineId, HttpContext http)
    {
        if (result.Line is null)
            return Problems.NotFound($"Bank line {lineId}");
        if (result.Refusal is { } refusal)
            return Problems.Rule(refusal, refusal.IsConflict ? 409 : 422);
        if (result.Outcome is { } outcome && Writes.Refusal(outcome) is not null)
            return outcome.ToHttp(http, null);
        return Results.Ok(BankLineAnswer.From(result.Line));
    }

    private static IResult Invalid(IReadOnlyList<CamtProblem> problems)
    {
        var first = problems[0];
        var problem = Problems.Describe(new Rejection("bank-file-invalid",
            $"The file does not validate against the ISO 20022 schema: {first.Element} (line {first.Line}, position {first.Position}): {first.Message}",
            first.Element), StatusCodes.Status400BadRequest);
        problem.Extensions["errors"] = problems.GroupBy(p => p.Element).ToDictionary(g => g.Key, g => g.Select(p => $"line {p.Line}, position {p.Position}: {p.Message}").ToArray());
        return TypedResults.Problem(problem);
    }

    /// <summary>The body, or null past <paramref name="limit"/> (Kestrel is told the limit as well, before it reads the socket).</summary>
    internal static async Task<byte[]?> ReadBoundedAsync(HttpContext http, long limit)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } socket)
            socket.MaxRequestBodySize = limit;
        if (http.Request.ContentLength > limit)
            return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        try
        {
            while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit)
                    return null;
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        return buffer.ToArray();
    }
}
