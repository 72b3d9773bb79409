using System.Net;

namespace FunctionsPortal.Tests.Fakes;

/// <summary>
/// Random-fault mode: a Graph that is throttling and failing all the time, as in a production fault run, instead of
/// the scripted faults a test lines up in advance. Scripted faults still come first.
/// </summary>
public sealed partial class GraphFake
{
    private static readonly HttpStatusCode[] ServerErrors =
        [HttpStatusCode.InternalServerError, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout];

    private RandomFaults? _randomFaults;

    /// <summary>
    /// From now on each mail request answers 429 ApplicationThrottled (with <paramref name="retryAfter"/>) with probability
    /// <paramref name="throttleRate"/>, else a 5xx (500, 502, 503 or 504, no Retry-After) with probability
    /// <paramref name="serverErrorRate"/>. A 504 drawn for a send is Graph's ambiguous one: the send happens, then the
    /// answer is 504 (as <see cref="LoseNextSendResponses"/>, taken by the next send to go through). Draws come from one
    /// generator seeded with <paramref name="seed"/>, so a run's fault sequence is reproducible; which request gets
    /// which draw still depends on the order requests arrive in.
    /// </summary>
    public void FailAtRandom(int seed, double throttleRate, double serverErrorRate, TimeSpan retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(throttleRate);
        ArgumentOutOfRangeException.ThrowIfNegative(serverErrorRate);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(throttleRate + serverErrorRate, 1.0);
        lock (_gate)
        {
            _randomFaults = new RandomFaults(new Random(seed), throttleRate, serverErrorRate, retryAfter);
        }
    }

    /// <summary>Called under <c>_gate</c> when no scripted fault applies: the fault to answer with, if one is drawn.</summary>
    private Fault? TakeRandomFault(GraphFakeEndpoint endpoint)
    {
        if (_randomFaults is not { } faults || endpoint == GraphFakeEndpoint.Other)
        {
            return null;
        }

        var draw = faults.Random.NextDouble();
        if (draw < faults.ThrottleRate)
        {
            return new Fault(1, endpoint, HttpStatusCode.TooManyRequests, "ApplicationThrottled", ThrottledMessage, faults.RetryAfter, RetryAfterAsHttpDate: false);
        }

        if (draw >= faults.ThrottleRate + faults.ServerErrorRate)
        {
            return null;
        }

        var status = ServerErrors[faults.Random.Next(ServerErrors.Length)];
        if (status == HttpStatusCode.GatewayTimeout && endpoint is GraphFakeEndpoint.SendDraft or GraphFakeEndpoint.SendMail)
        {
            _lostSendResponses++;
            return null;
        }

        return new Fault(1, endpoint, status, status == HttpStatusCode.GatewayTimeout ? "UnknownError" : status.ToString(),
            $"Random {(int)status} from the fake Graph.", RetryAfter: null, RetryAfterAsHttpDate: false);
    }

    private sealed record RandomFaults(Random Random, double ThrottleRate, double ServerErrorRate, TimeSpan RetryAfter);
}
