using Ledger.Api.Infrastructure;
using Marten;

namespace Ledger.Api.ServiceRequests;

/// <summary>
/// A request's documents and its signed proof: the API maps these delegates, and so does the portal behind its cookie (the
/// API takes bearer tokens only), so a file has one way out — the caller's visibility (<see cref="RequestReads.VisibleAsync"/>),
/// the stored bytes, and headers that keep a browser from rendering or sniffing them.
/// </summary>
public static class RequestFiles
{
    public static async Task<IResult> Document(Guid requestId, Guid documentId, HttpContext http, IQuerySession query)
    {
        if (await RequestReads.VisibleAsync(query, http, requestId) is not { } request
            || request.Documents.FirstOrDefault(d => d.DocumentId == documentId) is not { } document
            || await RequestDocuments.LoadAsync(query, document.Sha256, http.RequestAborted) is not { } bytes)
            return Problems.NotFound($"Document {documentId} of service request {requestId}");
        // As bytes to save, whatever they are: a customer's file is never opened by the browser on the ledger's origin.
        return Download(http, bytes, "application/octet-stream", document.FileName, document.Sha256);
    }

    public static async Task<IResult> Proof(Guid requestId, HttpContext http, IQuerySession query)
    {
        if (await RequestReads.VisibleAsync(query, http, requestId) is not { ProofSha256: { } sha } request
            || await RequestDocuments.LoadAsync(query, sha, http.RequestAborted) is not { } bytes)
            return Problems.NotFound($"The proof of completion of service request {requestId}");
        return Download(http, bytes, "application/pdf", $"{request.Number}-proof.pdf", sha);
    }

    private static IResult Download(HttpContext http, byte[] bytes, string contentType, string fileName, string sha256)
    {
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        http.Response.Headers.ETag = $"\"{sha256}\"";
        return Results.File(bytes, contentType, fileName);
    }
}
