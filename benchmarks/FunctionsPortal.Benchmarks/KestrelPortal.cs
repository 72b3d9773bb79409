using System.Globalization;
using System.Net;
using FunctionsPortal.Checklists;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Vendors;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsPortal.Benchmarks;

/// <summary>
/// The portal on real Kestrel on a loopback port the OS picks (the pattern of the tests' LivePortal.cs), in Development
/// with background jobs and demo data off, on Azurite under its own resource prefix, logging warnings only.
/// </summary>
internal sealed class KestrelPortal(string connectionString, string prefix) : WebApplicationFactory<Program>
{
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Starts Kestrel and returns where it listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Start()
    {
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        BaseAddress = new Uri(addresses.Single().TrimEnd('/') + "/");
        return BaseAddress;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in new Dictionary<string, string>(StringComparer.Ordinal)
                 {
                     ["Storage:ConnectionString"] = connectionString,
                     ["Storage:ResourcePrefix"] = prefix,
                     ["Jobs:RunInProcess"] = "false",
                     ["DemoData:Enabled"] = "false",
                     ["Logging:LogLevel:Default"] = "Warning",
                     ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                     ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
                     // Every vendor page logs "The 'Cache-Control' and 'Pragma' headers have been overridden" (the pages' own
                     // no-store header lacks no-cache): reported, and kept out of the benchmark's output.
                     ["Logging:LogLevel:Microsoft.AspNetCore.Antiforgery"] = "Error",
                     // Says once at start that the development signing key is in use: known, not news.
                     ["Logging:LogLevel:FunctionsPortal.Secrets.DevelopmentSigningKeys"] = "Error",
                     // Every client comes from 127.0.0.1 on a handful of links: the benchmark measures the pages, not the
                     // request limiter (issue 13), so the limits are set as high as they go, per second.
                     ["Throttling:VendorRequestsPerAddress"] = "100000",
                     ["Throttling:VendorRequestsPerLink"] = "100000",
                     ["Throttling:StaffWritesPerPerson"] = "100000",
                     ["Throttling:Window"] = "00:00:01",
                 })
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>
/// Invitations through the tests' <c>SurveyScenario</c> (linked source). Every benchmark vendor gets the largest
/// annual-full questionnaire there is without subcontractors: a call centre with every data category, every work
/// location and storage abroad.
/// </summary>
internal static class VendorSetup
{
    public const string ChecklistId = "annual-full";

    private static int _sequence;

    public static Vendor LargestQuestionnaireVendor()
    {
        var i = Interlocked.Increment(ref _sequence);
        return new Vendor
        {
            LegalName = new LocalizedName($"株式会社ベンチ委託{i:D4}", $"Bench Vendor {i:D4} K.K."),
            CorporateNumber = CorporateNumber.Complete((900_000_000_000L + i).ToString(CultureInfo.InvariantCulture)),
            BusinessCategory = "call-centre",
            ResponsibleOfficer = new Person($"受任 {i}", "取締役", $"officer{i:D4}@vendor.example.jp"),
            InternalOwner = new InternalOwner("社内 花子", "owner@our-company.example.jp"),
            DataCategories = ["personal", "sensitive", "credit-card", "confidential-a"],
            ApproximateRecords = 50_000,
            Countries = new VendorCountries("JP", ["JP", "SG"], ["JP", "SG"]),
            Certifications = [new Certification("privacymark", null, "10800000(01)", new DateOnly(2030, 1, 1))],
            WorkLocations = ["our-premises", "vendor-premises", "remote"],
            LifecycleStatus = "active",
        };
    }

    /// <summary>A plain low-risk vendor: the dispatch benchmark surveys thousands of them; the vendor benchmark only grows the registry with them.</summary>
    public static Vendor BackgroundVendor(int i) => new()
    {
        LegalName = new LocalizedName($"株式会社ベンチ{i:D6}"),
        CorporateNumber = CorporateNumber.Complete((800_000_000_000L + i).ToString(CultureInfo.InvariantCulture)),
        BusinessCategory = "bpo",
        ResponsibleOfficer = new Person($"受任 {i}", "部長", $"officer{i:D6}@vendor.example.jp"),
        InternalOwner = new InternalOwner("社内 花子", "owner@our-company.example.jp"),
        DataCategories = ["personal"],
        Countries = new VendorCountries("JP", ["JP"], ["JP"]),
        LifecycleStatus = "active",
    };

    public static Task<InvitedVendor> InviteAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        SurveyScenario.InviteAsync(services, cancellationToken, ChecklistId, LargestQuestionnaireVendor());

    /// <summary>Waits for the default checklists (imported at start) and imports them now if they are not there yet.</summary>
    public static async Task EnsureChecklistsAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<Storage.StorageReadiness>().WhenReadyAsync(cancellationToken);
        var library = services.GetRequiredService<ChecklistLibrary>();
        if (await library.InfoAsync(ChecklistId, 1, cancellationToken) is null)
        {
            await services.GetRequiredService<DefaultChecklistsSeeder>().SeedAsync(cancellationToken);
        }
    }
}
