using System.Collections.Concurrent;
using Azure.Core;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>A <see cref="TokenCredential"/> that hands out a fixed token and records the scopes asked for.</summary>
public sealed class GraphFakeCredential(string token = GraphFakeCredential.DefaultToken) : TokenCredential
{
    public const string DefaultToken = "fake-graph-token";

    private readonly ConcurrentQueue<string> _scopes = new();

    /// <summary>Every scope requested, once per token request.</summary>
    public IReadOnlyCollection<string> RequestedScopes => _scopes;

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        foreach (var scope in requestContext.Scopes)
        {
            _scopes.Enqueue(scope);
        }

        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
