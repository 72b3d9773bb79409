using System.Net.Http.Headers;
using Azure.Core;
using Microsoft.Graph;
using Microsoft.Graph.Authentication;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace FunctionsPortal.Graph;

/// <summary>
/// The pieces a <see cref="GraphServiceClient"/> is built from, identical in production and against the loopback fake:
/// the SDK's default middleware minus its retries, and bearer tokens from a <see cref="TokenCredential"/>.
/// </summary>
public static class GraphPipeline
{
    public const string GraphScope = "https://graph.microsoft.com/.default";

    /// <summary>
    /// An HttpClient with the SDK's default middleware (redirects, telemetry, headers inspection …) whose retry handler
    /// never retries. The default one replays POSTs on 429/503/504, and a 504 is an unknown outcome: a replayed
    /// <c>…/send</c> can send the mail twice. The caller (the outbox) owns retries. No client-wide timeout: callers set one per call.
    /// </summary>
    public static HttpClient CreateHttpClientWithoutRetries()
    {
        var handlers = GraphClientFactory.CreateDefaultHandlers();
        var index = handlers.IndexOf(handlers.OfType<RetryHandler>().Single());
        handlers[index].Dispose();
        handlers[index] = CreateRetryHandlerThatNeverRetries();
        var httpClient = GraphClientFactory.Create(handlers);
        httpClient.Timeout = Timeout.InfiniteTimeSpan;
        return httpClient;
    }

    /// <summary>
    /// Bearer tokens for Graph's scope, sent only to <paramref name="baseUrl"/>'s host. Graph's own provider trusts only
    /// the Graph cloud hosts and sends no token at all elsewhere (silently), so a loopback fake would never see one.
    /// </summary>
    public static IAuthenticationProvider CreateAuthenticationProvider(TokenCredential credential, Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(baseUrl);
        return new AzureIdentityAuthenticationProvider(credential, [baseUrl.Host], observabilityOptions: null, isCaeEnabled: true, GraphScope);
    }

    /// <summary>A refused call's Retry-After, in seconds or as an HTTP date (from <paramref name="now"/>); null when absent.</summary>
    public static TimeSpan? RetryAfter(ApiException exception, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var value = exception.ResponseHeaders
            .Where(header => string.Equals(header.Key, "Retry-After", StringComparison.OrdinalIgnoreCase))
            .SelectMany(header => header.Value)
            .FirstOrDefault();
        if (!RetryConditionHeaderValue.TryParse(value, out var retryAfter))
        {
            return null;
        }

        return retryAfter.Delta ?? (retryAfter.Date is { } date ? (date - now > TimeSpan.Zero ? date - now : TimeSpan.Zero) : null);
    }

    private static RetryHandler CreateRetryHandlerThatNeverRetries() =>
        new(new RetryHandlerOption { MaxRetry = 0, ShouldRetry = static (_, _, _) => false });
}
