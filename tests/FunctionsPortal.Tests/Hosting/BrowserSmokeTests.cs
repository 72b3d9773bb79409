using FunctionsPortal.Tests.Fixtures;
using Microsoft.Playwright;

namespace FunctionsPortal.Tests.Hosting;

/// <summary>
/// Server-rendered pages in a real browser (Debian's headless Chromium) against the portal on real Kestrel: what a vendor
/// or a member of staff actually sees, Japanese text included.
/// </summary>
public sealed class BrowserSmokeTests(AzuriteFixture azurite, BrowserFixture browser) : IAsyncLifetime
{
    private PortalApplication _app = null!;
    private IBrowserContext _context = null!;
    private IPage _page = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await PortalApplication.StartLiveAsync(azurite);
        _context = await browser.NewContextAsync();
        _page = await _context.NewPageAsync();
    }

    [Fact]
    public async Task TheHomePageRendersItsJapaneseTitle()
    {
        var response = await _page.GotoAsync(new Uri(_app.BaseAddress, "/").ToString());

        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.StartsWith("委託先セルフアセスメント", await _page.TitleAsync(), StringComparison.Ordinal);
        var heading = _page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Level = 1 });
        Assert.True(await heading.IsVisibleAsync());
        Assert.Contains("委託先セルフアセスメント", await heading.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("ja", await _page.Locator("html").GetAttributeAsync("lang"));
    }

    [Fact]
    public async Task AnUnknownVendorLinkShowsACantOpenPageWith404()
    {
        var response = await _page.GotoAsync(new Uri(_app.BaseAddress, "/v/AAAAAAAAAAAAAAAAAAAAAAAA").ToString());

        Assert.NotNull(response);
        Assert.Equal(404, response.Status);
        var heading = _page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Level = 1 });
        Assert.True(await heading.IsVisibleAsync());
        Assert.Contains("リンクを開けません", await heading.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await _page.GetByText("このリンクは見つかりません。").IsVisibleAsync());
        // Pages with an antiforgery field also say no-cache; what matters is that no copy is ever stored.
        Assert.Contains("no-store", await response.HeaderValueAsync("cache-control"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task JapaneseTextIsDrawnWithAJapaneseFontNotTofu()
    {
        await _page.GotoAsync(_app.BaseAddress.ToString());

        // Which installed fonts Chromium really used for the heading's glyphs (DevTools protocol, as in the Fonts panel).
        var cdp = await _context.NewCDPSessionAsync(_page);
        await cdp.SendAsync("DOM.enable");
        await cdp.SendAsync("CSS.enable");
        var document = await cdp.SendAsync("DOM.getDocument");
        var heading = await cdp.SendAsync("DOM.querySelector", new Dictionary<string, object>
        {
            ["nodeId"] = document!.Value.GetProperty("root").GetProperty("nodeId").GetInt32(),
            ["selector"] = "h1",
        });
        var fonts = await cdp.SendAsync("CSS.getPlatformFontsForNode", new Dictionary<string, object>
        {
            ["nodeId"] = heading!.Value.GetProperty("nodeId").GetInt32(),
        });
        var families = fonts!.Value.GetProperty("fonts").EnumerateArray()
            .Select(font => (Family: font.GetProperty("familyName").GetString() ?? "", Glyphs: font.GetProperty("glyphCount").GetInt32()))
            .ToList();

        // "委託先セルフアセスメント" is 12 glyphs: all of them come from a CJK font (fonts-noto-cjk), none are missing-glyph boxes.
        Assert.Contains(families, font => font.Family.Contains("CJK", StringComparison.Ordinal) && font.Glyphs >= 12);
    }

    [Fact]
    public async Task EachTestGetsItsOwnCookieJar()
    {
        await _page.GotoAsync(_app.BaseAddress.ToString());
        await _context.AddCookiesAsync([new Cookie { Name = "probe", Value = "1", Url = _app.BaseAddress.ToString() }]);
        await using var other = await browser.NewContextAsync(locale: null);

        Assert.Single(await _context.CookiesAsync());
        Assert.Empty(await other.CookiesAsync());
        Assert.Equal("ja-JP", await _page.EvaluateAsync<string>("() => navigator.language"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }

        await _app.DisposeAsync();
    }
}
