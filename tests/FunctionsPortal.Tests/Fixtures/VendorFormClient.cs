using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FunctionsPortal.Tests.Fixtures;

/// <summary>
/// Uses the server-rendered vendor pages over plain HTTP as a browser's forms do: load a page, take its antiforgery
/// token, post its form (fields and files, multipart). For rules a real browser cannot see, like who may read what.
/// </summary>
/// <example>
/// <code>
/// using static FunctionsPortal.Tests.Fixtures.VendorFormClient;
///
/// using var browser = NewBrowser(app);
/// using var saved = await PostFormAsync(browser, invited.Url("/s/governance"), invited.Url("/s/governance"),
///     [("items", "GOV-03"), ("a.GOV-03.status", "done"), ("action", "save")]);
/// </code>
/// </example>
public static partial class VendorFormClient
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A browser-like client: its own cookies (antiforgery), redirects not followed so each step can be checked.</summary>
    public static HttpClient NewBrowser(PortalApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
    }

    /// <summary>The page's HTML, after checking it answered 200.</summary>
    public static async Task<string> PageAsync(HttpClient client, string url)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync(url, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Token);
    }

    public static string AntiforgeryToken(string html) => AntiforgeryPattern().Match(html) is { Success: true } match
        ? WebUtility.HtmlDecode(match.Groups[1].Value)
        : throw new InvalidOperationException("The page has no antiforgery field.");

    /// <summary>Loads the page at <paramref name="pageUrl"/>, then posts its form to <paramref name="postUrl"/>.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string pageUrl, string postUrl, IEnumerable<(string Name, string Value)> fields,
        IEnumerable<(string Name, string FileName, byte[] Content)>? files = null, bool withAntiforgery = true) =>
        await PostPageFormAsync(client, await PageAsync(client, pageUrl), postUrl, fields, files, withAntiforgery);

    /// <summary>Posts a form of a page loaded earlier (a second tab still showing it).</summary>
    public static async Task<HttpResponseMessage> PostPageFormAsync(HttpClient client, string html, string postUrl, IEnumerable<(string Name, string Value)> fields,
        IEnumerable<(string Name, string FileName, byte[] Content)>? files = null, bool withAntiforgery = true)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(fields);
        using var form = new MultipartFormDataContent();
        if (withAntiforgery)
        {
            form.Add(new StringContent(AntiforgeryToken(html)), "__RequestVerificationToken");
        }

        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        foreach (var (name, fileName, content) in files ?? [])
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, name, fileName);
        }

        return await client.PostAsync(postUrl, form, Token);
    }

    [GeneratedRegex(@"name=""__RequestVerificationToken"" value=""([^""]+)""")]
    private static partial Regex AntiforgeryPattern();
}
