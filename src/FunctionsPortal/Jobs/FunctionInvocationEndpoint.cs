using System.Net;
using FunctionsPortal.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsPortal.Jobs;

/// <summary>
/// <c>POST /&lt;FunctionName&gt;</c>: how the Functions host invokes a timer or queue function. Mapped only when the
/// host started us (Kestrel then listens on 127.0.0.1 only), and no public HTTP function's route can reach it.
/// </summary>
internal static class FunctionInvocationEndpoint
{
    public const string InvocationIdHeader = "X-Azure-Functions-InvocationId";
    private const int MaxBodyBytes = 4 * 1024 * 1024;

    public static IEndpointRouteBuilder MapFunctionInvocations(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/{functionName:regex(^[A-Za-z][A-Za-z0-9_-]{{0,127}}$)}", InvokeAsync)
            .WithName("FunctionInvocation")
            .ExcludeFromDescription()
            .DisableAntiforgery()
            .WithBodyLimit(MaxBodyBytes);
        return endpoints;
    }

    internal static async Task<Results<Ok<InvocationResponse>, ProblemHttpResult>> InvokeAsync(
        string functionName,
        HttpContext context,
        FunctionInvoker invoker,
        CancellationToken cancellationToken)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is not null && !IPAddress.IsLoopback(remote))
        {
            return Problem(StatusCodes.Status404NotFound, "Not found", "This endpoint is only for the local Functions host.");
        }

        var invocationId = context.Request.Headers[InvocationIdHeader].FirstOrDefault() is { Length: > 0 } id ? id : Guid.NewGuid().ToString();
        if (!invoker.IsRegistered(functionName))
        {
            return Problem(StatusCodes.Status404NotFound, "Unknown function", $"No function named '{functionName}' is registered in this app.", invocationId);
        }

        InvocationPayload payload;
        try
        {
            payload = InvocationPayload.Parse(await ReadBodyAsync(context.Request, cancellationToken));
        }
        catch (InvalidInvocationException exception)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid invocation body", exception.Message, invocationId);
        }

        var outcome = await invoker.InvokeAsync(functionName, invocationId, payload, "host", cancellationToken);
        return outcome.Status switch
        {
            InvocationStatus.Succeeded => TypedResults.Ok(new InvocationResponse(
                new Dictionary<string, object?>(), outcome.Invocation!.Logs, outcome.Invocation.ReturnValue)),
            InvocationStatus.Invalid => Problem(StatusCodes.Status400BadRequest, "Invalid invocation", outcome.Error!, invocationId),
            InvocationStatus.UnknownFunction => Problem(StatusCodes.Status404NotFound, "Unknown function", outcome.Error!, invocationId),
            // A non-2xx makes the host count the invocation as failed: queue messages are retried, then poisoned.
            _ => Problem(StatusCodes.Status500InternalServerError, "Function failed", $"{functionName} failed; see the logs of invocation {invocationId}.", invocationId),
        };
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw new InvalidInvocationException($"The invocation body is larger than {MaxBodyBytes:N0} bytes.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new InvalidInvocationException($"The invocation body is larger than {MaxBodyBytes:N0} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ProblemHttpResult Problem(int status, string title, string detail, string? invocationId = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (invocationId is not null)
        {
            problem.Extensions["invocationId"] = invocationId;
        }

        return TypedResults.Problem(problem);
    }
}
