using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace FunctionsPortal.Tests.Fixtures;

/// <summary>
/// The portal in-process on Azurite, with its own storage prefix, captured logs and, when asked, a fake clock.
/// Background jobs (scheduler, poller) are off unless a test turns them on with <c>Jobs:RunInProcess</c>.
/// In memory (TestServer) by default; <see cref="StartLiveServer"/> (LivePortal.cs) serves it on real Kestrel for a browser.
/// </summary>
public sealed partial class PortalApplication : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _configureServices;

    public PortalApplication(
        string connectionString,
        string? prefix = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null,
        FakeTimeProvider? timeProvider = null)
    {
        Prefix = prefix ?? AzuriteFixture.NewPrefix();
        TimeProvider = timeProvider;
        _configureServices = configureServices;
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:ResourcePrefix"] = Prefix,
            ["Jobs:RunInProcess"] = "false",
            ["DemoData:Enabled"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public PortalApplication(AzuriteFixture azurite, string? prefix = null, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null, FakeTimeProvider? timeProvider = null)
        : this(azurite?.ConnectionString ?? throw new ArgumentNullException(nameof(azurite)), prefix, settings, configureServices, timeProvider)
    {
    }

    public string Prefix { get; }

    public FakeTimeProvider? TimeProvider { get; }

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    /// <summary>A client signed in as a staff member through the development sign-in (the real auth pipeline).</summary>
    public HttpClient CreateStaffClient(string roles, string name = "staff@our-company.example.jp")
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Development-Staff", $"{name}; {roles}");
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddFakeLogging());
        builder.ConfigureTestServices(services =>
        {
            if (TimeProvider is not null)
            {
                services.AddSingleton<TimeProvider>(TimeProvider);
            }

            _configureServices?.Invoke(services);
        });
    }
}

public static class PortalApplicationExtensions
{
    /// <summary>Waits until the app's storage exists, so a test's first call does not race table creation.</summary>
    public static Task WhenStorageReadyAsync(this IServiceProvider services) =>
        services.GetRequiredService<FunctionsPortal.Storage.StorageReadiness>().WhenReadyAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
}
