using System.Net;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>One request <see cref="GraphFake"/> answered, and how.</summary>
public sealed record GraphFakeRequest(
    GraphFakeEndpoint Endpoint,
    string Method,
    string Path,
    HttpStatusCode Status,
    string? Authorization,
    string? Prefer,
    string? RetryAfter);
