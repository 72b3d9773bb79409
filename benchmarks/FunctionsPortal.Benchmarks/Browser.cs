using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace FunctionsPortal.Benchmarks;

/// <summary>
/// One simulated vendor browser: a plain HttpClient over loopback with its own cookies (antiforgery, flash messages),
/// redirects not followed so every step can be timed and checked — the way the tests' VendorFormClient posts forms.
/// </summary>
internal sealed partial class Browser : IDisposable
{
    private readonly SocketsHttpHandler _handler;
    private readonly HttpClient _http;
    private long _storageOperations;
    private long _responses;
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Request, int Operations)> _requests = new();

    public Browser(Uri baseAddress, string? staffHeader = null)
    {
        _handler = new SocketsHttpHandler
        {
            UseCookies = true,
            CookieContainer = new CookieContainer(),
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        _http = new HttpClient(_handler, disposeHandler: false) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(120) };
        if (staffHeader is not null)
        {
            _http.DefaultRequestHeaders.Add("X-Development-Staff", staffHeader);
        }
    }

    /// <summary>Storage round trips the portal reported (its Server-Timing header) over every answer this browser received.</summary>
    public long StorageOperations => Interlocked.Read(ref _storageOperations);

    /// <summary>Answers this browser received (each with its storage round trips in <see cref="StorageOperations"/>).</summary>
    public long Responses => Interlocked.Read(ref _responses);

    /// <summary>The total the portal's Server-Timing header reports (<c>storage;desc="N"</c>), or null without one.</summary>
    public static int? StorageOperationsOf(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.TryGetValues("Server-Timing", out var values)
               && StorageTotalPattern().Match(string.Join(", ", values)) is { Success: true } match
            ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }

    /// <summary>The portal's Server-Timing header as sent (the storage round trips by kind).</summary>
    public static string ServerTiming(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return string.Join(", ", response.Headers.TryGetValues("Server-Timing", out var values) ? values : []);
    }

    /// <summary>A page that must answer 200; its HTML.</summary>
    public async Task<string> PageAsync(string url, CancellationToken cancellationToken)
    {
        using var response = Counted(await _http.GetAsync(url, cancellationToken));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {Shorten(url)} answered {(int)response.StatusCode}, not 200");
        }

        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>A GET that must answer 200; the storage round trips the portal reported for it, by kind (its Server-Timing header).</summary>
    public async Task<string> ServerTimingOfAsync(string url, CancellationToken cancellationToken)
    {
        using var response = Counted(await _http.GetAsync(url, cancellationToken));
        await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK
            ? ServerTiming(response)
            : throw new InvalidOperationException($"GET {Shorten(url)} answered {(int)response.StatusCode}, not 200");
    }

    /// <summary>GET as a load test does it: the whole body read, only the status checked; null when all is well.</summary>
    public async Task<string?> GetStatusAsync(string url, CancellationToken cancellationToken)
    {
        using var response = Counted(await _http.GetAsync(url, cancellationToken));
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK && body.Length > 0 ? null : $"GET {Shorten(url)} answered {(int)response.StatusCode} ({body.Length} bytes)";
    }

    /// <summary>Posts a multipart form (as the pages' forms are) with the antiforgery token; the raw response.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(
        string url, string antiforgeryToken, IEnumerable<(string Name, string Value)> fields, CancellationToken cancellationToken,
        IEnumerable<(string Name, string FileName, byte[] Content)>? files = null, bool autosave = false)
    {
        // The form disposes its parts; the list only makes that visible (and covers a failure half-way through building it).
        var parts = new List<HttpContent>();
        try
        {
            using var form = new MultipartFormDataContent();
            foreach (var (name, value) in fields.Prepend(("__RequestVerificationToken", antiforgeryToken)))
            {
                var part = new StringContent(value);
                parts.Add(part);
                form.Add(part, name);
            }

            foreach (var (name, fileName, content) in files ?? [])
            {
                var part = new ByteArrayContent(content);
                parts.Add(part);
                part.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
                form.Add(part, name, fileName);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = form };
            if (autosave)
            {
                request.Headers.Add("X-Autosave", "1");
            }

            return Counted(await _http.SendAsync(request, cancellationToken));
        }
        finally
        {
            foreach (var part in parts)
            {
                part.Dispose();
            }
        }
    }

    /// <summary>Posts a form that must redirect (Post/Redirect/Get); where to.</summary>
    public async Task<string> PostRedirectAsync(
        string url, string antiforgeryToken, IEnumerable<(string Name, string Value)> fields, CancellationToken cancellationToken,
        IEnumerable<(string Name, string FileName, byte[] Content)>? files = null)
    {
        using var response = await PostFormAsync(url, antiforgeryToken, fields, cancellationToken, files);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location is not { } location)
        {
            throw new InvalidOperationException($"POST {Shorten(url)} answered {(int)response.StatusCode}, not a 302");
        }

        return location.OriginalString;
    }

    public async Task<string> GetStringAsync(string url, CancellationToken cancellationToken)
    {
        using var response = Counted(await _http.GetAsync(url, cancellationToken));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public void Dispose()
    {
        _http.Dispose();
        _handler.Dispose();
    }

    /// <summary>Every request this browser made, as "GET /s/{section}" (no token), with its storage round trips.</summary>
    public IReadOnlyCollection<(string Request, int Operations)> Requests => _requests;

    private HttpResponseMessage Counted(HttpResponseMessage response)
    {
        var operations = StorageOperationsOf(response) ?? 0;
        Interlocked.Increment(ref _responses);
        Interlocked.Add(ref _storageOperations, operations);
        if (_requests.Count < 1000 && response.RequestMessage is { RequestUri: { } uri } request)
        {
            var path = ReceiptPattern().Replace(SectionPattern().Replace(TokenPattern().Replace(uri.AbsolutePath, ""), "/s/{section}"), "/receipts/{n}");
            _requests.Enqueue(($"{request.Method} {(path.Length == 0 ? "/" : path)}", operations));
        }

        return response;
    }

    public static string AntiforgeryToken(string html) => AntiforgeryPattern().Match(html) is { Success: true } match
        ? WebUtility.HtmlDecode(match.Groups[1].Value)
        : throw new InvalidOperationException("The page has no antiforgery field.");

    /// <summary>The items a section page lists in its hidden <c>items</c> field.</summary>
    public static string ItemsField(string html) => ItemsPattern().Match(html) is { Success: true } match
        ? WebUtility.HtmlDecode(match.Groups[1].Value)
        : throw new InvalidOperationException("The page has no items field.");

    public static string? Revision(string html) => RevisionPattern().Match(html) is { Success: true } match ? match.Groups[1].Value : null;

    /// <summary>The problems a page lists in its error summary (item ids and messages), or empty.</summary>
    public static string ErrorSummary(string html)
    {
        var start = html.IndexOf("class=\"error-summary\"", StringComparison.Ordinal);
        if (start < 0)
        {
            return "";
        }

        var end = html.IndexOf("</div>", start, StringComparison.Ordinal);
        var text = TagPattern().Replace(html[start..(end < 0 ? html.Length : end)], " ");
        return WhitespacePattern().Replace(WebUtility.HtmlDecode(text), " ").Trim();
    }

    /// <summary>A link in an error message without its bearer token.</summary>
    public static string Shorten(string url) => TokenPattern().Replace(url, "/v/{token}");

    [GeneratedRegex(@"name=""__RequestVerificationToken"" value=""([^""]+)""")]
    private static partial Regex AntiforgeryPattern();

    [GeneratedRegex(@"name=""items"" value=""([^""]*)""")]
    private static partial Regex ItemsPattern();

    [GeneratedRegex(@"name=""revision"" value=""(\d+)""")]
    private static partial Regex RevisionPattern();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespacePattern();

    [GeneratedRegex(@"(?:^|, )storage;desc=""(\d+)""")]
    private static partial Regex StorageTotalPattern();

    [GeneratedRegex("/s/[^/]+")]
    private static partial Regex SectionPattern();

    [GeneratedRegex(@"/receipts/\d+")]
    private static partial Regex ReceiptPattern();

    [GeneratedRegex("/v/[A-Za-z0-9_-]+")]
    private static partial Regex TokenPattern();
}
