using System.Net;
using System.Text.RegularExpressions;
using FunctionsPortal.Responses;
using FunctionsPortal.Tests.Fakes;
using FunctionsPortal.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsPortal.Tests.Fixtures.VendorFormClient;

namespace FunctionsPortal.Tests.VendorPages;

/// <summary>
/// The vendor pages over HTTP (forms, redirects, cookies): rules a browser cannot see, like who may read what.
/// Each test class gets its own portal (its own storage prefix), with evidence limits small enough to reach cheaply.
/// </summary>
public abstract partial class VendorPagesHttpTestBase(AzuriteFixture azurite) : IAsyncLifetime
{
    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    protected AzuriteFixture Azurite { get; } = azurite;

    protected PortalApplication App { get; private set; } = null!;

    protected IServiceProvider Services => App.Services;

    public async ValueTask InitializeAsync()
    {
        App = new PortalApplication(Azurite, settings: new Dictionary<string, string?>
        {
            ["Evidence:MaxFileBytes"] = "4096",
            ["Evidence:MaxAssignmentBytes"] = "65536",
        });
        await Services.WhenStorageReadyAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected HttpClient NewBrowser() => VendorFormClient.NewBrowser(App);

    protected Task<Draft> DraftAsync(InvitedVendor invited) => Services.GetRequiredService<DraftStore>().GetAsync(invited.Assignment.Key, Token);

    /// <summary>Submits the review as the vendor's officer and returns where the receipt is.</summary>
    protected static async Task<string?> SubmitAsync(HttpClient browser, InvitedVendor invited)
    {
        var review = await PageAsync(browser, invited.Url("/review"));
        using var response = await PostFormAsync(browser, invited.Url("/review"), invited.Url("/submit"),
            [("revision", RevisionPattern().Match(review).Groups[1].Value), ("officerName", "受任 太郎"), ("officerTitle", "取締役"), ("officerEmail", "officer@vendor.example.jp"), ("attest", "1")]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/receipts/", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        return response.Headers.Location?.OriginalString;
    }

    [GeneratedRegex(@"name=""revision"" value=""(\d+)""")]
    protected static partial Regex RevisionPattern();
}
