using System.Collections.Concurrent;
using Azure.Core;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>Hands out a fixed bearer token (the one <see cref="KeyVaultFake"/> accepts) and records what was asked for.</summary>
public sealed class KeyVaultFakeCredential : TokenCredential
{
    public const string Token = "fake-key-vault-token";

    private readonly ConcurrentQueue<TokenRequestContext> _requests = new();

    /// <summary>Every token request, so a test can see the scope and tenant the SDK took from the 401 challenge.</summary>
    public IReadOnlyCollection<TokenRequestContext> Requests => _requests;

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        _requests.Enqueue(requestContext);
        return new AccessToken(Token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
