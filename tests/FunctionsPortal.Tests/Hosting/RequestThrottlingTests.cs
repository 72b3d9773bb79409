using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;

namespace FunctionsPortal.Tests.Hosting;

/// <summary>
/// Rate limiting through the whole pipeline with small limits: vendor links per link, per address and for wrong tokens
/// (the vendor's 429 page, Retry-After, one warning, the metric), staff changes per person, the development sign-in.
/// </summary>
public sealed class RequestThrottlingTests(AzuriteFixture azurite)
{
    private static readonly string[] UnthrottledPaths = ["/", "/healthz", "/openapi/v1.json"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private PortalApplication App(params (string Key, string Value)[] limits) =>
        new(azurite, settings: limits.ToDictionary(limit => $"Throttling:{limit.Key}", limit => (string?)limit.Value));

    private static HttpClient Client(PortalApplication app) => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Fact]
    public async Task OneLinkGetsItsLimitThenTheVendorsPageWithRetryAfter()
    {
        await using var app = App(("VendorRequestsPerLink", "3"));
        using var client = Client(app);

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await client.GetAsync("/v/one-link-token", Token);
            Assert.Equal(HttpStatusCode.NotFound, allowed.StatusCode);
        }

        using var refused = await client.GetAsync("/v/one-link-token/review", Token);
        using var otherLink = await client.GetAsync("/v/another-link-token", Token);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var seconds = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 1, 60);
        Assert.StartsWith("text/html", refused.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        var page = await refused.Content.ReadAsStringAsync(Token);
        Assert.Contains("しばらくお待ちください", page, StringComparison.Ordinal);
        Assert.Contains($"{seconds}秒", page, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(refused.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(HttpStatusCode.NotFound, otherLink.StatusCode);
    }

    [Fact]
    public async Task TheRefusalSpeaksTheVendorsLanguage()
    {
        await using var app = App(("VendorRequestsPerLink", "1"));
        using var client = Client(app);
        client.DefaultRequestHeaders.Add("Cookie", "portal-lang=en");

        using var first = await client.GetAsync("/v/english-link-token", Token);
        using var refused = await client.GetAsync("/v/english-link-token", Token);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync(Token);
        Assert.Contains("Please wait a moment", page, StringComparison.Ordinal);
        Assert.DoesNotContain("しばらくお待ちください", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneAddressGetsItsLimitAcrossLinks()
    {
        await using var app = App(("VendorRequestsPerAddress", "4"));
        using var client = Client(app);

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await client.GetAsync($"/v/address-token-{i}", Token);
            answers.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.NotFound, 4), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], answers);
    }

    [Fact]
    public async Task AFloodOfWrongTokensIsRefusedBeforeAnyLookupWithOneWarningAndAMetric()
    {
        await using var app = App(("WrongTokensPerAddress", "3"));
        using var wrongTokens = new MetricCollector<long>(app.Services.GetRequiredService<IMeterFactory>(), "FunctionsPortal", "portal.vendor_links.wrong_tokens");
        using var client = Client(app);

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            using var response = await client.GetAsync($"/v/guess-{i:D4}", Token);
            answers.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.NotFound, 3), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 4)], answers);
        var warning = Assert.Single(app.Logs.GetSnapshot(), record => record.Level == LogLevel.Warning && record.Message.Contains("Wrong vendor tokens", StringComparison.Ordinal));
        Assert.Contains("reached the limit", warning.Message, StringComparison.Ordinal);
        var measured = wrongTokens.GetMeasurementSnapshot();
        Assert.Equal(3, measured.Count(m => Equals(m.Tags["outcome"], "unknown")));
        Assert.Equal(4, measured.Count(m => Equals(m.Tags["outcome"], "flood")));
    }

    [Fact]
    public async Task StaffChangesAreCountedPerPersonAndReadsAreNot()
    {
        await using var app = App(("StaffWritesPerPerson", "2"));
        using var first = app.CreateStaffClient("Portal.Admin", "first@our-company.example.jp");
        using var second = app.CreateStaffClient("Portal.Admin", "second@our-company.example.jp");
        var broken = new { version = 0 };

        using var one = await first.PostAsJsonAsync("/api/checklists", broken, Token);
        using var two = await first.PostAsJsonAsync("/api/checklists", broken, Token);
        using var three = await first.PostAsJsonAsync("/api/checklists", broken, Token);
        using var otherPerson = await second.PostAsJsonAsync("/api/checklists", broken, Token);
        using var read = await first.GetAsync("/api/checklists", Token);

        Assert.NotEqual(HttpStatusCode.TooManyRequests, one.StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, two.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, three.StatusCode);
        Assert.Equal("application/problem+json", three.Content.Headers.ContentType?.MediaType);
        Assert.True(three.Headers.Contains("Retry-After"));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, otherPerson.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task TheDevelopmentSignInIsLimitedPerAddress()
    {
        await using var app = App(("SignInsPerAddress", "2"));
        using var client = Client(app);

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Name"] = "guess", ["Role"] = "Portal.Admin" });
            using var response = await client.PostAsync("/staff/dev-sign-in", form, Token);
            answers.Add(response.StatusCode);
        }

        using var page = await client.GetAsync("/staff/dev-sign-in", Token);

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, answers.Take(2));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[2]);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task WhatNoRuleCoversIsNeverLimited()
    {
        await using var app = App(("VendorRequestsPerAddress", "1"), ("VendorRequestsPerLink", "1"), ("StaffWritesPerPerson", "1"), ("SignInsPerAddress", "1"));
        using var client = Client(app);

        foreach (var path in Enumerable.Repeat(UnthrottledPaths, 5).SelectMany(paths => paths))
        {
            using var response = await client.GetAsync(path, Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
