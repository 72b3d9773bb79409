using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(FunctionsPortal.Tests.Fixtures.BrowserFixture))]

namespace FunctionsPortal.Tests.Fixtures;

/// <summary>
/// One headless Chromium for the whole test run, driven by Playwright. It is Debian's Chromium (installed by the README
/// test command, path in <c>PORTAL_CHROMIUM</c>), never a browser build that Playwright downloads. Each test takes its own
/// <see cref="IBrowserContext"/> (<see cref="NewContextAsync"/>): cookies, storage and cache are never shared.
/// </summary>
/// <remarks>
/// Started lazily on the first <see cref="NewContextAsync"/>, so a run without browser tests never starts a browser. A missing
/// browser fails the test that needs it with a message saying how to install it; browser tests are never skipped.
/// </remarks>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ExecutableVariable = "PORTAL_CHROMIUM";
    public const string DefaultExecutable = "/usr/bin/chromium";

    /// <summary>A desktop-sized window; a test that checks a phone layout passes its own viewport to the context.</summary>
    public static readonly ViewportSize DefaultViewport = new() { Width = 1280, Height = 800 };

    // Offline and quiet: no sandbox (we run as root, in containers), no GPU, no /dev/shm (small in containers), no
    // background calls home (component updates, sync, first-run pages).
    private static readonly string[] LaunchArguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private readonly SemaphoreSlim _startLock = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private bool _disposed;

    /// <summary>The Chromium executable: <c>PORTAL_CHROMIUM</c> when set, else Debian's <c>/usr/bin/chromium</c>.</summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } path ? path : DefaultExecutable;

    /// <summary>
    /// A fresh, isolated browser context (its own cookies and storage) with <see cref="DefaultViewport"/> and, unless
    /// <paramref name="locale"/> is null, that locale (<c>navigator.language</c> and <c>Accept-Language</c>). Dispose it
    /// (<c>await using</c>) at the end of the test.
    /// </summary>
    /// <param name="locale">The browser's language, or null for Chromium's default.</param>
    /// <param name="javaScript">False for a visitor without JavaScript: the pages must still work.</param>
    /// <param name="viewport">The window size (a phone, say); 1280×800 by default.</param>
    /// <param name="bypassContentSecurityPolicy">True only to inject a test tool (axe) into pages whose CSP forbids inline script.</param>
    public async Task<IBrowserContext> NewContextAsync(string? locale = "ja-JP", bool javaScript = true, ViewportSize? viewport = null, bool bypassContentSecurityPolicy = false)
    {
        var browser = await GetBrowserAsync();
        var options = new BrowserNewContextOptions
        {
            ViewportSize = viewport ?? DefaultViewport,
            JavaScriptEnabled = javaScript,
            AcceptDownloads = true,
            BypassCSP = bypassContentSecurityPolicy,
        };
        if (locale is not null)
        {
            options.Locale = locale;
        }

        return await browser.NewContextAsync(options);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _startLock.WaitAsync();
        try
        {
            _disposed = true;
            if (_browser is not null)
            {
                await _browser.DisposeAsync(); // closes every context still open, then the browser process
                _browser = null;
            }

            _playwright?.Dispose();
            _playwright = null;
        }
        finally
        {
            _startLock.Release();
        }

        _startLock.Dispose();
    }

    private async Task<IBrowser> GetBrowserAsync()
    {
        await _startLock.WaitAsync();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_browser is { IsConnected: true })
            {
                return _browser;
            }

            if (_browser is not null)
            {
                // The browser crashed or was closed: start a new one for the tests still to run.
                await _browser.DisposeAsync();
                _browser = null;
            }

            var executable = ExecutablePath;
            if (!File.Exists(executable))
            {
                throw new InvalidOperationException(
                    $"Chromium is not installed at {executable} ({ExecutableVariable}). Browser tests need Debian's Chromium: run the " +
                    "README test command (npm test), which installs it (apt-get install chromium fonts-noto-cjk), or set " +
                    $"{ExecutableVariable} to a Chromium executable.");
            }

            _playwright ??= await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = LaunchArguments,
            });
            return _browser;
        }
        finally
        {
            _startLock.Release();
        }
    }
}
