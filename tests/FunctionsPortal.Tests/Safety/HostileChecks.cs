using System.Net;

namespace FunctionsPortal.Tests.Safety;

/// <summary>The checks every hostile answer gets, and the tallies the suite prints.</summary>
public static class HostileChecks
{
    /// <summary>What a stack trace, a server path or a secret looks like in a body.</summary>
    private static readonly string[] LeakMarkers =
    [
        "   at ", ".cs:line", "--- End of stack trace", "System.Private.CoreLib", "Exception:", "/work/", "/home/", "/tmp/", "/root/", @"C:\",
        "AccountKey", "DefaultEndpointsProtocol", "Eby8vdM02xNOcqFl", "SharedAccessSignature", "BEGIN PRIVATE KEY", "client_secret",
    ];

    public static async Task<HostileOutcome> RunAsync(HostileWorld world, HostileCase hostile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(hostile);
        HttpResponseMessage response;
        try
        {
            response = await hostile.SendAsync(world, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The case could not even be sent (a test mistake or an unreadable answer): a failure of its own, listed with the rest.
            return new HostileOutcome(hostile.Name, 0, false, false, false, false, [$"the case failed: {exception.GetType().Name}: {exception.Message}"]);
        }

        using var _ = response;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var problems = new List<string>();
        var serverError = (int)response.StatusCode >= 500;
        if (serverError)
        {
            problems.Add($"answered {(int)response.StatusCode}");
        }

        var leaks = LeakMarkers.Where(marker => body.Contains(marker, StringComparison.Ordinal)).ToList();
        if (!hostile.StaffAnswer)
        {
            // What the request itself carried (a path naming another vendor's id, echoed in a sign-in redirect) is not a leak.
            var sent = response.RequestMessage?.RequestUri?.ToString() ?? "";
            leaks.AddRange(world.OtherVendorsData.Where(data => !sent.Contains(data, StringComparison.Ordinal)).Where(data => body.Contains(data, StringComparison.Ordinal) || HeaderValues(response).Any(value => value.Contains(data, StringComparison.Ordinal))));
        }

        if (leaks.Count > 0)
        {
            problems.Add($"leaked {string.Join(", ", leaks.Select(leak => $"'{leak}'"))}");
        }

        var headers = HeaderProblems(response);
        problems.AddRange(headers);
        string? bypass;
        try
        {
            bypass = hostile.BypassAsync is null ? null : await hostile.BypassAsync(world, response, body, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            bypass = $"the check failed: {exception.GetType().Name}: {exception.Message}";
        }
        if (bypass is not null)
        {
            problems.Add($"bypass: {bypass}");
        }

        return new HostileOutcome(hostile.Name, response.StatusCode, serverError, leaks.Count > 0, bypass is not null, headers.Count > 0, problems);
    }

    private static List<string> HeaderProblems(HttpResponseMessage response)
    {
        var problems = new List<string>();
        if (!Values(response, "X-Content-Type-Options").Contains("nosniff"))
        {
            problems.Add("no nosniff");
        }

        if (response.Content.Headers.ContentType?.MediaType == "text/html"
            && !Values(response, "X-Frame-Options").Any()
            && !Values(response, "Content-Security-Policy").Any(policy => policy.Contains("frame-ancestors", StringComparison.Ordinal)))
        {
            problems.Add("HTML that can be framed");
        }

        return problems;
    }

    private static IEnumerable<string> Values(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? contentValues
        : [];

    private static IEnumerable<string> HeaderValues(HttpResponseMessage response) =>
        response.Headers.Concat(response.Content.Headers).SelectMany(header => header.Value);
}

public sealed record HostileOutcome(string Name, HttpStatusCode Status, bool ServerError, bool Leak, bool Bypass, bool Headers, IReadOnlyList<string> Problems);
